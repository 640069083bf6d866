import { describe, expect, it } from 'vitest';
import type { Komposition, Medium } from '../src/api/types';
import {
  addClipSegment,
  deleteSegment,
  effectiveBpm,
  lengthSeconds,
  moveSegment,
  newKomposition,
  nudgeSegment,
  renderRange,
  resizeSegment,
  setBpm,
  setInPoint,
  setRange,
  setSoundtrack,
  soundtrack,
  idFromName,
  problem,
} from '../src/komposition/model';
import { withSegments } from './kompositionFixtures';

const video = (name: string, duration: number): Medium => ({
  _id: name, type: 'Video', name, url: name, mediatype: 'video', extension: 'mp4', format: 'mov,mp4', checksums: 'abc', duration, width: 320, height: 180,
});
const song: Medium = { _id: 'song.flac', type: 'Audio', name: 'song.flac', url: 'song.flac', mediatype: 'audio', extension: 'flac', duration: 30 };
const still: Medium = { _id: 'still.png', type: 'Image', name: 'still.png', url: 'still.png', mediatype: 'image', extension: 'png', width: 640, height: 480 };


const spans = (k: Komposition): Array<[string, number, number]> => k.segments.map((s) => [s.id, s.start, s.end]);

describe('time of a komposition', () => {
  it('uses masterbpm over bpm, and the beatpattern range', () => {
    const k = { ...newKomposition('K', 'K'), bpm: 100, beatpattern: { frombeat: 4, tobeat: 36, masterbpm: 120 } };
    expect(effectiveBpm(k)).toBe(120);
    expect(renderRange(k)).toEqual({ from: 4, to: 36 });
    expect(lengthSeconds(k)).toBe(16);
  });

  it('without a beatpattern: bpm, and 0 to the last segment end', () => {
    const { beatpattern: _b, ...k } = withSegments(['x', 0, 4], ['y', 6, 10]);
    void _b;
    expect(effectiveBpm(k as Komposition)).toBe(120);
    expect(renderRange(k as Komposition)).toEqual({ from: 0, to: 10 });
  });

  it('keeps bpm and masterbpm together', () => {
    const k = setBpm(newKomposition('K', 'K'), 96);
    expect(k.bpm).toBe(96);
    expect(k.beatpattern?.masterbpm).toBe(96);
    expect(setRange(k, 8, 40).beatpattern).toEqual({ frombeat: 8, tobeat: 40, masterbpm: 96 });
  });
});

describe('dropping media on the grid', () => {
  it('adds a source with the fields the Elm editor requires and a segment playing the clip from its start', () => {
    const dropped = addClipSegment(newKomposition('K', 'K'), video('clip_a.mp4', 3), 2)!;
    expect(dropped.k.sources).toEqual([
      { id: 'clip_a', url: 'clip_a.mp4', startingOffset: 0, checksums: 'abc', format: 'mov,mp4', extension: 'mp4', mediatype: 'video', width: 320, height: 180 },
    ]);
    // 3 s at 120 BPM = 6 beats.
    expect(dropped.k.segments).toEqual([
      { id: 'clip_a', sourceid: 'clip_a', start: 2, duration: 6, end: 8, source_timing: { original_start: 0, original_duration: 3 } },
    ]);
  });

  it('reuses the source of a medium already used, with a new segment id', () => {
    const once = addClipSegment(newKomposition('K', 'K'), video('a.mp4', 1), 0)!;
    const twice = addClipSegment(once.k, video('a.mp4', 1), 8)!;
    expect(twice.k.sources).toHaveLength(1);
    expect(twice.k.segments.map((s) => s.id)).toEqual(['a', 'a-2']);
  });

  it('caps a long clip at 8 beats and fits it into the gap before the next segment', () => {
    const k = withSegments(['next', 4, 8]);
    const long = addClipSegment(newKomposition('K', 'K'), video('long.mp4', 60), 0)!;
    expect(long.k.segments[0]!.duration).toBe(8);
    const fitted = addClipSegment(k, video('long.mp4', 60), 1)!;
    expect(spans(fitted.k)).toEqual([['long', 1, 4], ['next', 4, 8]]);
  });

  it('puts a drop onto a segment into the nearest free beat', () => {
    const k = withSegments(['x', 0, 4], ['y', 4, 8]);
    const dropped = addClipSegment(k, video('c.mp4', 10), 5)!;
    expect(spans(dropped.k)).toContainEqual(['c', 8, 9]);
  });

  it('gives a still 4 beats and no source timing', () => {
    const dropped = addClipSegment(newKomposition('K', 'K'), still, 0)!;
    expect(dropped.k.segments[0]).toEqual({ id: 'still', sourceid: 'still', start: 0, duration: 4, end: 4 });
    expect(dropped.k.sources[0]!.mediatype).toBe('image');
  });

  it('makes a song the soundtrack, before other audio, and never a picture', () => {
    let k = setSoundtrack(newKomposition('K', 'K'), { ...song, name: 'old.wav' });
    k = setSoundtrack(k, song);
    expect(soundtrack(k)?.url).toBe('song.flac');
    expect(k.sources.map((s) => s.id)).toEqual(['song', 'old']);
  });
});

