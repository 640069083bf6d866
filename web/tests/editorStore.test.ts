// The editor store with a fake server: saving with revisions, the conflict choices and
// autosave (on fake timers: the store's only clock is setTimeout).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import type { Komposition } from '../src/api/types';
import { describeChanges } from '../src/editor/conflict';
import { AUTOSAVE_DELAY_MS, createEditorStore, isDirty, saveStatusText, type EditorApi } from '../src/editor/editorStore';
import { newKomposition, setBpm, setName } from '../src/komposition/model';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A server holding one document with CouchDB-like revisions. */
function fakeServer(initial: Komposition) {
  let stored: Komposition = { ...initial, _rev: '1-a' };
  let n = 1;
  const saves: Array<{ baseRev: string; doc: Komposition }> = [];
  /** While set, saves wait for it (a slow network). */
  let gate: Promise<void> | null = null;
  const api: EditorApi = {
    read: async () => structuredClone(stored),
    save: async (doc, baseRev) => {
      saves.push({ baseRev, doc });
      if (gate) await gate;
      if (baseRev !== stored._rev) throw new ApiError(412, 'conflict', `stale revision ${baseRev}`, { currentRev: stored._rev });
      if (doc.bpm <= 0) throw new ApiError(422, 'invalid_input', 'bpm: must be greater than 0, got 0', { field: 'bpm' });
      stored = { ...structuredClone(doc), _rev: `${++n}-x` };
      return structuredClone(stored);
    },
  };
  const otherSave = (change: (k: Komposition) => Komposition): void => {
    stored = { ...change(stored), _rev: `${++n}-other` };
  };
  /** Holds every save from now until the returned function is called. */
  const hold = (): (() => void) => {
    let release = (): void => undefined;
    gate = new Promise<void>((done) => {
      release = () => {
        gate = null;
        done();
      };
    });
    return release;
  };
  return { api, saves, otherSave, hold, stored: () => stored };
}

async function opened() {
  const server = fakeServer(newKomposition('K', 'Song'));
  const store = createEditorStore(server.api);
  await store.actions.load('K');
  return { server, store, a: store.actions };
}

describe('editing', () => {
  it('loads, is clean, becomes dirty with a change and clean again with undo', async () => {
    const { store, a } = await opened();
    expect(store.get().status).toBe('ready');
    expect(isDirty(store.get())).toBe(false);
    a.edit((k) => setBpm(k, 90));
    expect(isDirty(store.get())).toBe(true);
    a.undo();
    expect(isDirty(store.get())).toBe(false);
    a.redo();
    expect(store.get().history!.present.bpm).toBe(90);
  });

  it('takes a whole drag as one undo step', async () => {
    const { store, a } = await opened();
    a.beginGesture();
    for (const bpm of [100, 101, 102]) a.gesture((k) => setBpm(k, bpm));
    a.endGesture();
    expect(store.get().history!.past).toHaveLength(1);
    a.undo();
    expect(store.get().history!.present.bpm).toBe(120);
  });

  it('reports a document that cannot be read', async () => {
    const store = createEditorStore({
      read: async () => {
        throw new ApiError(404, 'not_found', 'komposition X: no such document');
      },
      save: async (d) => d,
    });
    await store.actions.load('X');
    expect(store.get().status).toBe('failed');
    expect(store.get().loadError?.message).toBe('komposition X: no such document');
  });
});

describe('saving with revisions', () => {
  it('saves as the revision after the one it was based on', async () => {
    const { server, store, a } = await opened();
    a.edit((k) => setBpm(k, 90));
    await a.save();
    expect(server.saves[0]!.baseRev).toBe('1-a');
    expect(store.get().save).toEqual({ kind: 'saved', rev: '2-x' });
    expect(isDirty(store.get())).toBe(false);
    a.edit((k) => setBpm(k, 91));
    await a.save();
    expect(server.saves[1]!.baseRev).toBe('2-x');
  });

  it('keeps edits made while a save is under way as unsaved', async () => {
    const { store, a } = await opened();
    a.edit((k) => setBpm(k, 90));
    const saving = a.save();
    expect(store.get().save.kind).toBe('saving');
    a.edit((k) => setBpm(k, 95));
    await saving;
    expect(store.get().history!.present.bpm).toBe(95);
    expect(isDirty(store.get())).toBe(true);
  });

  it('shows the server\'s message and field when it refuses the document', async () => {
    const { store, a } = await opened();
    a.edit((k) => ({ ...k, bpm: 0, beatpattern: undefined }));
    await a.save();
    expect(store.get().save).toEqual({ kind: 'error', message: 'bpm: must be greater than 0, got 0', field: 'bpm' });
    a.edit((k) => setBpm(k, 100));
    expect(store.get().save.kind).toBe('idle');
  });
});

