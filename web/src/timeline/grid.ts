// The beat grid: beats ↔ pixels (zoom and scroll) and beats ↔ seconds (komposition.md,
// "Time"). Pure functions; the timeline components only call these.
import { beats, pixels, seconds, type Beats, type Pixels, type Seconds } from './units';

export const BEATS_PER_BAR = 4;
export const MIN_PX_PER_BEAT = 4;
export const MAX_PX_PER_BEAT = 160;

/** How the grid is drawn: `pxPerBeat` is the zoom, `originBeat` the beat at x = 0. */
export interface GridView {
  pxPerBeat: number;
  originBeat: Beats;
}

export function beatToPx(view: GridView, beat: Beats): Pixels {
  return pixels((beat - view.originBeat) * view.pxPerBeat);
}

export function pxToBeat(view: GridView, x: Pixels): Beats {
  return beats(view.originBeat + x / view.pxPerBeat);
}

/** A length in beats as a width in pixels (no origin). */
export function beatsToWidth(view: GridView, length: Beats): Pixels {
  return pixels(length * view.pxPerBeat);
}

/** The nearest multiple of `step` beats (1: whole beats). */
export function snap(beat: Beats, step = 1): Beats {
  const snapped = Math.round(beat / step) * step;
  return beats(Object.is(snapped, -0) ? 0 : snapped);
}

/** Output time of beat `b`: (b - from) · 60 / bpm. */
export function beatToSeconds(beat: Beats, bpm: number, from: Beats = beats(0)): Seconds {
  return seconds(((beat - from) * 60) / bpm);
}

/** The beat playing at output time `t` (the inverse of beatToSeconds). */
export function secondsToBeat(t: Seconds, bpm: number, from: Beats = beats(0)): Beats {
  return beats(from + (t * bpm) / 60);
}

/** A length in beats as seconds. */
export function beatsToDuration(length: Beats, bpm: number): Seconds {
  return seconds((length * 60) / bpm);
}

/** Where in the soundtrack beat `b` falls: startingOffset + b · 60 / bpm. */
export function soundtrackTime(beat: Beats, bpm: number, startingOffset: number): Seconds {
  return seconds(startingOffset + (beat * 60) / bpm);
}

/** The beat at which soundtrack time `t` plays (inverse of soundtrackTime). */
export function beatOfSoundtrackTime(t: Seconds, bpm: number, startingOffset: number): Beats {
  return beats(((t - startingOffset) * bpm) / 60);
}

export function clampZoom(pxPerBeat: number): number {
  return Math.min(MAX_PX_PER_BEAT, Math.max(MIN_PX_PER_BEAT, pxPerBeat));
}

/** Zooms by `factor` keeping the beat under `anchor` (a pixel of the view) where it is. */
export function zoomAround(view: GridView, factor: number, anchor: Pixels): GridView {
  const anchored = pxToBeat(view, anchor);
  const pxPerBeat = clampZoom(view.pxPerBeat * factor);
  const originBeat = beats(Math.max(0, anchored - anchor / pxPerBeat));
  return { pxPerBeat, originBeat };
}

export interface GridLine {
  beat: Beats;
  /** 1-based bar number when the line starts a bar. */
  bar: number | null;
  /** Lines with a label; others are drawn faint. */
  labelled: boolean;
}

/**
 * The lines to draw between two beats at this zoom: every beat when beats are at least
 * 8 px apart, else only bars; bar labels at least 40 px apart.
 */
export function gridLines(view: GridView, from: Beats, to: Beats): GridLine[] {
  const barPx = view.pxPerBeat * BEATS_PER_BAR;
  const powerOfTwoAtLeast = (n: number): number => 2 ** Math.max(0, Math.ceil(Math.log2(n)));
  const barsPerLine = powerOfTwoAtLeast(8 / barPx);
  const barsPerLabel = Math.max(barsPerLine, powerOfTwoAtLeast(40 / barPx));
  const step = view.pxPerBeat >= 8 ? 1 : BEATS_PER_BAR * barsPerLine;
  const lines: GridLine[] = [];
  const first = Math.max(0, Math.floor(from / step) * step);
  for (let b = first; b <= to; b += step) {
    const isBar = b % BEATS_PER_BAR === 0;
    const bar = isBar ? b / BEATS_PER_BAR + 1 : null;
    const labelled = isBar && (b / BEATS_PER_BAR) % barsPerLabel === 0;
    lines.push({ beat: beats(b), bar, labelled });
  }
  return lines;
}

/** "bar.beat" as musicians count (1-based): beat 5 is 2.2. */
export function barBeatLabel(beat: Beats): string {
  const whole = Math.floor(beat);
  const bar = Math.floor(whole / BEATS_PER_BAR) + 1;
  const inBar = (whole % BEATS_PER_BAR) + 1;
  const frac = beat - whole;
  return frac > 1e-9 ? `${bar}.${inBar}+${Math.round(frac * 100) / 100}` : `${bar}.${inBar}`;
}

/** m:ss.s */
export function clock(t: Seconds): string {
  const sign = t < 0 ? '-' : '';
  const abs = Math.abs(t);
  const m = Math.floor(abs / 60);
  const s = abs - m * 60;
  return `${sign}${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}
