// Where analysis marks fall in a drawing: beats on the soundtrack's waveform, shot changes
// on a clip's segment. Pure: times in, pixel positions out.
import type { Segment, Source } from '../api/types';

/** x (pixels from the left) of each time within [from, to) drawn over `width` pixels. */
export function marksInWindow(times: readonly number[], from: number, to: number, width: number): number[] {
  const span = to - from;
  if (!(span > 0) || width <= 0) return [];
  return times.filter((t) => t >= from && t < to).map((t) => ((t - from) / span) * width);
}

/**
 * Shot changes of a clip shown by a segment, as fractions (0..1) of the segment's width:
 * the segment shows `length` seconds of the clip from `start`, at the same speed throughout.
 * A change at the window's very start is the segment's own edge and is left out.
 */
export function shotChangeFractions(changes: readonly number[], start: number, length: number): number[] {
  if (!(length > 0)) return [];
  return changes.filter((t) => t > start && t < start + length).map((t) => (t - start) / length);
}

/** The seconds of its clip a segment shows: its own window, else in time with the music. */
export function clipWindow(segment: Segment, source: Source | undefined, bpm: number): { start: number; length: number } {
  const length = (segment.duration * 60) / bpm;
  const start = segment.source_timing?.original_start ?? (source?.startingOffset ?? 0) + (segment.start * 60) / bpm;
  return { start, length };
}
