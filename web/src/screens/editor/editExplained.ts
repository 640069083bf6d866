import type { Explained } from '../../komposition/explain';
import type { Komposition } from '../../api/types';
import { editorStore } from '../../editor/editorStore';

/** Makes an explained edit of the draft (one undo step) and returns what to tell the musician. */
export function editExplained(explain: (k: Komposition) => Explained): string | null {
  const current = editorStore.get().history?.present;
  if (!current) return null;
  const { k, note } = explain(current);
  editorStore.actions.edit(() => k);
  return note;
}