describe('moving and resizing segments', () => {
  it('moves to the wanted beat when free, keeping end = start + duration', () => {
    const k = moveSegment(withSegments(['x', 0, 4], ['y', 8, 12]), 'x', 2);
    expect(spans(k)).toEqual([['x', 2, 6], ['y', 8, 12]]);
  });

  it('never overlaps: a move onto a neighbour lands in the nearest gap that fits', () => {
    const base = withSegments(['x', 0, 4], ['y', 8, 12]);
    expect(spans(moveSegment(base, 'x', 6))).toEqual([['x', 4, 8], ['y', 8, 12]]);
    expect(spans(moveSegment(base, 'x', 11))).toEqual([['y', 8, 12], ['x', 12, 16]]);
    expect(spans(moveSegment(base, 'x', -3))).toEqual([['x', 0, 4], ['y', 8, 12]]);
  });

  it('nudges by a beat and stops at the neighbour', () => {
    let k = withSegments(['x', 0, 4], ['y', 6, 10]);
    k = nudgeSegment(k, 'y', -1);
    expect(spans(k)).toEqual([['x', 0, 4], ['y', 5, 9]]);
    k = nudgeSegment(nudgeSegment(k, 'y', -1), 'y', -1);
    expect(spans(k)).toEqual([['x', 0, 4], ['y', 4, 8]]);
  });

  it('resizes an edge, at least one beat, never past a neighbour', () => {
    const k = withSegments(['x', 0, 4], ['y', 6, 10]);
    expect(spans(resizeSegment(k, 'x', 'end', 5))).toEqual([['x', 0, 5], ['y', 6, 10]]);
    expect(spans(resizeSegment(k, 'x', 'end', 9))).toEqual([['x', 0, 6], ['y', 6, 10]]);
    expect(spans(resizeSegment(k, 'x', 'end', -2))).toEqual([['x', 0, 1], ['y', 6, 10]]);
    expect(spans(resizeSegment(k, 'y', 'start', 2))).toEqual([['x', 0, 4], ['y', 4, 10]]);
    expect(k.segments.every((s) => s.end === s.start + s.duration)).toBe(true);
  });

  it('deletes a segment and keeps its source', () => {
    const k = deleteSegment(withSegments(['x', 0, 4]), 'x');
    expect(k.segments).toEqual([]);
    expect(k.sources).toHaveLength(1);
  });

  it('switches a segment between its own in-point and running with the music', () => {
    const k = withSegments(['x', 0, 4]);
    const clip = setInPoint(k, 'x', 1.5, 10);
    expect(clip.segments[0]!.source_timing).toEqual({ original_start: 1.5, original_duration: 8.5 });
    expect('source_timing' in setInPoint(clip, 'x', null).segments[0]!).toBe(false);
  });
});

describe('round trip', () => {
  it('keeps fields it does not know, in the document, segments, sources and config', () => {
    const k: Komposition = {
      ...withSegments(['x', 0, 4]),
      custom: { a: 1 },
      config: { width: 1280, height: 720, framerate: 30, extension: 'mp4', vendor: 'x' },
    };
    k.segments[0]!.stretch_factor = 2;
    k.sources[0]!.note = 'kept';
    const edited = setBpm(nudgeSegment(k, 'x', 2), 100);
    expect(edited.custom).toEqual({ a: 1 });
    expect(edited.config.vendor).toBe('x');
    expect(edited.segments[0]!.stretch_factor).toBe(2);
    expect(edited.sources[0]!.note).toBe('kept');
  });
});

describe('names and checks', () => {
  it('makes document ids from names', () => {
    expect(idFromName('Summer single! (v2)')).toBe('Summer_single_v2');
    expect(idFromName('Åsa’s sång')).toBe('Asa_s_sang');
    expect(idFromName('***')).toBe('Komposition');
  });
  it('says what a render would refuse before asking', () => {
    expect(problem(newKomposition('K', 'K'))?.field).toBe('segments');
    expect(problem(setRange(withSegments(['x', 0, 4]), 8, 8))?.field).toBe('beatpattern.tobeat');
    expect(problem(withSegments(['x', 0, 4]))).toBeNull();
  });
});
