// Another clip for a segment: from the segment panel's picker or a library medium dropped on it.
import { describe, expect, it } from 'vitest';
import type { Komposition, Medium } from '../src/api/types';
import { newKomposition } from '../src/komposition/model';
import { replaceClip, setSegmentSource } from '../src/komposition/replaceClip';

const source = (id: string, url: string, mediatype = 'video') => ({ id, url, startingOffset: 0, checksums: '', format: '', extension: 'mp4', mediatype });

function twoClips(timing?: Komposition['segments'][number]['source_timing']): Komposition {
  return {
    ...newKomposition('K', 'K'),
    sources: [source('a', 'a.mp4'), source('b', 'b.mp4'), source('pic', 'pic.png', 'image')],
    segments: [{ id: 'cut_1', sourceid: 'a', start: 4, duration: 4, end: 8, mood: 'calm', ...(timing ? { source_timing: timing } : {}) }],
  };
}

describe('setSegmentSource', () => {
  it('replaces the sourceid; the segment stays put and keeps fields it does not know', () => {
    const k = setSegmentSource(twoClips({ original_start: 3, original_duration: 1 }), 'cut_1', 'b', 5);
    expect(k.segments).toEqual([{ id: 'cut_1', sourceid: 'b', start: 4, duration: 4, end: 8, mood: 'calm', source_timing: { original_start: 0, original_duration: 5 } }]);
  });

  it('keeps a segment in time with the song so, and a still has no window', () => {
    expect(setSegmentSource(twoClips(), 'cut_1', 'b').segments[0]).not.toHaveProperty('source_timing');
    expect(setSegmentSource(twoClips({ original_start: 3 }), 'cut_1', 'pic').segments[0]).not.toHaveProperty('source_timing');
  });

  it('changes nothing for an unknown segment or source, or the same source', () => {
    const k = twoClips();
    expect(setSegmentSource(k, 'nope', 'b')).toBe(k);
    expect(setSegmentSource(k, 'cut_1', 'nope')).toBe(k);
    expect(setSegmentSource(k, 'cut_1', 'a')).toBe(k);
  });
});

describe('replaceClip', () => {
  const c: Medium = { _id: 'c.mp4', type: 'Video', name: 'c.mp4', url: 'c.mp4', mediatype: 'video', extension: 'mp4', duration: 7 };

  it('adds a library medium as a source as a drop does, and the segment shows it from its start', () => {
    const k = replaceClip(twoClips({ original_start: 2 }), 'cut_1', c);
    expect(k.sources.map((s) => s.id)).toEqual(['a', 'b', 'pic', 'c']);
    expect(k.segments[0]).toMatchObject({ sourceid: 'c', source_timing: { original_start: 0, original_duration: 7 } });
  });

  it('uses the source the komposition already has for that medium', () => {
    const b: Medium = { ...c, _id: 'b.mp4', name: 'b.mp4', url: 'b.mp4' };
    const k = replaceClip(twoClips(), 'cut_1', b);
    expect(k.sources).toHaveLength(3);
    expect(k.segments[0]?.sourceid).toBe('b');
  });
});
