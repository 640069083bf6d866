// Undo, redo, play, zoom, save (with its state, announced politely), render.
import type { SaveState } from '../../editor/conflict';
import { editorStore, saveStatusText } from '../../editor/editorStore';

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  dirty: boolean;
  save: SaveState;
  playing: boolean;
  onPlay: () => void;
  onZoom: (factor: number) => void;
  editable: boolean;
  renderable: boolean;
  rendering: boolean;
  onRender: () => void;
}

export function Toolbar(p: Props) {
  const { undo, redo, save } = editorStore.actions;
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <button type="button" onClick={p.onPlay} aria-keyshortcuts="Space" aria-label={p.playing ? 'Pause' : 'Play'}>
        {p.playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <span className="toolbar-group">
        <button type="button" onClick={() => p.onZoom(0.8)} aria-label="Zoom out" aria-keyshortcuts="-">
          −
        </button>
        <button type="button" onClick={() => p.onZoom(1.25)} aria-label="Zoom in" aria-keyshortcuts="+">
          +
        </button>
      </span>
      {p.editable ? (
        <span className="toolbar-group">
          <button type="button" onClick={undo} disabled={!p.canUndo} aria-keyshortcuts="Control+Z">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!p.canRedo} aria-keyshortcuts="Control+Shift+Z">
            Redo
          </button>
        </span>
      ) : null}
      <span className="spacer" />
      <span className={`save-state save-${p.save.kind}${p.dirty ? ' dirty' : ''}`} role="status" aria-live="polite" aria-atomic="true" data-testid="save-state" title="Changes save themselves a moment after you stop editing">
        {saveStatusText(p.save, p.dirty)}
      </span>
      {p.editable ? (
        <button type="button" onClick={() => void save()} disabled={!p.dirty || p.save.kind === 'saving' || p.save.kind === 'conflict'} aria-keyshortcuts="Control+S">
          Save
        </button>
      ) : null}
      {p.renderable ? (
        <button type="button" className="primary" onClick={p.onRender} disabled={p.rendering || p.save.kind === 'conflict'}>
          {p.rendering ? 'Starting…' : p.dirty ? 'Save & render' : 'Render'}
        </button>
      ) : null}
    </div>
  );
}
