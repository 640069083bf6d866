// Another clip for a segment that stays where it is (the segment panel's clip picker, or a
// library medium dropped onto the segment). A window chosen in the old clip means nothing
// in the new one, so the new clip plays from its start, as a freshly dropped clip does.
import type { Komposition, Medium, Segment, SourceTiming } from '../api/types';
import { ensureSource, findSegment, isImage } from './model';

/** The window of a clip played from its start: its whole length when known. */
function fromTheStart(timing: SourceTiming | undefined, clipLength: number | undefined): SourceTiming {
  const { original_start: _start, original_duration: _duration, static_duration: _still, ...kept } = timing ?? {};
  void _start;
  void _duration;
  void _still;
  return clipLength && clipLength > 0 ? { ...kept, original_start: 0, original_duration: clipLength } : { ...kept, original_start: 0 };
}

/**
 * The segment shows source `sourceId` instead. A still fills the segment (no window); a clip
 * plays from its start, except that a segment playing in time with the song keeps doing so.
 */
export function setSegmentSource(k: Komposition, segmentId: string, sourceId: string, clipLength?: number): Komposition {
  const segment = findSegment(k, segmentId);
  const source = k.sources.find((s) => s.id === sourceId);
  if (!segment || !source || segment.sourceid === sourceId) return k;
  const { source_timing: timing, ...rest } = segment;
  const previous = k.sources.find((s) => s.id === segment.sourceid);
  const inTimeWithSong = !timing && !!previous && !isImage(previous);
  let next: Segment = { ...rest, sourceid: sourceId };
  if (!isImage(source) && !inTimeWithSong) next = { ...next, source_timing: fromTheStart(timing, clipLength) };
  return { ...k, segments: k.segments.map((s) => (s.id === segmentId ? next : s)) };
}

/** The segment shows a library medium, added as a source the way a drop adds one. */
export function replaceClip(k: Komposition, segmentId: string, medium: Medium): Komposition {
  if (!findSegment(k, segmentId)) return k;
  const { k: withSource, sourceId } = ensureSource(k, medium);
  return setSegmentSource(withSource, segmentId, sourceId, medium.duration);
}
