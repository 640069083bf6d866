// The selected segment: which clip it shows, where it sits, how long it is, which part of
// its clip it shows, and whether that part lies inside the clip.
import type { Komposition, Medium, Segment } from '../../api/types';
import { editorStore } from '../../editor/editorStore';
import { moveExplained, resizeExplained } from '../../komposition/explain';
import { deleteSegment, findSegment, inPoint, isImage, mediaNameOf, setInPoint } from '../../komposition/model';
import { replaceClip, setSegmentSource } from '../../komposition/replaceClip';
import type { ClipLengths, WindowCheck } from '../../komposition/windows';
import { barBeatLabel } from '../../timeline/grid';
import { beats } from '../../timeline/units';
import { ClipPicker, type ClipChoice } from './ClipPicker';
import { editExplained } from './editExplained';
import { NumberField } from './NumberField';

interface Props {
  k: Komposition;
  selection: string | null;
  editable: boolean;
  media: Medium[] | null;
  lengths: ClipLengths;
  check: WindowCheck | undefined;
}

/** The segment shows the chosen clip instead (one undo step). */
function chooseClip(segment: Segment, choice: ClipChoice, lengths: ClipLengths): void {
  editorStore.actions.edit((d) => {
    if (choice.kind === 'medium') return replaceClip(d, segment.id, choice.medium);
    const source = d.sources.find((s) => s.id === choice.sourceId);
    return setSegmentSource(d, segment.id, choice.sourceId, source ? lengths.get(mediaNameOf(source)) : undefined);
  });
}

/** A window problem said under the fields, when the segment has no From second to point at. */
function WindowProblem({ check }: { check: WindowCheck }) {
  const error = check.severity === 'error';
  return (
    <p className={`window-problem small ${error ? 'error' : 'warning'}`} role={error ? 'alert' : 'status'}>
      {check.message}
    </p>
  );
}

export function Inspector({ k, selection, editable, media, lengths, check }: Props) {
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
  const clipLength = source ? lengths.get(mediaNameOf(source)) : undefined;
  const from = inPoint(segment);
  const still = source ? isImage(source) : false;
  const onFromSecond = from !== null && !still;
  const fieldCheck = onFromSecond ? check : undefined;
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
      {/* Keyed by segment: a note about one segment's typed value never shows on another's. */}
      <div className="inspector-fields" key={segment.id}>
        <ClipPicker k={k} segment={segment} media={media} disabled={!editable} onChoose={(choice) => chooseClip(segment, choice, lengths)} />
        <NumberField id="seg-start" label="Start beat" value={segment.start} min={0} step={1} disabled={!editable} onCommit={(v) => editExplained((d) => moveExplained(d, segment.id, v))} />
        <NumberField id="seg-length" label="Length (beats)" value={segment.duration} min={1} step={1} disabled={!editable} onCommit={(v) => editExplained((d) => resizeExplained(d, segment.id, v))} />
        {!still ? (
          <>
            <label className="field">
              Clip plays
              <select
                value={from === null ? 'music' : 'clip'}
                disabled={!editable}
                onChange={(e) => edit((d) => setInPoint(d, segment.id, e.target.value === 'music' ? null : 0, clipLength))}
              >
                <option value="clip">from a point in the clip</option>
                <option value="music">in time with the song</option>
              </select>
            </label>
            {from !== null ? (
              <NumberField
                id="seg-in"
                label="From second"
                value={from}
                min={0}
                step={0.1}
                disabled={!editable}
                onCommit={(v) => edit((d) => setInPoint(d, segment.id, v, clipLength))}
                error={fieldCheck?.severity === 'error' ? fieldCheck.message : null}
                warning={fieldCheck?.severity === 'warning' ? fieldCheck.message : null}
              />
            ) : null}
          </>
        ) : null}
      </div>
      {check && !fieldCheck ? <WindowProblem check={check} /> : null}
    </section>
  );
}