describe('a conflict', () => {
  it('is shown with what the other version changed; nothing is overwritten', async () => {
    const { server, store, a } = await opened();
    server.otherSave((k) => setName(setBpm(k, 128), 'Their song'));
    a.edit((k) => setBpm(k, 90));
    await a.save();
    const save = store.get().save;
    expect(save.kind).toBe('conflict');
    if (save.kind !== 'conflict') return;
    expect(save.theirs._rev).toBe('2-other');
    expect(save.changes).toEqual(['Name “Song” → “Their song”', 'BPM 120 → 128']);
    expect(server.stored().bpm).toBe(128);
    expect(store.get().history!.present.bpm).toBe(90);
    // A second save while the conflict is open does nothing.
    await a.save();
    expect(server.saves).toHaveLength(1);
  });

  it('"keep mine" saves the draft over their revision', async () => {
    const { server, store, a } = await opened();
    server.otherSave((k) => setBpm(k, 128));
    a.edit((k) => setBpm(k, 90));
    await a.save();
    await a.keepMine();
    expect(server.saves[1]!.baseRev).toBe('2-other');
    expect(server.stored().bpm).toBe(90);
    expect(store.get().save).toEqual({ kind: 'saved', rev: '3-x' });
    expect(isDirty(store.get())).toBe(false);
  });

  it('"take theirs" makes their revision the draft, and undo brings mine back', async () => {
    const { server, store, a } = await opened();
    server.otherSave((k) => setBpm(k, 128));
    a.edit((k) => setBpm(k, 90));
    await a.save();
    a.takeTheirs();
    expect(store.get().history!.present.bpm).toBe(128);
    expect(store.get().save.kind).toBe('idle');
    expect(isDirty(store.get())).toBe(false);
    a.undo();
    expect(store.get().history!.present.bpm).toBe(90);
    // Mine can now be saved on top of theirs, without a conflict.
    await a.save();
    expect(server.saves.at(-1)!.baseRev).toBe('2-other');
    expect(server.stored().bpm).toBe(90);
  });
});

