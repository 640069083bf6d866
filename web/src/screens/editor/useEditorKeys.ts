// The editor's keyboard: Space play/pause, Delete, undo/redo, arrows nudge by a beat
// (Shift: a bar), Ctrl+S save, +/- zoom, Escape deselect. Keys typed into a field stay there.
import { useEffect, useRef } from 'react';

export interface EditorKeyActions {
  togglePlay: () => void;
  deleteSelected: () => void;
  undo: () => void;
  redo: () => void;
  nudge: (beats: number) => void;
  save: () => void;
  zoom: (factor: number) => void;
  deselect: () => void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Listens while `enabled`; always calls the latest `actions` (no re-subscribing per render). */
export function useEditorKeys(latest: EditorKeyActions, enabled: boolean): void {
  const ref = useRef(latest);
  ref.current = latest;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      const actions = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 's') {
        e.preventDefault();
        actions.save();
        return;
      }
      if (typing(e.target)) return;
      const key = e.key;
      if (mod && key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) actions.redo();
        else actions.undo();
      } else if (mod && key.toLowerCase() === 'y') {
        e.preventDefault();
        actions.redo();
      } else if (key === ' ' && !mod) {
        // A focused button keeps Space for itself.
        if (e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement) return;
        e.preventDefault();
        actions.togglePlay();
      } else if ((key === 'Delete' || key === 'Backspace') && !mod) {
        e.preventDefault();
        actions.deleteSelected();
      } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && !mod) {
        e.preventDefault();
        actions.nudge((key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 4 : 1));
      } else if ((key === '+' || key === '=') && !mod) {
        actions.zoom(1.25);
      } else if (key === '-' && !mod) {
        actions.zoom(0.8);
      } else if (key === 'Escape') {
        actions.deselect();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
