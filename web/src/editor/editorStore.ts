// The komposition being edited: the draft with its undo history, the revision it is
// based on, the selected segment, and saving with conflict handling (412 → the
// musician picks "keep mine" or "take theirs"; nothing is lost either way: taking theirs
// is a step that undo reverts).
import { ApiError } from '../api/client';
import * as kompositionsApi from '../api/kompositions';
import type { Komposition } from '../api/types';
import { asApiError } from '../store/appStore';
import { createStore, type Store } from '../store/store';
import { describeChanges, sameContent, type SaveState } from './conflict';
import * as H from './history';

export interface EditorState {
  id: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  loadError: ApiError | null;
  history: H.History<Komposition> | null;
  /** The last revision read from or written to the server. */
  base: Komposition | null;
  selection: string | null;
  save: SaveState;
}

export interface EditorApi {
  read: (id: string) => Promise<Komposition>;
  save: (doc: Komposition, baseRev: string) => Promise<Komposition>;
}

export const serverEditorApi: EditorApi = {
  read: (id) => kompositionsApi.readKomposition(id),
  save: kompositionsApi.saveKomposition,
};

export const initialEditorState = (): EditorState => ({
  id: null,
  status: 'idle',
  loadError: null,
  history: null,
  base: null,
  selection: null,
  save: { kind: 'idle' },
});

/** True when the draft differs from the last saved revision. */
export function isDirty(s: EditorState): boolean {
  return !!s.history && !!s.base && !sameContent(s.history.present, s.base);
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(api: EditorApi = serverEditorApi) {
  const store: Store<EditorState> = createStore(initialEditorState());
  let loadToken = 0;

  const withHistory = (f: (h: H.History<Komposition>) => H.History<Komposition>): void =>
    store.set((s) => {
      if (!s.history) return s;
      const history = f(s.history);
      if (history === s.history) return s;
      const selection = s.selection && history.present.segments.some((g) => g.id === s.selection) ? s.selection : null;
      // A change after a save or an error makes the old notice stale (a conflict stays).
      const save: SaveState = s.save.kind === 'saved' || s.save.kind === 'error' ? { kind: 'idle' } : s.save;
      return { ...s, history, selection, save };
    });

  async function write(doc: Komposition, baseRev: string): Promise<void> {
    store.set({ save: { kind: 'saving' } });
    try {
      const saved = await api.save(doc, baseRev);
      store.set((s) => ({ ...s, base: saved, save: { kind: 'saved', rev: saved._rev ?? '' } }));
    } catch (e) {
      const error = asApiError(e);
      if (error.status === 412 || error.status === 409) {
        try {
          const theirs = await api.read(doc._id);
          const base = store.get().base ?? doc;
          store.set({ save: { kind: 'conflict', theirs, changes: describeChanges(base, theirs) } });
        } catch (readError) {
          const re = asApiError(readError);
          store.set({ save: { kind: 'error', message: re.message, field: re.field } });
        }
        return;
      }
      store.set({ save: { kind: 'error', message: error.message, field: error.field } });
    }
  }

  const actions = {
    async load(id: string): Promise<void> {
      const token = ++loadToken;
      store.set({ ...initialEditorState(), id, status: 'loading' });
      try {
        const doc = await api.read(id);
        if (token !== loadToken) return;
        store.set({ id, status: 'ready', history: H.start(doc), base: doc, loadError: null });
      } catch (e) {
        if (token !== loadToken) return;
        store.set({ status: 'failed', loadError: asApiError(e) });
      }
    },

    /** One change, one step of undo. */
    edit(change: (k: Komposition) => Komposition): void {
      withHistory((h) => H.commit(h, change(h.present)));
    },

    beginGesture(): void {
      withHistory(H.beginGesture);
    },
    /** A change within a gesture (a drag): the history takes it as one step at its end. */
    gesture(change: (k: Komposition) => Komposition): void {
      withHistory((h) => H.commit(H.beginGesture(h), change(h.present)));
    },
    endGesture(): void {
      withHistory(H.endGesture);
    },

    undo: (): void => withHistory(H.undo),
    redo: (): void => withHistory(H.redo),

    select(id: string | null): void {
      store.set({ selection: id });
    },

    /** Saves the draft as the revision after the one it is based on. */
    async save(): Promise<void> {
      const s = store.get();
      if (!s.history || !s.base || s.save.kind === 'saving' || s.save.kind === 'conflict') return;
      await write(s.history.present, s.base._rev ?? '');
    },

    /** Conflict: my draft replaces their revision. */
    async keepMine(): Promise<void> {
      const s = store.get();
      if (s.save.kind !== 'conflict' || !s.history) return;
      const theirs = s.save.theirs;
      store.set({ base: theirs });
      await write(s.history.present, theirs._rev ?? '');
    },

    /** Conflict: their revision becomes the draft (undo brings mine back). */
    takeTheirs(): void {
      const s = store.get();
      if (s.save.kind !== 'conflict' || !s.history) return;
      const theirs = s.save.theirs;
      store.set({ history: H.commit({ ...s.history, gestureStart: null }, theirs), base: theirs, save: { kind: 'idle' } });
    },

    dismissSaveNotice(): void {
      if (store.get().save.kind === 'error' || store.get().save.kind === 'saved') store.set({ save: { kind: 'idle' } });
    },
  };

  return { ...store, actions };
}

export const editorStore = createEditorStore();
