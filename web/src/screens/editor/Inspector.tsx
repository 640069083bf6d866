// The selected segment: where it sits, how long it is, which part of its clip it shows.
import type { Komposition, Medium } from '../../api/types';
import { editorStore } from '../../editor/editorStore';
import { deleteSegment, findSegment, inPoint, isImage, mediaNameOf, moveSegment, resizeSegment, setInPoint } from '../../komposition/model';
import { barBeatLabel } from '../../timeline/grid';
import { beats } from '../../timeline/units';
import { NumberField } from './NumberField';

export function Inspector({ k, selection, editable, media }: { k: Komposition; selection: string | null; editable: boolean; media: Medium[] | null }) {
  const { edit } = editorStore.actions;
  const segment = selection ? findSegment(k, selection) : undefined;
  if (!segment) {
    return (
      <section className="panel inspector" aria-label="Segment">
        <p className="muted small">Select a segment to see and change it. Keys: Space plays, ←/→ nudge a beat (Shift: a bar), Delete removes, Ctrl+Z / Ctrl+Shift+Z undo and redo, Ctrl+S saves.</p>
      </section>
    );
  }
  const source = k.sources.find((s) => s.id === segment.sourceid);
  const medium = source ? media?.find((m) => m.name === mediaNameOf(source)) : undefined;
  const from = inPoint(segment);
  const still = source ? isImage(source) : false;
  return (
    <section className="panel inspector" aria-labelledby="inspector-title">
      <div className="panel-head">
        <h2 id="inspector-title">{segment.id}</h2>
        {editable ? (
          <button type="button" className="danger small" onClick={() => edit((d) => deleteSegment(d, segment.id))}>
            Delete
          </button>
        ) : null}
      </div>
      <p className="muted small">
        {source ? mediaNameOf(source) : `No source “${segment.sourceid}”`} · bar {barBeatLabel(beats(segment.start))} → {barBeatLabel(beats(segment.end))}
      </p>
      <div className="inspector-fields">
        <NumberField id="seg-start" label="Start beat" value={segment.start} min={0} step={1} disabled={!editable} onCommit={(v) => edit((d) => moveSegment(d, segment.id, v))} />
        <NumberField id="seg-length" label="Length (beats)" value={segment.duration} min={1} step={1} disabled={!editable} onCommit={(v) => edit((d) => resizeSegment(d, segment.id, 'end', segment.start + v))} />
        {!still ? (
          <>
            <label className="field">
              Clip plays
              <select
                value={from === null ? 'music' : 'clip'}
                disabled={!editable}
                onChange={(e) => edit((d) => setInPoint(d, segment.id, e.target.value === 'music' ? null : 0, medium?.duration))}
              >
                <option value="clip">from a point in the clip</option>
                <option value="music">in time with the song</option>
              </select>
            </label>
            {from !== null ? (
              <NumberField id="seg-in" label="From second" value={from} min={0} step={0.1} disabled={!editable} onCommit={(v) => edit((d) => setInPoint(d, segment.id, v, medium?.duration))} />
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
