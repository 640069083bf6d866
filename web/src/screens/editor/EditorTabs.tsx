import { Link, paths } from '../../app/router';
import { useElmEditorAvailable } from '../../editor/useElmEditor';

/**
 * Our editor, the Elm editor (when the server has its bundle), the render history. Busy
 * until the server said whether it has the Elm editor.
 */
export function EditorTabs({ id, current }: { id: string; current: 'kompost' | 'elm' }) {
  const elm = useElmEditorAvailable();
  return (
    <nav className="tabs" aria-label="Editors" aria-busy={elm === null}>
      <Link to={paths.editor(id)} aria-current={current === 'kompost' ? 'page' : undefined}>
        Kompost editor
      </Link>
      {elm ? (
        <Link to={paths.elmEditor(id)} aria-current={current === 'elm' ? 'page' : undefined}>
          Elm editor
        </Link>
      ) : null}
      <Link to={paths.history(id)}>Renders</Link>
    </nav>
  );
}
