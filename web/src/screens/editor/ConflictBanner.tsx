import type { SaveState } from '../../editor/conflict';
import { editorStore } from '../../editor/editorStore';

/** Someone saved in between: say what they changed and let the musician choose. */
export function ConflictBanner({ save }: { save: SaveState }) {
  if (save.kind !== 'conflict') return null;
  const { keepMine, takeTheirs } = editorStore.actions;
  return (
    <div className="conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Not saved: this komposition was changed elsewhere</h2>
      <p>
        Someone (or another tab) saved revision <code>{save.theirs._rev}</code> after you opened it. Your changes are still here; choose which version stays.
      </p>
      {save.changes.length ? (
        <>
          <p className="small">Their version changed:</p>
          <ul className="small">
            {save.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="row">
        <button type="button" className="primary" onClick={() => void keepMine()}>
          Keep mine (replace theirs)
        </button>
        <button type="button" onClick={takeTheirs}>
          Take theirs (undo brings mine back)
        </button>
      </div>
    </div>
  );
}
