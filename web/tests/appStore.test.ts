// The app store with a fake server: the session, creating kompositions, uploads.
import { describe, expect, it } from 'vitest';
import { NO_ACCOUNTS_USER, type Session } from '../src/api/auth';
import { ApiError } from '../src/api/client';
import type { UploadHandle } from '../src/api/media';
import type { EventStreamOptions } from '../src/api/events';
import type { Komposition, Medium, Render, RenderEvent, Step } from '../src/api/types';
import { createAppStore, serverApi, type AppApi } from '../src/store/appStore';

const user = { id: 'u1', name: 'Ada', tenant: 't', role: 'editor', permissions: ['read', 'edit'] };

function fakeApi(overrides: Partial<AppApi>): AppApi {
  const refuse = async (): Promise<never> => {
    throw new Error('not expected');
  };
  return {
    ...serverApi,
    fetchSession: refuse,
    login: refuse,
    logout: async () => undefined,
    listKompositions: async () => [],
    createKomposition: refuse,
    createAutoKomposition: refuse,
    deleteKomposition: refuse,
    listMedia: async () => [],
    listRenders: async () => ({ items: [], next: null }),
    startRender: refuse,
    uploadMedium: () => ({ done: refuse(), abort: () => undefined }),
    ...overrides,
  };
}

describe('session', () => {
  it('runs without sign-in on a server without accounts', async () => {
    const store = createAppStore(fakeApi({ fetchSession: async () => ({ kind: 'no-accounts', user: NO_ACCOUNTS_USER, accounts: false }) }));
    await store.actions.loadSession();
    const s = store.get().session;
    expect(s.status === 'ready' && s.session.kind).toBe('no-accounts');
  });

  it('signs in, shows the server\'s refusal, and signs out', async () => {
    let attempts = 0;
    const store = createAppStore(
      fakeApi({
        fetchSession: async () => ({ kind: 'signed-out' }),
        login: async (name, password): Promise<Session> => {
          attempts++;
          if (password !== 'right') throw new ApiError(401, 'unauthorized', 'wrong user name or password');
          return { kind: 'signed-in', user: { ...user, name }, accounts: true };
        },
      }),
    );
    await store.actions.loadSession();
    expect(await store.actions.signIn('ada', 'wrong')).toBe(false);
    expect(store.get().signInError?.message).toBe('wrong user name or password');
    expect(await store.actions.signIn('ada', 'right')).toBe(true);
    expect(store.get().signInError).toBeNull();
    const s = store.get().session;
    expect(s.status === 'ready' && s.session.kind === 'signed-in' && s.session.user.name).toBe('ada');
    store.actions.sessionExpired();
    const after = store.get().session;
    expect(after.status === 'ready' && after.session.kind).toBe('signed-out');
    expect(attempts).toBe(2);
  });
});

describe('kompositions', () => {
  it('creates one with an id from its name, suffixed when the id is taken', async () => {
    const taken = new Set(['Summer_single']);
    const created: Komposition[] = [];
    const store = createAppStore(
      fakeApi({
        createKomposition: async (doc) => {
          if (taken.has(doc._id)) throw new ApiError(409, 'exists', `${doc._id}: exists`);
          created.push(doc);
          return { ...doc, _rev: '1-a' };
        },
      }),
    );
    const doc = await store.actions.createKomposition('Summer single');
    expect(doc._id).toBe('Summer_single_2');
    expect(created[0]!.name).toBe('Summer single');
    expect(created[0]!.segments).toEqual([]);
  });

  it('keeps the server\'s error when listing fails', async () => {
    const store = createAppStore(fakeApi({ listKompositions: async () => Promise.reject(new ApiError(503, 'unavailable', 'the store is busy')) }));
    await store.actions.loadKompositions();
    expect(store.get().kompositions).toMatchObject({ data: null, loading: false, error: { message: 'the store is busy' } });
  });
});

describe('uploads', () => {
  function controllable() {
    const pending: Array<{ name: string; progress: (f: number) => void; resolve: (m: Medium) => void; reject: (e: unknown) => void; replace: boolean }> = [];
    const uploadMedium = (_file: Blob, name: string, progress: (f: number) => void, replace = false): UploadHandle => {
      let resolve!: (m: Medium) => void;
      let reject!: (e: unknown) => void;
      const done = new Promise<Medium>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      pending.push({ name, progress, resolve, reject, replace });
      return { done, abort: () => undefined };
    };
    return { pending, uploadMedium };
  }
  const medium = (name: string): Medium => ({ _id: name, type: 'Video', name, url: name, mediatype: 'video', extension: 'mp4' });
  const file = (name: string): File => new File([new Uint8Array(10)], name);
  const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

  it('uploads two at a time under plain names, with progress, and adds each to the library', async () => {
    const fake = controllable();
    const store = createAppStore(fakeApi({ uploadMedium: fake.uploadMedium }));
    store.actions.upload([file('My clip.mp4'), file('b.mp4'), file('c.mp4')]);
    expect(fake.pending.map((p) => p.name)).toEqual(['My_clip.mp4', 'b.mp4']);
    expect(store.get().uploads.map((u) => u.status)).toEqual(['uploading', 'uploading', 'waiting']);
    fake.pending[0]!.progress(0.5);
    expect(store.get().uploads[0]!.progress).toBe(0.5);
    fake.pending[0]!.resolve(medium('My_clip.mp4'));
    await flush();
    expect(store.get().uploads[0]!.status).toBe('done');
    expect(fake.pending.map((p) => p.name)).toEqual(['My_clip.mp4', 'b.mp4', 'c.mp4']);
    expect(store.get().media.data!.map((m) => m.name)).toEqual(['My_clip.mp4']);
  });

  it('keeps the server\'s reason for a refused file, and replaces on request', async () => {
    const fake = controllable();
    const store = createAppStore(fakeApi({ uploadMedium: fake.uploadMedium }));
    store.actions.upload([file('a.mp4')]);
    fake.pending[0]!.reject(new ApiError(409, 'exists', 'a.mp4: a medium with this name exists (upload with ?replace=true)'));
    await flush();
    const item = store.get().uploads[0]!;
    expect(item.status).toBe('failed');
    expect(item.error?.message).toBe('a.mp4: a medium with this name exists (upload with ?replace=true)');
    store.actions.retryUpload(item.key, true);
    expect(fake.pending[1]!.replace).toBe(true);
    fake.pending[1]!.resolve(medium('a.mp4'));
    await flush();
    expect(store.get().uploads[0]!.status).toBe('done');
    store.actions.clearFinishedUploads();
    expect(store.get().uploads).toEqual([]);
  });
});

