// Whether the part of its clip a segment shows lies inside the clip (komposition.md, "Which
// part of the source a segment shows", rule 4): a render holds the last frame of a window
// that runs past the end (a warning), the first frame of one starting before the clip does
// (a warning: a negative startingOffset), and refuses one that starts past it (an error). The
// library knows every clip's length, so the editor says so while editing instead of after a
// render failed. The arithmetic mirrors the server's check (src/plan/plan.cpp).
import type { Komposition, Medium, Segment, Source } from '../api/types';
import { plainNumber } from '../components/format';
import { effectiveBpm, isAudio, isImage, mediaNameOf, problem, renderRange } from './model';

export interface WindowCheck {
  segmentId: string;
  /** error: the render would fail; warning: it holds the clip's last frame. */
  severity: 'error' | 'warning';
  /** Where in the document (`segments[3].source_timing.original_start`). */
  field: string;
  message: string;
}

/** Seconds of each library medium, by the name a source's url refers to. */
export type ClipLengths = ReadonlyMap<string, number>;

export function clipLengths(media: readonly Medium[] | null): ClipLengths {
  const known = (media ?? []).filter((m) => typeof m.duration === 'number' && m.duration > 0);
  return new Map(known.map((m) => [m.name, m.duration as number]));
}

/** The server's slack before a window "runs past the end": container durations are rounded. */
const END_TOLERANCE_S = 0.02;

/** Seconds of output a segment fills, in whole frames as the render counts them (komposition.md, "Time"). */
function outputSeconds(k: Komposition, segment: Segment): number {
  const fps = k.config.framerate > 0 ? k.config.framerate : 30;
  const bpm = effectiveBpm(k);
  const from = renderRange(k).from;
  const frame = (beat: number): number => Math.round((((beat - from) * 60) / bpm) * fps);
  return (frame(segment.end) - frame(segment.start)) / fps;
}

const stretched = (s: Segment): boolean => (typeof s.stretch_factor === 'number' && s.stretch_factor > 0) || s.fit === 'stretch';

/**
 * The seconds of its clip a segment starts at and must reach; `own` when the segment has its
 * own window (its "From second"), else it runs in time with the music (rules 1 and 2).
 */
export function sourceWindow(k: Komposition, segment: Segment, source: Source, clipLength: number): { start: number; end: number; own: boolean } {
  const played = outputSeconds(k, segment);
  const timing = segment.source_timing;
  if (typeof timing?.original_start === 'number') {
    const start = timing.original_start;
    // Stretched, the window is retimed to fill the segment: it reaches exactly its own end.
    const reach = stretched(segment) ? (timing.original_duration ?? clipLength - start) : played;
    return { start, end: start + reach, own: true };
  }
  const start = (source.startingOffset ?? 0) + (segment.start * 60) / effectiveBpm(k);
  return { start, end: start + played, own: false };
}

/** What is wrong with one segment's window, in words; null when it fits or cannot be known. */
export function checkWindow(k: Komposition, index: number, lengths: ClipLengths): WindowCheck | null {
  const segment = k.segments[index];
  const source = segment ? k.sources.find((s) => s.id === segment.sourceid) : undefined;
  if (!segment || !source || isImage(source) || isAudio(source) || !(effectiveBpm(k) > 0)) return null;
  const name = mediaNameOf(source);
  const clipLength = lengths.get(name);
  if (clipLength === undefined) return null;
  const window = sourceWindow(k, segment, source, clipLength);
  const length = `${plainNumber(clipLength)} s long`;
  const at = plainNumber(window.start);
  if (window.start >= clipLength - 1e-6) {
    return {
      segmentId: segment.id,
      severity: 'error',
      field: window.own ? `segments[${index}].source_timing.original_start` : `segments[${index}].start`,
      message: window.own ? `From second ${at} is past the end of ${name} (${length})` : `In time with the song it would start ${name} at second ${at}, past its end (${length})`,
    };
  }
  if (window.start < -END_TOLERANCE_S) {
    return {
      segmentId: segment.id,
      severity: 'warning',
      field: window.own ? `segments[${index}].source_timing.original_start` : `segments[${index}].start`,
      message: `Starts ${plainNumber(-window.start, 1)} s before ${name} begins: its first frame is held until then`,
    };
  }
  if (window.end > clipLength + END_TOLERANCE_S) {
    return {
      segmentId: segment.id,
      severity: 'warning',
      field: `segments[${index}].duration`,
      message: `Runs ${plainNumber(window.end - clipLength, 1)} s past the end of ${name} (${length}): its last frame is held`,
    };
  }
  return null;
}

/** Every segment's window problem, by segment id. */
export function checkWindows(k: Komposition, lengths: ClipLengths): Map<string, WindowCheck> {
  const found = new Map<string, WindowCheck>();
  k.segments.forEach((_, i) => {
    const check = checkWindow(k, i, lengths);
    if (check) found.set(check.segmentId, check);
  });
  return found;
}

/**
 * The first reason a render would surely fail, found before asking the server: the
 * document's own problems, then a rendered segment whose window starts past its clip's end.
 */
export function renderBlocker(k: Komposition, lengths: ClipLengths): { field: string; message: string } | null {
  const first = problem(k);
  if (first) return first;
  const { from, to } = renderRange(k);
  for (let i = 0; i < k.segments.length; i++) {
    const s = k.segments[i]!;
    if (s.end <= from || s.start >= to) continue;
    const check = checkWindow(k, i, lengths);
    if (check?.severity === 'error') return { field: check.field, message: `${s.id}: ${check.message}` };
  }
  return null;
}
