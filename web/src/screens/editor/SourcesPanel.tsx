// The komposition's sources: which media it uses, the soundtrack and where its beat 1 falls.
import type { Komposition } from '../../api/types';
import { editorStore } from '../../editor/editorStore';
import { isAudio, mediaNameOf, removeSource, setSourceOffset, soundtrack } from '../../komposition/model';
import { NumberField } from './NumberField';

export function SourcesPanel({ k, editable }: { k: Komposition; editable: boolean }) {
  const { edit } = editorStore.actions;
  const track = soundtrack(k);
  const used = new Set(k.segments.map((s) => s.sourceid));
  return (
    <section className="panel sources" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      {k.sources.length === 0 ? <p className="muted small">None yet: dropping media on the grid adds them.</p> : null}
      <ul className="source-list">
        {k.sources.map((s) => (
          <li key={s.id} className="source-item">
            <div>
              <strong>{s.id}</strong> <span className="muted small">{mediaNameOf(s)} · {s.mediatype}</span>
              {s === track ? <span className="badge badge-soundtrack">Soundtrack</span> : null}
            </div>
            {isAudio(s) ? (
              <NumberField
                id={`offset-${s.id}`}
                label="Beat 0 at second"
                value={s.startingOffset ?? 0}
                step={0.01}
                disabled={!editable}
                onCommit={(v) => edit((d) => setSourceOffset(d, s.id, v))}
              />
            ) : null}
            {editable && !used.has(s.id) ? (
              <button type="button" className="quiet small" onClick={() => edit((d) => removeSource(d, s.id))} aria-label={`Remove source ${s.id}`}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