describe('autosave', () => {
  it('saves once, the delay after the last of several edits, on the revision it is based on', async () => {
    const { server, store, a } = await opened();
    for (const bpm of [90, 91, 92]) {
      a.edit((k) => setBpm(k, bpm));
      await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 100);
    }
    expect(server.saves).toHaveLength(0);
    expect(saveStatusText(store.get().save, isDirty(store.get()))).toBe('Unsaved changes');
    await vi.advanceTimersByTimeAsync(100);
    expect(server.saves).toHaveLength(1);
    expect(server.saves[0]!.baseRev).toBe('1-a');
    expect(server.saves[0]!.doc.bpm).toBe(92);
    expect(store.get().save).toEqual({ kind: 'saved', rev: '2-x' });
    expect(saveStatusText(store.get().save, isDirty(store.get()))).toBe('Saved · revision 2');
    await vi.advanceTimersByTimeAsync(10 * AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(1);
  });

  it('does not save in the middle of a drag; its end starts the delay', async () => {
    const { server, a } = await opened();
    a.beginGesture();
    a.gesture((k) => setBpm(k, 100));
    await vi.advanceTimersByTimeAsync(5 * AUTOSAVE_DELAY_MS);
    a.gesture((k) => setBpm(k, 101));
    await vi.advanceTimersByTimeAsync(5 * AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(0);
    a.endGesture();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(server.saves.map((x) => x.doc.bpm)).toEqual([101]);
  });

  it('never saves over a conflict: it is shown, and stays until the musician chooses', async () => {
    const { server, store, a } = await opened();
    server.otherSave((k) => setName(k, 'Their song'));
    a.edit((k) => setBpm(k, 90));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(store.get().save.kind).toBe('conflict');
    expect(saveStatusText(store.get().save, isDirty(store.get()))).toBe('Conflict: not saved');
    // Editing on while the conflict is shown saves nothing.
    a.edit((k) => setBpm(k, 95));
    await vi.advanceTimersByTimeAsync(10 * AUTOSAVE_DELAY_MS);
    await a.save();
    expect(server.saves).toHaveLength(1);
    expect(server.stored().name).toBe('Their song');
    expect(server.stored().bpm).toBe(120);
    expect(store.get().save.kind).toBe('conflict');
    // Their choice settles it; edits after it autosave again.
    a.takeTheirs();
    a.edit((k) => setBpm(k, 99));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(2);
    expect(server.stored()).toMatchObject({ name: 'Their song', bpm: 99 });
  });

  it('edits during a save in flight make exactly one more save after it', async () => {
    const { server, store, a } = await opened();
    const release = server.hold();
    a.edit((k) => setBpm(k, 90));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(1);
    expect(saveStatusText(store.get().save, isDirty(store.get()))).toBe('Saving…');
    a.edit((k) => setBpm(k, 91));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    a.edit((k) => setBpm(k, 92));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    void a.save(); // the Save button as well: still the one queued save
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(10 * AUTOSAVE_DELAY_MS);
    expect(server.saves.map((x) => [x.baseRev, x.doc.bpm])).toEqual([
      ['1-a', 90],
      ['2-x', 92],
    ]);
    expect(store.get().save).toEqual({ kind: 'saved', rev: '3-x' });
    expect(isDirty(store.get())).toBe(false);
  });

  it('saves a draft still due when another komposition is opened', async () => {
    const { server, store, a } = await opened();
    a.edit((k) => setBpm(k, 90));
    await a.load('Other');
    expect(server.saves.map((x) => x.doc.bpm)).toEqual([90]);
    expect(store.get().id).toBe('Other');
    await vi.advanceTimersByTimeAsync(10 * AUTOSAVE_DELAY_MS);
    expect(server.saves).toHaveLength(1);
  });

  it('says what state the draft is in', () => {
    expect(saveStatusText({ kind: 'idle' }, false)).toBe('All changes saved');
    expect(saveStatusText({ kind: 'idle' }, true)).toBe('Unsaved changes');
    expect(saveStatusText({ kind: 'saved', rev: '7-abc' }, true)).toBe('Unsaved changes');
    expect(saveStatusText({ kind: 'error', message: 'm', field: undefined }, true)).toBe('Not saved');
  });
});

describe('describeChanges', () => {
  it('names segment, range and resolution changes', () => {
    const base: Komposition = {
      ...newKomposition('K', 'K'),
      sources: [{ id: 'a', url: 'a', startingOffset: 0, checksums: '', format: '', extension: 'mp4', mediatype: 'video' }],
      segments: [
        { id: 'x', sourceid: 'a', start: 0, duration: 4, end: 4 },
        { id: 'y', sourceid: 'a', start: 4, duration: 4, end: 8 },
      ],
    };
    const theirs: Komposition = {
      ...base,
      config: { ...base.config, width: 1080, height: 1920 },
      beatpattern: { frombeat: 0, tobeat: 64, masterbpm: 120 },
      segments: [
        { id: 'x', sourceid: 'a', start: 0, duration: 2, end: 2 },
        { id: 'z', sourceid: 'a', start: 8, duration: 4, end: 12 },
      ],
    };
    expect(describeChanges(base, theirs)).toEqual([
      'Range beats 0–32 → 0–64',
      'Resolution 1280×720 → 1080×1920',
      '1 segment added',
      '1 segment removed',
      '1 segment changed',
    ]);
    expect(describeChanges(base, { ...base, extra: 1 })).toEqual(['Other settings changed']);
    expect(describeChanges(base, { ...base, _rev: '9-z' })).toEqual([]);
  });
});