describe('deleting a medium', () => {
  const medium = (name: string) => ({ _id: name, name, type: 'Video', mediatype: 'video' }) as unknown as Medium;
  it('takes it out of the library only once the server deleted it', async () => {
    const asked: string[] = [];
    const store = createAppStore(
      fakeApi({
        listMedia: async () => [medium('a.mp4'), medium('b.mp4')],
        deleteMedium: async (name, force) => {
          asked.push(`${name} ${force}`);
          return force ? { deleted: true } : { deleted: false, usedBy: ['K'] };
        },
      }),
    );
    await store.actions.loadMedia();
    expect(await store.actions.deleteMedium('a.mp4', false)).toEqual({ deleted: false, usedBy: ['K'] });
    expect(store.get().media.data?.map((m) => m.name)).toEqual(['a.mp4', 'b.mp4']);
    expect(await store.actions.deleteMedium('a.mp4', true)).toEqual({ deleted: true });
    expect(store.get().media.data?.map((m) => m.name)).toEqual(['b.mp4']);
    expect(asked).toEqual(['a.mp4 false', 'a.mp4 true']);
  });
});

describe('following a render live', () => {
  const step = (name: string, kind: string, state: Step['state'] = 'waiting'): Step => ({
    name, kind, needs: [], state, attempts: 0, failures: 0, worker: '', started_at: 0, finished_at: 0, frames_done: 0, frames_total: 0, checkpoint: null, error: '', worker_class: '', worker_seconds: { regular: 0, preemptible: 0, lost: 0, saved: 0 },
  });
  const snapshot = (state: Render['state'], steps: Step[]): Render => ({
    id: 'r1', state, komposition: 'K', created_at: 1, started_at: 1, finished_at: 0, error: '', progress: { frames_done: 0, frames_total: 0, stage: 'plan' }, steps,
  });
  const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
  const ev = (seq: number, type: string, stepName: string, state?: string): RenderEvent => ({ seq, render: 'r1', type, step: stepName, at: 100 + seq, detail: state ? { state } : {} });

  it('applies events, re-reads when the plan adds steps and when it ends, and stops following', async () => {
    const reads = [
      snapshot('running', [step('probe', 'probe', 'running'), step('plan', 'plan')]),
      snapshot('running', [step('probe', 'probe', 'succeeded'), step('plan', 'plan', 'succeeded'), step('segment-1', 'segment'), step('publish', 'publish')]),
      { ...snapshot('succeeded', [step('probe', 'probe', 'succeeded'), step('plan', 'plan', 'succeeded'), step('segment-1', 'segment', 'succeeded'), step('publish', 'publish', 'succeeded')]), output: '/out' },
    ];
    let readCount = 0;
    let stream: EventStreamOptions | null = null;
    let closed = false;
    const store = createAppStore(
      fakeApi({
        readRender: async () => reads[Math.min(readCount++, reads.length - 1)]!,
        openEventStream: (options) => {
          stream = options;
          return () => {
            closed = true;
          };
        },
      }),
    );
    const stopA = store.actions.followRender('r1');
    const stopB = store.actions.followRender('r1');
    await flush();
    expect(readCount).toBe(1);
    expect(stream!.path).toBe('/api/v1/renders/r1/events');
    stream!.onEvent(ev(5, 'step.succeeded', 'probe', 'succeeded'));
    expect(store.get().live.r1!.render!.steps[0]!.state).toBe('succeeded');
    stream!.onEvent(ev(9, 'step.waiting', 'segment-1', 'waiting'));
    await flush();
    expect(readCount).toBe(2);
    expect(store.get().live.r1!.render!.steps.map((s) => s.name)).toContain('segment-1');
    expect(stream!.shouldReconnect!()).toBe(true);
    stream!.onEvent(ev(20, 'execution.succeeded', '', 'succeeded'));
    await flush();
    expect(readCount).toBe(3);
    expect(store.get().live.r1!.render).toMatchObject({ state: 'succeeded', output: '/out' });
    expect(stream!.shouldReconnect!()).toBe(false);
    stopA();
    expect(closed).toBe(false);
    stopB();
    expect(closed).toBe(true);
  });

  it('keeps the server\'s error for a render it cannot read', async () => {
    const store = createAppStore(fakeApi({ readRender: async () => Promise.reject(new ApiError(404, 'not_found', 'render x: no such render')) }));
    store.actions.followRender('x');
    await flush();
    expect(store.get().live.x!.error?.message).toBe('render x: no such render');
  });
});
