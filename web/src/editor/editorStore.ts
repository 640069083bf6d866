// The komposition being edited: the draft with its undo history, the revision it is
// based on, the selected segment, and saving with conflict handling (412 → the
// musician picks "keep mine" or "take theirs"; nothing is lost either way: taking theirs
// is a step that undo reverts).
//
// Autosave: AUTOSAVE_DELAY_MS after the last change the draft is saved on the revision it
// is based on (If-Match), exactly as the Save button does. Never in the middle of a drag
// (its end starts the delay again), never while a conflict is shown (the musician
// decides), and one save at a time: a save asked for while one is under way runs once
// after it, however many edits came in between.
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

/** What the toolbar says about saving ("Saved · revision 3"). */
export function saveStatusText(save: SaveState, dirty: boolean): string {
  if (save.kind === 'saving') return 'Saving…';
  if (save.kind === 'conflict') return 'Conflict: not saved';
  if (save.kind === 'error') return 'Not saved';
  if (dirty) return 'Unsaved changes';
  if (save.kind === 'saved') return `Saved · revision ${save.rev.split('-')[0]}`;
  return 'All changes saved';
}

/** How long after the last change the draft saves itself. */
export const AUTOSAVE_DELAY_MS = 1500;

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(api: EditorApi = serverEditorApi, autosaveDelayMs: number = AUTOSAVE_DELAY_MS) {
  const store: Store<EditorState> = createStore(initialEditorState());
  let loadToken = 0;
  let autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The save under way, and the one queued after it (at most one). */
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const cancelAutosave = (): void => {
    if (autosaveTimer !== null) clearTimeout(autosaveTimer);
    autosaveTimer = null;
  };
  const scheduleAutosave = (): void => {
    cancelAutosave();
    autosaveTimer = setTimeout(() => {
      autosaveTimer = null;
      void saveDraft();
    }, autosaveDelayMs);
  };

  const withHistory = (f: (h: H.History<Komposition>) => H.History<Komposition>): void => {
    const before = store.get().history;
    store.set((s) => {
      if (!s.history) return s;
      const history = f(s.history);
      if (history === s.history) return s;
      const selection = s.selection && history.present.segments.some((g) => g.id === s.selection) ? s.selection : null;
      // A change after a save or an error makes the old notice stale (a conflict stays).
      const save: SaveState = s.save.kind === 'saved' || s.save.kind === 'error' ? { kind: 'idle' } : s.save;
      return { ...s, history, selection, save };
    });
    const after = store.get();
    if (!after.history || after.history === before) return;
    if (after.history.gestureStart !== null || after.save.kind === 'conflict') cancelAutosave();
    else scheduleAutosave();
  };

  async function write(doc: Komposition, baseRev: string): Promise<void> {
    const token = loadToken;
    const current = (): boolean => token === loadToken;
    store.set({ save: { kind: 'saving' } });
    try {
      const saved = await api.save(doc, baseRev);
      if (!current()) return;
      store.set((s) => ({ ...s, base: saved, save: { kind: 'saved', rev: saved._rev ?? '' } }));
    } catch (e) {
      if (!current()) return;
      const error = asApiError(e);
      if (error.status === 412 || error.status === 409) {
        try {
          const theirs = await api.read(doc._id);
          if (!current()) return;
          const base = store.get().base ?? doc;
          store.set({ save: { kind: 'conflict', theirs, changes: describeChanges(base, theirs) } });
        } catch (readError) {
          if (!current()) return;
          const re = asApiError(readError);
          store.set({ save: { kind: 'error', message: re.message, field: re.field } });
        }
        return;
      }
      store.set({ save: { kind: 'error', message: error.message, field: error.field } });
    }
  }

  /** Runs one save; the only place a write starts, so there is never more than one. */
  function run(doc: Komposition, baseRev: string): Promise<void> {
    const saving = write(doc, baseRev).finally(() => {
      inFlight = null;
    });
    inFlight = saving;
    return saving;
  }

  /** Saves the draft when it has unsaved changes and nothing holds it back. */
  function saveDraft(): Promise<void> {
    cancelAutosave();
    if (inFlight) {
      queued ??= inFlight.then(() => {
        queued = null;
        return saveDraft();
      });
      return queued;
    }
    const s = store.get();
    if (!s.history || !s.base || s.history.gestureStart !== null || s.save.kind === 'conflict' || !isDirty(s)) return Promise.resolve();
    return run(s.history.present, s.base._rev ?? '');
  }

  const actions = {
    async load(id: string): Promise<void> {
      // An autosave still due for the komposition being left is made now.
      const left = store.get();
      if (autosaveTimer !== null && left.id !== id) void saveDraft();
      cancelAutosave();
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

    /**
     * Saves the draft now as the revision after the one it is based on (after the save
     * under way, if any). Nothing happens while a conflict is shown or nothing changed.
     */
    save(): Promise<void> {
      return saveDraft();
    },

    /** Saves what is unsaved and tells whether the draft is now the stored revision. */
    async saveNow(): Promise<boolean> {
      await saveDraft();
      return !isDirty(store.get());
    },

    /** Conflict: my draft replaces their revision. */
    async keepMine(): Promise<void> {
      if (inFlight) await inFlight;
      const s = store.get();
      if (s.save.kind !== 'conflict' || !s.history) return;
      const theirs = s.save.theirs;
      store.set({ base: theirs });
      await run(s.history.present, theirs._rev ?? '');
    },

    /** Conflict: their revision becomes the draft (undo brings mine back). */
    takeTheirs(): void {
      const s = store.get();
      if (s.save.kind !== 'conflict' || !s.history) return;
      const theirs = s.save.theirs;
      cancelAutosave();
      store.set({ history: H.commit({ ...s.history, gestureStart: null }, theirs), base: theirs, save: { kind: 'idle' } });
    },

    dismissSaveNotice(): void {
      if (store.get().save.kind === 'error' || store.get().save.kind === 'saved') store.set({ save: { kind: 'idle' } });
    },
  };

  return { ...store, actions };
}

export const editorStore = createEditorStore();
