// Whether a segment's window of its clip lies inside the clip (komposition.md rule 4), as
// the editor shows it while editing and before a render is asked for.
import { describe, expect, it } from 'vitest';
import type { Komposition, Medium, Segment } from '../src/api/types';
import { newKomposition } from '../src/komposition/model';
import { checkWindow, checkWindows, clipLengths, renderBlocker } from '../src/komposition/windows';

const lengths = clipLengths([
  { _id: 'clip.mp4', type: 'Video', name: 'clip.mp4', url: 'clip.mp4', mediatype: 'video', extension: 'mp4', duration: 6 },
  { _id: 'still.png', type: 'Image', name: 'still.png', url: 'still.png', mediatype: 'image', extension: 'png' },
] satisfies Medium[]);

/** One 4-beat segment (2 s at 120 BPM) of clip.mp4 at beat 0, with `extra` fields. */
function withSegment(extra: Partial<Segment>, sourceOffset = 0): Komposition {
  const k = newKomposition('K', 'K');
  return {
    ...k,
    sources: [{ id: 'clip', url: 'clip.mp4', startingOffset: sourceOffset, checksums: '', format: '', extension: 'mp4', mediatype: 'video' }],
    segments: [{ id: 'cut_1', sourceid: 'clip', start: 0, duration: 4, end: 4, ...extra }],
  };
}

describe('checkWindow', () => {
  it('is an error when the From second is past the end of the clip, in plain words', () => {
    const k = withSegment({ source_timing: { original_start: 30, original_duration: 2 } });
    expect(checkWindow(k, 0, lengths)).toEqual({
      segmentId: 'cut_1',
      severity: 'error',
      field: 'segments[0].source_timing.original_start',
      message: 'From second 30 is past the end of clip.mp4 (6 s long)',
    });
    // Exactly at the end there is no frame to show either.
    expect(checkWindow(withSegment({ source_timing: { original_start: 6 } }), 0, lengths)?.severity).toBe('error');
  });

  it('is a warning when the window only runs past the end (its last frame is held)', () => {
    const k = withSegment({ source_timing: { original_start: 5, original_duration: 1 } });
    expect(checkWindow(k, 0, lengths)).toMatchObject({ severity: 'warning', message: 'Runs 1 s past the end of clip.mp4 (6 s long): its last frame is held' });
  });

  it('is a warning when a song-synced window starts before the clip does (its first frame is held)', () => {
    expect(checkWindow(withSegment({}, -5), 0, lengths)).toMatchObject({ severity: 'warning', message: 'Starts 5 s before clip.mp4 begins: its first frame is held until then' });
    expect(checkWindow(withSegment({}, 0), 0, lengths)).toBeNull();
  });

  it('says nothing of a window inside the clip, nor within half a frame of its end', () => {
    expect(checkWindow(withSegment({ source_timing: { original_start: 4 } }), 0, lengths)).toBeNull();
    expect(checkWindow(withSegment({ source_timing: { original_start: 4.01 } }), 0, lengths)).toBeNull();
  });

  it('a stretched window reaches only its own end', () => {
    const k = withSegment({ source_timing: { original_start: 5, original_duration: 1 }, stretch_factor: 1 });
    expect(checkWindow(k, 0, lengths)).toBeNull();
  });

  it('checks a segment in time with the song from its source offset and its beat', () => {
    const past = withSegment({ start: 8, end: 12 }, 3); // 3 s + beat 8 at 120 BPM = 7 s
    expect(checkWindow(past, 0, lengths)).toMatchObject({ severity: 'error', field: 'segments[0].start', message: 'In time with the song it would start clip.mp4 at second 7, past its end (6 s long)' });
    expect(checkWindow(withSegment({}, 3), 0, lengths)).toBeNull(); // 3 s to 5 s: fits
    expect(checkWindow(withSegment({}, 5), 0, lengths)?.severity).toBe('warning'); // 5 s to 7 s
  });

  it('says nothing when the clip is a still or its length is not known', () => {
    const still = withSegment({ source_timing: { original_start: 30 } });
    still.sources[0] = { ...still.sources[0]!, url: 'still.png', mediatype: 'image' };
    expect(checkWindow(still, 0, lengths)).toBeNull();
    expect(checkWindow(withSegment({ source_timing: { original_start: 30 } }), 0, clipLengths(null))).toBeNull();
  });

  it('is listed by segment id', () => {
    const k = withSegment({ source_timing: { original_start: 30 } });
    expect([...checkWindows(k, lengths).keys()]).toEqual(['cut_1']);
  });
});

describe('renderBlocker', () => {
  it('refuses to start a render whose segment window starts past its clip, naming the segment', () => {
    const k = withSegment({ source_timing: { original_start: 30 } });
    expect(renderBlocker(k, lengths)).toEqual({ field: 'segments[0].source_timing.original_start', message: 'cut_1: From second 30 is past the end of clip.mp4 (6 s long)' });
  });

  it('lets a render with only held last frames start, and ignores segments outside the range', () => {
    expect(renderBlocker(withSegment({ source_timing: { original_start: 5 } }), lengths)).toBeNull();
    const outside = withSegment({ start: 40, end: 44, source_timing: { original_start: 30 } });
    expect(renderBlocker(outside, lengths)).toBeNull();
  });

  it('still names the document problems first', () => {
    const k = { ...withSegment({ source_timing: { original_start: 30 } }), bpm: 0, beatpattern: undefined };
    expect(renderBlocker(k, lengths)?.field).toBe('bpm');
  });
});
