// A typed value the editor adjusts or refuses: the edit made, and why in a few words.
import { describe, expect, it } from 'vitest';
import { bpmRefusal, emptyRangeWarning, fromBeatExplained, moveExplained, resizeExplained, toBeatExplained } from '../src/komposition/explain';
import { findSegment, newKomposition, renderRange } from '../src/komposition/model';
import { withSegments } from './kompositionFixtures';


describe('moveExplained (Start beat typed)', () => {
  it('says where the segment went and which neighbour was in the way', () => {
    const k = withSegments(['intro', 0, 2], ['cut_1', 12, 16]);
    const { k: next, note } = moveExplained(k, 'intro', 12);
    expect(findSegment(next, 'intro')?.start).toBe(10);
    expect(note).toBe('Moved to beat 10: beats 12–14 would overlap cut_1');
  });

  it('says so when the segment stays where it was', () => {
    const k = withSegments(['cut_1', 0, 4], ['cut_2', 4, 8], ['cut_3', 8, 16]);
    expect(moveExplained(k, 'cut_1', 5).note).toBe('Stays at beat 0: beats 5–9 would overlap cut_2');
  });

  it('says nothing when it goes where it was typed', () => {
    const { k, note } = moveExplained(withSegments(['intro', 0, 2]), 'intro', 6);
    expect(note).toBeNull();
    expect(findSegment(k, 'intro')?.start).toBe(6);
  });
});

describe('resizeExplained (Length typed)', () => {
  it('says it was shortened and why', () => {
    const k = withSegments(['intro', 0, 2], ['cut_1', 4, 8]);
    const { k: next, note } = resizeExplained(k, 'intro', 6);
    expect(findSegment(next, 'intro')?.duration).toBe(4);
    expect(note).toBe('Shortened to 4 beats: beats 0–6 would overlap cut_1');
    expect(resizeExplained(k, 'intro', 3).note).toBeNull();
  });
});

describe('the render range typed', () => {
  it('From beat past To beat moves To beat on and says so', () => {
    const k = { ...withSegments(['a', 0, 4]), beatpattern: { frombeat: 0, tobeat: 4, masterbpm: 120 } };
    const { k: next, note } = fromBeatExplained(k, 10);
    expect(renderRange(next)).toEqual({ from: 10, to: 11 });
    expect(note).toBe('To beat moved to 11: To beat must be after From beat');
    expect(fromBeatExplained(k, 2).note).toBeNull();
  });

  it('To beat before From beat moves From beat back and says so', () => {
    const k = { ...withSegments(['a', 0, 4]), beatpattern: { frombeat: 10, tobeat: 20, masterbpm: 120 } };
    const { k: next, note } = toBeatExplained(k, 4);
    expect(renderRange(next)).toEqual({ from: 3, to: 4 });
    expect(note).toBe('From beat moved to 3: To beat must be after From beat');
    expect(toBeatExplained(k, 12).note).toBeNull();
  });

  it('flags a range with no segment in it', () => {
    const k = withSegments(['a', 4, 8]);
    expect(emptyRangeWarning({ ...k, beatpattern: { frombeat: 0, tobeat: 4, masterbpm: 120 } })).toBe('No segment between beat 0 and 4: the video would be black');
    expect(emptyRangeWarning({ ...k, beatpattern: { frombeat: 0, tobeat: 5, masterbpm: 120 } })).toBeNull();
    expect(emptyRangeWarning(newKomposition('K', 'K'))).toBeNull();
  });
});

describe('bpmRefusal', () => {
  it('refuses 0 and less, and more than 999, and takes the rest', () => {
    expect(bpmRefusal(0)).toBe('BPM must be more than 0');
    expect(bpmRefusal(-3)).toBe('BPM must be more than 0');
    expect(bpmRefusal(1000)).toBe('BPM must be at most 999');
    expect(bpmRefusal(0.5)).toBeNull();
    expect(bpmRefusal(128)).toBeNull();
  });
});
