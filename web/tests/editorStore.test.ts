// The editor store with a fake server: saving with revisions and the conflict choices.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import type { Komposition } from '../src/api/types';
import { describeChanges } from '../src/editor/conflict';
import { createEditorStore, isDirty, type EditorApi } from '../src/editor/editorStore';
import { newKomposition, setBpm, setName } from '../src/komposition/model';

/** A server holding one document with CouchDB-like revisions. */
function fakeServer(initial: Komposition) {
  let stored: Komposition = { ...initial, _rev: '1-a' };
  let n = 1;
  const saves: Array<{ baseRev: string; doc: Komposition }> = [];
  const api: EditorApi = {
    read: async () => structuredClone(stored),
    save: async (doc, baseRev) => {
      saves.push({ baseRev, doc });
      if (baseRev !== stored._rev) throw new ApiError(412, 'conflict', `stale revision ${baseRev}`, { currentRev: stored._rev });
      if (doc.bpm <= 0) throw new ApiError(422, 'invalid_input', 'bpm: must be greater than 0, got 0', { field: 'bpm' });
      stored = { ...structuredClone(doc), _rev: `${++n}-x` };
      return structuredClone(stored);
    },
  };
  const otherSave = (change: (k: Komposition) => Komposition): void => {
    stored = { ...change(stored), _rev: `${++n}-other` };
  };
  return { api, saves, otherSave, stored: () => stored };
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
