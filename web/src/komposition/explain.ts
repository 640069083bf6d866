// Typed values the editor cannot take as they are: the edit it makes instead (or none) and
// why, in a few words shown next to the field. A musician who types 12 and sees 10 must
// know it was the neighbour, not a slip of the keyboard.
import type { Komposition, Segment } from '../api/types';
import { beatCount } from '../components/format';
import { findSegment, moveSegment, renderRange, resizeSegment, setRange } from './model';

/** The edit made, and what to tell the musician about it (null: it went as typed). */
export interface Explained {
  k: Komposition;
  note: string | null;
}

const beatSpan = (from: number, to: number): string => `beats ${from}–${to}`;

/** The first other segment overlapping [from, to). */
function firstInTheWay(k: Komposition, exceptId: string, from: number, to: number): Segment | undefined {
  return k.segments
    .filter((s) => s.id !== exceptId && s.start < to && s.end > from)
    .sort((a, b) => a.start - b.start)[0];
}

/** Start beat typed: the segment moves to the nearest free place when that one is taken. */
export function moveExplained(k: Komposition, id: string, wanted: number): Explained {
  const segment = findSegment(k, id);
  if (!segment) return { k, note: null };
  const next = moveSegment(k, id, wanted);
  const start = findSegment(next, id)?.start ?? segment.start;
  if (start === wanted) return { k: next, note: null };
  const blocker = firstInTheWay(k, id, wanted, wanted + segment.duration);
  const where = start === segment.start ? `Stays at beat ${start}` : `Moved to beat ${start}`;
  const why = blocker ? `${beatSpan(wanted, wanted + segment.duration)} would overlap ${blocker.id}` : 'that place is taken';
  return { k: next, note: `${where}: ${why}` };
}

/** Length typed: the segment stops at the next one when it would run into it. */
export function resizeExplained(k: Komposition, id: string, length: number): Explained {
  const segment = findSegment(k, id);
  if (!segment) return { k, note: null };
  const next = resizeSegment(k, id, 'end', segment.start + length);
  const got = findSegment(next, id)?.duration ?? segment.duration;
  if (got === length) return { k: next, note: null };
  const blocker = firstInTheWay(k, id, segment.start, segment.start + length);
  const why = blocker ? `${beatSpan(segment.start, segment.start + length)} would overlap ${blocker.id}` : 'there is no room';
  return { k: next, note: `Shortened to ${beatCount(got)}: ${why}` };
}

/** From beat typed: the range's end moves on when the start would pass it. */
export function fromBeatExplained(k: Komposition, from: number): Explained {
  const { to } = renderRange(k);
  if (from < to) return { k: setRange(k, from, to), note: null };
  return { k: setRange(k, from, from + 1), note: `To beat moved to ${from + 1}: To beat must be after From beat` };
}

/** To beat typed: the range's start moves back when the end would come before it. */
export function toBeatExplained(k: Komposition, to: number): Explained {
  const { from } = renderRange(k);
  if (to > from) return { k: setRange(k, from, to), note: null };
  const start = Math.max(0, to - 1);
  return { k: setRange(k, start, Math.max(to, start + 1)), note: `From beat moved to ${start}: To beat must be after From beat` };
}

/** Why a typed BPM is refused (null: it is taken). */
export function bpmRefusal(bpm: number): string | null {
  if (!(bpm > 0)) return 'BPM must be more than 0';
  if (bpm > 999) return 'BPM must be at most 999';
  return null;
}

/** A render range that shows none of the segments: the video would be all black. */
export function emptyRangeWarning(k: Komposition): string | null {
  if (k.segments.length === 0) return null;
  const { from, to } = renderRange(k);
  if (k.segments.some((s) => s.start < to && s.end > from)) return null;
  return `No segment between beat ${from} and ${to}: the video would be black`;
}
