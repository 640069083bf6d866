// The komposition as the editor changes it: pure functions from a document to the next
// one. Fields the editor does not know are carried along by the spreads, so a save
// loses nothing (komposition.md: round trip).
import type { Komposition, Medium, Segment, Source } from '../api/types';

export const MIN_SEGMENT_BEATS = 1;
/** The longest segment a dropped clip makes before the musician stretches it. */
export const DROP_MAX_BEATS = 8;

export interface Preset {
  label: string;
  width: number;
  height: number;
}

export const RESOLUTION_PRESETS: readonly Preset[] = [
  { label: 'Landscape 1920×1080', width: 1920, height: 1080 },
  { label: 'Landscape 1280×720', width: 1280, height: 720 },
  { label: 'Portrait 1080×1920', width: 1080, height: 1920 },
  { label: 'Portrait 600×800', width: 600, height: 800 },
  { label: 'Square 1080×1080', width: 1080, height: 1080 },
];

export function newKomposition(id: string, name: string): Komposition {
  return {
    _id: id,
    name,
    type: 'Komposition',
    bpm: 120,
    config: { width: 1280, height: 720, framerate: 30, extension: 'mp4' },
    beatpattern: { frombeat: 0, tobeat: 32, masterbpm: 120 },
    segments: [],
    sources: [],
  };
}

/** A document id from a name: letters, digits, `_` and `-`. */
export function idFromName(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return id || 'Komposition';
}

// ---- time ----------------------------------------------------------------------------

/** `beatpattern.masterbpm` when > 0, else `bpm`. */
export function effectiveBpm(k: Komposition): number {
  const master = k.beatpattern?.masterbpm ?? 0;
  return master > 0 ? master : k.bpm;
}

export function lastSegmentEnd(k: Komposition): number {
  return k.segments.reduce((end, s) => Math.max(end, s.end), 0);
}

/** The render range [from, to): the beatpattern's, else 0 to the last segment's end. */
export function renderRange(k: Komposition): { from: number; to: number } {
  if (k.beatpattern) return { from: k.beatpattern.frombeat, to: k.beatpattern.tobeat };
  return { from: 0, to: lastSegmentEnd(k) };
}

/** Length of the rendered video in seconds. */
export function lengthSeconds(k: Komposition): number {
  const { from, to } = renderRange(k);
  const bpm = effectiveBpm(k);
  return bpm > 0 ? Math.max(0, ((to - from) * 60) / bpm) : 0;
}

// ---- sources -------------------------------------------------------------------------

/** The library name a source's url refers to (`NAME`, `file://NAME`, `media/NAME`). */
export function mediaNameOf(source: Source): string {
  const url = source.url.startsWith('file://') ? source.url.slice('file://'.length) : source.url;
  const slash = url.lastIndexOf('/');
  return slash >= 0 ? url.slice(slash + 1) : url;
}

export const isAudio = (s: Source): boolean => s.mediatype.toLowerCase() === 'audio';
export const isImage = (s: Source): boolean => s.mediatype.toLowerCase() === 'image';

/** The first audio source that no segment uses as picture: the soundtrack. */
export function soundtrack(k: Komposition): Source | undefined {
  const asPicture = new Set(k.segments.map((s) => s.sourceid));
  return k.sources.find((s) => isAudio(s) && !asPicture.has(s.id));
}

