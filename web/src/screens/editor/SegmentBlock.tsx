// One segment on the grid: drag its body to move it, its edges to resize it, always
// snapped to beats and never onto a neighbour.
import { useRef, type PointerEvent } from 'react';
import { thumbnailUrl } from '../../api/media';
import type { Segment, Source } from '../../api/types';
import { beatCount } from '../../components/format';
import { useAnalysis } from '../../components/useAnalysis';
import { editorStore } from '../../editor/editorStore';
import { mediaNameOf, moveSegment, resizeSegment } from '../../komposition/model';
import type { WindowCheck } from '../../komposition/windows';
import { barBeatLabel, beatsToWidth, beatToPx, snap, type GridView } from '../../timeline/grid';
import { clipWindow, shotChangeFractions } from '../../timeline/marks';
import { beats } from '../../timeline/units';

type Grip = 'move' | 'start' | 'end';

interface Props {
  segment: Segment;
  source: Source | undefined;
  bpm: number;
  view: GridView;
  selected: boolean;
  editable: boolean;
  /** Its window runs or starts past the end of its clip. */
  check?: WindowCheck | undefined;
  /** A library medium is dragged over it: dropping replaces its clip. */
  dropOn?: boolean;
}

export function describeSegment(segment: Segment, source: Source | undefined, check?: WindowCheck): string {
  const what = `${segment.id}: ${source ? mediaNameOf(source) : `missing source ${segment.sourceid}`}, bar ${barBeatLabel(beats(segment.start))} to ${barBeatLabel(beats(segment.end))}, ${beatCount(segment.duration)}`;
  return check ? `${what}. ${check.severity === 'error' ? 'Error' : 'Warning'}: ${check.message}` : what;
}

export function SegmentBlock({ segment, source, bpm, view, selected, editable, check, dropOn }: Props) {
  const drag = useRef<{ grip: Grip; x: number; start: number; end: number; moved: boolean } | null>(null);
  const { actions } = editorStore;

  const down = (grip: Grip) => (e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    actions.select(segment.id);
    if (!editable) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { grip, x: e.clientX, start: segment.start, end: segment.end, moved: false };
    actions.beginGesture();
  };
  const move = (e: PointerEvent<HTMLElement>): void => {
    const d = drag.current;
    if (!d) return;
    const delta = (e.clientX - d.x) / view.pxPerBeat;
    if (!d.moved && Math.abs(e.clientX - d.x) < 3) return;
    d.moved = true;
    if (d.grip === 'move') actions.gesture((k) => moveSegment(k, segment.id, snap(beats(d.start + delta))));
    else if (d.grip === 'start') actions.gesture((k) => resizeSegment(k, segment.id, 'start', snap(beats(d.start + delta))));
    else actions.gesture((k) => resizeSegment(k, segment.id, 'end', snap(beats(d.end + delta))));
  };
  const up = (): void => {
    if (!drag.current) return;
    drag.current = null;
    actions.endGesture();
  };

  const left = beatToPx(view, beats(segment.start));
  const width = beatsToWidth(view, beats(segment.duration));
  const picture = source && source.mediatype.toLowerCase() !== 'audio';
  const t = segment.source_timing?.original_start ?? 0;
  const analysis = useAnalysis(picture && source.mediatype.toLowerCase() === 'video' ? mediaNameOf(source) : null);
  const shown = clipWindow(segment, source, bpm);
  const cuts = shotChangeFractions(analysis?.shots?.changes.map((c) => c.time) ?? [], shown.start, shown.length);
  return (
    <div
      className={`segment${selected ? ' selected' : ''}${check ? ` window-${check.severity}` : ''}${dropOn ? ' drop-on' : ''}`}
      style={{ left, width }}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={describeSegment(segment, source, check)}
      title={check?.message}
      data-segment={segment.id}
      onFocus={() => actions.select(segment.id)}
      onPointerDown={down('move')}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    >
      {picture ? <img src={thumbnailUrl(mediaNameOf(source), t, 160)} alt="" draggable={false} className="segment-thumb" /> : null}
      {cuts.map((f) => (
        <span key={f} className="shot-change" style={{ left: `${f * 100}%` }} title="shot change" aria-hidden="true" />
      ))}
      {source ? <span className="segment-clip">{mediaNameOf(source)}</span> : null}
      <span className="segment-label">{segment.id}</span>
      {check ? (
        <span className="segment-flag" aria-hidden="true">
          !
        </span>
      ) : null}
      {editable ? (
        <>
          <span className="grip grip-start" onPointerDown={down('start')} onPointerMove={move} onPointerUp={up} onPointerCancel={up} aria-hidden="true" />
          <span className="grip grip-end" onPointerDown={down('end')} onPointerMove={move} onPointerUp={up} onPointerCancel={up} aria-hidden="true" />
        </>
      ) : null}
    </div>
  );
}
