import { describe, expect, it } from 'vitest';
import type { Medium, Segment, Source } from '../src/api/types';
import { applyTempo, effectiveBpm, newKomposition, setSoundtrack, soundtrack, tempoOffer } from '../src/komposition/model';
import { clipWindow, marksInWindow, shotChangeFractions } from '../src/timeline/marks';

describe('marksInWindow', () => {
  it('places the beats inside the drawn seconds, left to right', () => {
    expect(marksInWindow([0.5, 1, 1.5, 2, 2.5], 1, 2, 100)).toEqual([0, 50]);
  });
  it('draws nothing for an empty window', () => {
    expect(marksInWindow([1], 2, 2, 100)).toEqual([]);
    expect(marksInWindow([1], 0, 2, 0)).toEqual([]);
  });
});

describe('shotChangeFractions', () => {
  it('shows the changes inside the window, not at its start', () => {
    expect(shotChangeFractions([2, 3, 5, 9], 2, 4)).toEqual([0.25, 0.75]);
  });
  it('has none for a window of no length', () => {
    expect(shotChangeFractions([1], 0, 0)).toEqual([]);
  });
});

describe('clipWindow', () => {
  const segment = { id: 'a', sourceid: 'c', start: 8, duration: 4, end: 12 } as Segment;
  const source = { id: 'c', url: 'c.mp4', startingOffset: 1, mediatype: 'video' } as Source;
  it('is the segment\'s own window when it has one', () => {
    expect(clipWindow({ ...segment, source_timing: { original_start: 3, original_duration: 2 } }, source, 120)).toEqual({ start: 3, length: 2 });
  });
  it('runs with the music otherwise', () => {
    expect(clipWindow(segment, source, 120)).toEqual({ start: 5, length: 2 });
  });
});

describe('the detected tempo is offered, and applied only when taken', () => {
  const song: Medium = { _id: 'song.flac', type: 'Audio', name: 'song.flac', url: 'song.flac', mediatype: 'audio', extension: 'flac', duration: 30 };
  const k = setSoundtrack(newKomposition('K', 'K'), song);
  const id = soundtrack(k)?.id ?? '';
  it('offers what differs from the komposition', () => {
    expect(tempoOffer(k, id, { bpm: 128, startingOffset: 0.5 })).toEqual({ bpm: 128, startingOffset: 0.5 });
    expect(tempoOffer(k, id, undefined)).toBeNull();
  });
  it('sets the tempo and the soundtrack offset when taken, then offers nothing', () => {
    const taken = applyTempo(k, id, { bpm: 128, startingOffset: 0.5 });
    expect(effectiveBpm(taken)).toBe(128);
    expect(soundtrack(taken)?.startingOffset).toBe(0.5);
    expect(tempoOffer(taken, id, { bpm: 128, startingOffset: 0.5 })).toBeNull();
  });
});