function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '_') || 'source';
  if (!used.has(clean)) return clean;
  for (let n = 2; ; n++) if (!used.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

export function sourceFromMedium(medium: Medium, id: string): Source {
  const source: Source = {
    id,
    url: medium.name,
    startingOffset: 0,
    checksums: medium.checksums ?? '',
    format: medium.format ?? '',
    extension: medium.extension ?? '',
    mediatype: medium.mediatype.toLowerCase(),
  };
  if (medium.width) source.width = medium.width;
  if (medium.height) source.height = medium.height;
  return source;
}

/** The source showing `medium`, adding one when the komposition has none yet. */
export function ensureSource(k: Komposition, medium: Medium): { k: Komposition; sourceId: string } {
  const existing = k.sources.find((s) => mediaNameOf(s) === medium.name);
  if (existing) return { k, sourceId: existing.id };
  const base = medium.name.replace(/\.[^.]+$/, '');
  const id = uniqueId(base, k.sources.map((s) => s.id));
  return { k: { ...k, sources: [...k.sources, sourceFromMedium(medium, id)] }, sourceId: id };
}

/** Makes `medium` (audio) the soundtrack: it goes before any other audio source. */
export function setSoundtrack(k: Komposition, medium: Medium): Komposition {
  const current = soundtrack(k);
  if (current && mediaNameOf(current) === medium.name) return k;
  const { k: withSource, sourceId } = ensureSource(k, medium);
  const source = withSource.sources.find((s) => s.id === sourceId)!;
  const others = withSource.sources.filter((s) => s.id !== sourceId);
  const firstAudio = others.findIndex(isAudio);
  const at = firstAudio < 0 ? others.length : firstAudio;
  return { ...withSource, sources: [...others.slice(0, at), source, ...others.slice(at)] };
}

/** The detected tempo and first downbeat of the soundtrack, when they differ from the komposition's (an offer, never applied by itself). */
export function tempoOffer(
  k: Komposition,
  sourceId: string,
  suggested: { bpm: number; startingOffset: number } | undefined,
): { bpm: number; startingOffset: number } | null {
  const source = k.sources.find((s) => s.id === sourceId);
  if (!suggested || !source) return null;
  const same = Math.abs(effectiveBpm(k) - suggested.bpm) < 1e-3 && Math.abs((source.startingOffset ?? 0) - suggested.startingOffset) < 1e-4;
  return same ? null : suggested;
}

/** Takes the offer: the komposition's tempo and the soundtrack's startingOffset. */
export function applyTempo(k: Komposition, sourceId: string, offer: { bpm: number; startingOffset: number }): Komposition {
  return setSourceOffset(setBpm(k, offer.bpm), sourceId, offer.startingOffset);
}

export function setSourceOffset(k: Komposition, sourceId: string, offset: number): Komposition {
  return {
    ...k,
    sources: k.sources.map((s) => (s.id === sourceId ? { ...s, startingOffset: offset } : s)),
  };
}

/** Removes a source no segment uses (a used one stays: the caller says why). */
export function removeSource(k: Komposition, sourceId: string): Komposition {
  if (k.segments.some((s) => s.sourceid === sourceId)) return k;
  return { ...k, sources: k.sources.filter((s) => s.id !== sourceId) };
}

// ---- segments ------------------------------------------------------------------------

const byStart = (a: Segment, b: Segment): number => a.start - b.start;

function withSegment(k: Komposition, segment: Segment): Komposition {
  const segments = k.segments.map((s) => (s.id === segment.id ? segment : s));
  return { ...k, segments: segments.sort(byStart) };
}

export function placed(segment: Segment, start: number, duration: number): Segment {
  return { ...segment, start, duration, end: start + duration };
}

/** The free stretches of the timeline, other segments than `exceptId` taken out. */
export function gaps(k: Komposition, exceptId?: string): Array<{ from: number; to: number }> {
  const others = k.segments.filter((s) => s.id !== exceptId).sort(byStart);
  const out: Array<{ from: number; to: number }> = [];
  let at = 0;
  for (const s of others) {
    if (s.start > at) out.push({ from: at, to: s.start });
    at = Math.max(at, s.end);
  }
  out.push({ from: at, to: Number.POSITIVE_INFINITY });
  return out;
}

/** The start nearest to `wanted` where `length` beats fit without overlapping others. */
export function nearestFreeStart(k: Komposition, wanted: number, length: number, exceptId?: string): number {
  let best = Number.NaN;
  for (const gap of gaps(k, exceptId)) {
    if (gap.to - gap.from < length) continue;
    const start = Math.min(Math.max(wanted, gap.from), gap.to - length);
    if (Number.isNaN(best) || Math.abs(start - wanted) < Math.abs(best - wanted)) best = start;
  }
  return best;
}

export interface Dropped {
  k: Komposition;
  segmentId: string;
}

/** How many beats a dropped medium fills: its length, at most DROP_MAX_BEATS. */
export function dropLength(medium: Medium, bpm: number): number {
  if (medium.mediatype.toLowerCase() === 'image' || !medium.duration) return 4;
  return Math.min(DROP_MAX_BEATS, Math.max(MIN_SEGMENT_BEATS, Math.floor((medium.duration * bpm) / 60)));
}

/**
 * A segment of `medium` at `atBeat` (whole beats), fitted into the free space there: a
 * video plays from its own start (source_timing), a still fills the segment.
 */
export function addClipSegment(k: Komposition, medium: Medium, atBeat: number): Dropped | null {
  const { k: withSource, sourceId } = ensureSource(k, medium);
  let length = dropLength(medium, effectiveBpm(k));
  const start0 = Math.max(0, atBeat);
  const gap = gaps(withSource).find((g) => start0 >= g.from && start0 < g.to);
  if (gap) length = Math.min(length, gap.to - start0);
  let start = start0;
  if (!gap || length < MIN_SEGMENT_BEATS) {
    length = MIN_SEGMENT_BEATS;
    start = nearestFreeStart(withSource, start0, length);
  }
  if (Number.isNaN(start)) return null;
  const id = uniqueId(sourceId, k.segments.map((s) => s.id));
  const segment: Segment = { id, sourceid: sourceId, start, duration: length, end: start + length };
  if (medium.mediatype.toLowerCase() === 'video' && medium.duration) {
    segment.source_timing = { original_start: 0, original_duration: medium.duration };
  }
  return { k: { ...withSource, segments: [...withSource.segments, segment].sort(byStart) }, segmentId: id };
}

export function findSegment(k: Komposition, id: string): Segment | undefined {
  return k.segments.find((s) => s.id === id);
}

/** Moves a segment to start near `wanted`, never onto another one nor before beat 0. */
export function moveSegment(k: Komposition, id: string, wanted: number): Komposition {
  const segment = findSegment(k, id);
  if (!segment) return k;
  const start = nearestFreeStart(k, Math.max(0, wanted), segment.duration, id);
  if (Number.isNaN(start) || start === segment.start) return k;
  return withSegment(k, placed(segment, start, segment.duration));
}

/** Moves by `delta` beats, stopping at the neighbours (arrow keys). */
export function nudgeSegment(k: Komposition, id: string, delta: number): Komposition {
  const segment = findSegment(k, id);
  if (!segment) return k;
  const gap = gaps(k, id).find((g) => segment.start >= g.from && segment.end <= g.to);
  if (!gap) return k;
  const start = Math.min(Math.max(segment.start + delta, gap.from), gap.to - segment.duration);
  return start === segment.start ? k : withSegment(k, placed(segment, start, segment.duration));
}

/** Moves one edge to `beat`, keeping at least a beat and off the neighbours. */
export function resizeSegment(k: Komposition, id: string, edge: 'start' | 'end', beat: number): Komposition {
  const segment = findSegment(k, id);
  if (!segment) return k;
  const gap = gaps(k, id).find((g) => segment.start >= g.from && segment.end <= g.to);
  if (!gap) return k;
  if (edge === 'end') {
    const end = Math.min(Math.max(beat, segment.start + MIN_SEGMENT_BEATS), gap.to);
    return end === segment.end ? k : withSegment(k, placed(segment, segment.start, end - segment.start));
  }
  const start = Math.max(Math.min(beat, segment.end - MIN_SEGMENT_BEATS), gap.from, 0);
  return start === segment.start ? k : withSegment(k, placed(segment, start, segment.end - start));
}

export function deleteSegment(k: Komposition, id: string): Komposition {
  return { ...k, segments: k.segments.filter((s) => s.id !== id) };
}

/** Where in its clip the segment starts (seconds), or null when it runs with the music. */
export function inPoint(segment: Segment): number | null {
  return segment.source_timing?.original_start ?? null;
}

/** Plays the clip from `start` seconds on (null: in time with the music, komposition.md rule 2). */
export function setInPoint(k: Komposition, id: string, start: number | null, clipDuration?: number): Komposition {
  const segment = findSegment(k, id);
  if (!segment) return k;
  if (start === null) {
    const { source_timing: _dropped, ...rest } = segment;
    void _dropped;
    return withSegment(k, rest as Segment);
  }
  const timing = { ...segment.source_timing, original_start: Math.max(0, start) };
  if (clipDuration !== undefined) timing.original_duration = Math.max(0.001, clipDuration - timing.original_start);
  return withSegment(k, { ...segment, source_timing: timing });
}

// ---- settings ------------------------------------------------------------------------

export function setBpm(k: Komposition, bpm: number): Komposition {
  const next: Komposition = { ...k, bpm };
  if (k.beatpattern && k.beatpattern.masterbpm > 0) next.beatpattern = { ...k.beatpattern, masterbpm: bpm };
  return next;
}

export function setRange(k: Komposition, from: number, to: number): Komposition {
  const masterbpm = k.beatpattern?.masterbpm ?? k.bpm;
  return { ...k, beatpattern: { ...k.beatpattern, frombeat: from, tobeat: to, masterbpm } };
}

export function setResolution(k: Komposition, width: number, height: number): Komposition {
  return { ...k, config: { ...k.config, width, height } };
}

export function setFit(k: Komposition, crop: boolean): Komposition {
  const { fit: _fit, ...rest } = k.config;
  void _fit;
  return { ...k, config: crop ? { ...rest, fit: 'crop' } : rest };
}

export function setName(k: Komposition, name: string): Komposition {
  return { ...k, name };
}

/** The first problem a render would refuse, found before asking the server. */
export function problem(k: Komposition): { field: string; message: string } | null {
  if (!(effectiveBpm(k) > 0)) return { field: 'bpm', message: 'BPM must be greater than 0' };
  const { from, to } = renderRange(k);
  if (k.beatpattern && !(to > from)) return { field: 'beatpattern.tobeat', message: 'The range must end after it starts' };
  if (k.segments.length === 0) return { field: 'segments', message: 'Drag a clip onto the grid to make the first segment' };
  return null;
}
