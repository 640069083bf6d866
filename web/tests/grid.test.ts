import { describe, expect, it } from 'vitest';
import {
  barBeatLabel,
  beatOfSoundtrackTime,
  beatsToWidth,
  beatToPx,
  beatToSeconds,
  clampZoom,
  clock,
  gridLines,
  MAX_PX_PER_BEAT,
  MIN_PX_PER_BEAT,
  pxToBeat,
  secondsToBeat,
  snap,
  soundtrackTime,
  zoomAround,
} from '../src/timeline/grid';
import { beats, pixels, seconds } from '../src/timeline/units';

const view = { pxPerBeat: 20, originBeat: beats(0) };

describe('beat ↔ pixel', () => {
  it('places beats at pxPerBeat apart from the origin', () => {
    expect(beatToPx(view, beats(0))).toBe(0);
    expect(beatToPx(view, beats(4))).toBe(80);
    expect(beatToPx({ pxPerBeat: 20, originBeat: beats(8) }, beats(10))).toBe(40);
    expect(beatsToWidth(view, beats(3))).toBe(60);
  });

  it('is inverted by pxToBeat', () => {
    const scrolled = { pxPerBeat: 37.5, originBeat: beats(12) };
    for (const b of [0, 1, 7.25, 12, 99.5]) expect(pxToBeat(scrolled, beatToPx(scrolled, beats(b)))).toBeCloseTo(b, 9);
  });

  it('snaps to the nearest whole beat (or a finer step), never to -0', () => {
    expect(snap(beats(3.49))).toBe(3);
    expect(snap(beats(3.5))).toBe(4);
    expect(snap(beats(-0.2))).toBe(0);
    expect(Object.is(snap(beats(-0.2)), -0)).toBe(false);
    expect(snap(beats(3.3), 0.5)).toBe(3.5);
  });
});

describe('beat ↔ time (komposition.md: t(b) = (b - from) · 60 / bpm)', () => {
  it('puts beat b at (b - from) · 60 / bpm seconds', () => {
    expect(beatToSeconds(beats(8), 120)).toBe(4);
    expect(beatToSeconds(beats(8), 120, beats(4))).toBe(2);
    expect(beatToSeconds(beats(1), 90)).toBeCloseTo(2 / 3, 12);
  });

  it('is inverted by secondsToBeat', () => {
    for (const bpm of [60, 97.5, 120, 174]) {
      for (const b of [0, 3, 16.5, 64]) expect(secondsToBeat(beatToSeconds(beats(b), bpm, beats(2)), bpm, beats(2))).toBeCloseTo(b, 9);
    }
  });

  it('finds the soundtrack time of a beat from its startingOffset, and back', () => {
    expect(soundtrackTime(beats(0), 120, 1.25)).toBe(1.25);
    expect(soundtrackTime(beats(4), 120, 1.25)).toBe(3.25);
    expect(beatOfSoundtrackTime(seconds(3.25), 120, 1.25)).toBeCloseTo(4, 12);
  });
});

describe('zoom', () => {
  it('clamps to the allowed range', () => {
    expect(clampZoom(1)).toBe(MIN_PX_PER_BEAT);
    expect(clampZoom(10_000)).toBe(MAX_PX_PER_BEAT);
  });

  it('keeps the beat under the pointer where it is', () => {
    const before = { pxPerBeat: 20, originBeat: beats(10) };
    const anchor = pixels(300);
    const under = pxToBeat(before, anchor);
    const after = zoomAround(before, 2, anchor);
    expect(after.pxPerBeat).toBe(40);
    expect(pxToBeat(after, anchor)).toBeCloseTo(under, 9);
  });

  it('never scrolls before beat 0', () => {
    const after = zoomAround({ pxPerBeat: 40, originBeat: beats(0) }, 0.5, pixels(100));
    expect(after.originBeat).toBe(0);
  });
});

describe('grid lines', () => {
  it('draws every beat when beats are far enough apart, bars numbered from 1', () => {
    const lines = gridLines({ pxPerBeat: 20, originBeat: beats(0) }, beats(0), beats(8));
    expect(lines.map((l) => l.beat)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines.filter((l) => l.bar).map((l) => l.bar)).toEqual([1, 2, 3]);
  });

  it('draws only bars when zoomed out, and labels sparser', () => {
    const lines = gridLines({ pxPerBeat: 4, originBeat: beats(0) }, beats(0), beats(64));
    expect(lines.every((l) => l.bar !== null)).toBe(true);
    const labelled = lines.filter((l) => l.labelled).map((l) => l.bar);
    expect(labelled).toEqual([1, 5, 9, 13, 17]);
  });
});

describe('labels', () => {
  it('counts bar.beat from 1 as musicians do', () => {
    expect(barBeatLabel(beats(0))).toBe('1.1');
    expect(barBeatLabel(beats(5))).toBe('2.2');
    expect(barBeatLabel(beats(15))).toBe('4.4');
  });
  it('shows clock time', () => {
    expect(clock(seconds(65.25))).toBe('1:05.3');
    expect(clock(seconds(4))).toBe('0:04.0');
  });
});
