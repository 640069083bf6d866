// The server's state as the app knows it: the session, kompositions, media, renders and
// uploads under way. One store; screens read it and call its actions.
import * as auth from '../api/auth';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import * as eventsApi from '../api/events';
import * as kompositionsApi from '../api/kompositions';
import * as mediaApi from '../api/media';
import * as rendersApi from '../api/renders';
import type { Komposition, KompositionSummary, Medium, Render, RenderSummary } from '../api/types';
import { applyEvent, isFinished } from '../workflow/live';
import { idFromName, newKomposition } from '../komposition/model';
import { empty, type Loadable } from './loadable';
import { createStore, type Store } from './store';

export type SessionStatus =
  | { status: 'loading' }
  | { status: 'ready'; session: auth.Session }
  | { status: 'error'; error: ApiError };

export type UploadStatus = 'waiting' | 'uploading' | 'done' | 'failed';

export interface UploadItem {
  key: string;
  fileName: string;
  name: string;
  size: number;
  progress: number;
  status: UploadStatus;
  error: ApiError | null;
}

/** A render followed live: the last snapshot with its events applied. */
export interface LiveRender {
  render: Render | null;
  error: ApiError | null;
  stream: eventsApi.StreamState;
}

export interface AppState {
  session: SessionStatus;
  signInError: ApiError | null;
  kompositions: Loadable<KompositionSummary[]>;
  media: Loadable<Medium[]>;
  renders: Loadable<RenderSummary[]>;
  uploads: UploadItem[];
  live: Record<string, LiveRender>;
}

/** What the store needs from the server (the api modules; tests pass fakes). */
export interface AppApi {
  fetchSession: typeof auth.fetchSession;
  login: typeof auth.login;
  logout: typeof auth.logout;
  listKompositions: typeof kompositionsApi.listKompositions;
  createKomposition: typeof kompositionsApi.createKomposition;
  createAutoKomposition: typeof kompositionsApi.createAutoKomposition;
  deleteKomposition: typeof kompositionsApi.deleteKomposition;
  listMedia: typeof mediaApi.listMedia;
  uploadMedium: typeof mediaApi.uploadMedium;
  deleteMedium: typeof mediaApi.deleteMedium;
  listRenders: typeof rendersApi.listRenders;
  startRender: typeof rendersApi.startRender;
  readRender: typeof rendersApi.readRender;
  openEventStream: typeof eventsApi.openEventStream;
}

export const serverApi: AppApi = {
  fetchSession: auth.fetchSession,
  login: auth.login,
  logout: auth.logout,
  listKompositions: kompositionsApi.listKompositions,
  createKomposition: kompositionsApi.createKomposition,
  createAutoKomposition: kompositionsApi.createAutoKomposition,
  deleteKomposition: kompositionsApi.deleteKomposition,
  listMedia: mediaApi.listMedia,
  uploadMedium: mediaApi.uploadMedium,
  deleteMedium: mediaApi.deleteMedium,
  listRenders: rendersApi.listRenders,
  startRender: rendersApi.startRender,
  readRender: rendersApi.readRender,
  openEventStream: eventsApi.openEventStream,
};

const MAX_PARALLEL_UPLOADS = 2;

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}

export function initialAppState(): AppState {
  return {
    session: { status: 'loading' },
    signInError: null,
    kompositions: empty(),
    media: empty(),
    renders: empty(),
    uploads: [],
    live: {},
  };
}

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore(api: AppApi = serverApi) {
  const store: Store<AppState> = createStore(initialAppState());
  const files = new Map<string, File>();
  let uploadCounter = 0;
  const followers = new Map<string, { count: number; stop: () => void }>();

  function patchLive(id: string, patch: Partial<LiveRender>): void {
    store.set((s) => {
      const current = s.live[id] ?? { render: null, error: null, stream: 'connecting' };
      return { ...s, live: { ...s.live, [id]: { ...current, ...patch } } };
    });
  }

  /**
   * Reads the render, then keeps it current from its event stream: events are applied to
   * the snapshot; one that names a step the snapshot lacks (the plan adds steps), and the
   * end of the render, make a fresh read. A dropped stream resumes while the render runs.
   */
  function follow(id: string): () => void {
    let closed = false;
    let reading = false;
    let readAgain = false;
    let stopStream: (() => void) | null = null;
    const latest = (): Render | null => store.get().live[id]?.render ?? null;
    const reread = async (): Promise<void> => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          const render = await api.readRender(id);
          if (!closed) patchLive(id, { render, error: null });
        } while (readAgain && !closed);
      } catch (e) {
        if (!closed) patchLive(id, { error: asApiError(e) });
      } finally {
        reading = false;
      }
    };
    patchLive(id, { stream: 'connecting' });
    void reread().then(() => {
      if (closed || !latest()) return;
      stopStream = api.openEventStream({
        path: `/api/v1/renders/${encodeURIComponent(id)}/events`,
        onState: (stream) => patchLive(id, { stream }),
        shouldReconnect: () => !closed && !!latest() && !isFinished(latest()!.state),
        onEvent: (event) => {
          const current = latest();
          if (!current) return;
          const { render, stale } = applyEvent(current, event);
          if (render !== current) patchLive(id, { render });
          if (stale) void reread();
        },
      });
    });
    return () => {
      closed = true;
      stopStream?.();
    };
  }

  async function load<K extends 'kompositions' | 'media' | 'renders'>(
    key: K,
    read: () => Promise<NonNullable<AppState[K]['data']>>,
  ): Promise<void> {
    store.set((s) => ({ ...s, [key]: { ...s[key], loading: true, error: null } }));
    try {
      const data = await read();
      store.set((s) => ({ ...s, [key]: { data, loading: false, error: null } }));
    } catch (e) {
      store.set((s) => ({ ...s, [key]: { ...s[key], loading: false, error: asApiError(e) } }));
    }
  }

  function patchUpload(key: string, patch: Partial<UploadItem>): void {
    store.set((s) => ({ ...s, uploads: s.uploads.map((u) => (u.key === key ? { ...u, ...patch } : u)) }));
  }

  function pumpUploads(): void {
    const { uploads } = store.get();
    const running = uploads.filter((u) => u.status === 'uploading').length;
    const next = uploads.filter((u) => u.status === 'waiting').slice(0, MAX_PARALLEL_UPLOADS - running);
    for (const item of next) runUpload(item, false);
  }

  function runUpload(item: UploadItem, replace: boolean): void {
    const file = files.get(item.key);
    if (!file) return;
    patchUpload(item.key, { status: 'uploading', progress: 0, error: null });
    const handle = api.uploadMedium(file, item.name, (progress) => patchUpload(item.key, { progress }), replace);
    handle.done.then(
      (medium) => {
        files.delete(item.key);
        patchUpload(item.key, { status: 'done', progress: 1 });
        store.set((s) => {
          const others = (s.media.data ?? []).filter((m) => m.name !== medium.name);
          const data = [...others, medium].sort((a, b) => a.name.localeCompare(b.name));
          return { ...s, media: { ...s.media, data } };
        });
        pumpUploads();
      },
      (e: unknown) => {
        patchUpload(item.key, { status: 'failed', error: asApiError(e) });
        pumpUploads();
      },
    );
  }

  const actions = {
    async loadSession(): Promise<void> {
      try {
        const session = await api.fetchSession();
        store.set({ session: { status: 'ready', session } });
      } catch (e) {
        store.set({ session: { status: 'error', error: asApiError(e) } });
      }
    },

    async signIn(username: string, password: string): Promise<boolean> {
      store.set({ signInError: null });
      try {
        const session = await api.login(username, password);
        store.set({ session: { status: 'ready', session }, signInError: null });
        return true;
      } catch (e) {
        store.set({ signInError: asApiError(e) });
        return false;
      }
    },

    async signOut(): Promise<void> {
      try {
        await api.logout();
      } finally {
        store.set({ ...initialAppState(), session: { status: 'ready', session: { kind: 'signed-out' } } });
      }
    },

    /** Any answer 401 means the session ended: show the sign-in screen. */
    sessionExpired(): void {
      const current = store.get().session;
      if (current.status === 'ready' && current.session.kind === 'signed-in') {
        store.set({ session: { status: 'ready', session: { kind: 'signed-out' } } });
      }
    },

    loadKompositions: () => load('kompositions', api.listKompositions),
    loadMedia: () => load('media', api.listMedia),
    loadRenders: () => load('renders', async () => (await api.listRenders({ limit: 100 })).items),

    /** Creates a komposition named `name`; its id is the name made plain (suffixed when taken). */
    async createKomposition(name: string): Promise<Komposition> {
      const base = idFromName(name);
      for (let n = 1; ; n++) {
        const id = n === 1 ? base : `${base}_${n}`;
        try {
          const doc = await api.createKomposition(newKomposition(id, name.trim() || id));
          void actions.loadKompositions();
          return doc;
        } catch (e) {
          if (e instanceof ApiError && e.status === 409 && n < 50) continue;
          throw asApiError(e);
        }
      }
    },

    /** A music video made by the server from the library's song and clips (docs/analysis.md). */
    async makeMusicVideo(wanted: kompositionsApi.AutoKompositionRequest): Promise<Komposition> {
      try {
        const doc = await api.createAutoKomposition(wanted);
        void actions.loadKompositions();
        return doc;
      } catch (e) {
        throw asApiError(e);
      }
    },

    async deleteKomposition(id: string, rev: string): Promise<void> {
      await api.deleteKomposition(id, rev);
      store.set((s) => ({
        ...s,
        kompositions: { ...s.kompositions, data: (s.kompositions.data ?? []).filter((k) => k.id !== id) },
      }));
    },

    /** Deletes a medium (see mediaApi.deleteMedium); once deleted, it leaves the library. */
    async deleteMedium(name: string, force: boolean): Promise<mediaApi.MediumDeletion> {
      const done = await api.deleteMedium(name, force);
      if (done.deleted) {
        store.set((s) => ({ ...s, media: { ...s.media, data: (s.media.data ?? []).filter((m) => m.name !== name) } }));
      }
      return done;
    },

    /** Queues files for upload (two at a time), each under a plain version of its name. */
    upload(picked: File[]): void {
      const items: UploadItem[] = picked.map((file) => {
        const key = `u${++uploadCounter}`;
        files.set(key, file);
        return {
          key,
          fileName: file.name,
          name: mediaApi.plainName(file.name),
          size: file.size,
          progress: 0,
          status: 'waiting',
          error: null,
        };
      });
      store.set((s) => ({ ...s, uploads: [...s.uploads, ...items] }));
      pumpUploads();
    },

    /** Uploads a refused file again, replacing the medium of that name when `replace`. */
    retryUpload(key: string, replace: boolean): void {
      const item = store.get().uploads.find((u) => u.key === key);
      if (item && item.status === 'failed') runUpload(item, replace);
    },

    dismissUpload(key: string): void {
      files.delete(key);
      store.set((s) => ({ ...s, uploads: s.uploads.filter((u) => u.key !== key) }));
    },

    clearFinishedUploads(): void {
      store.set((s) => ({ ...s, uploads: s.uploads.filter((u) => u.status !== 'done') }));
    },

    /** Follows a render live while anyone asks for it; the function returned stops asking. */
    followRender(id: string): () => void {
      const existing = followers.get(id);
      if (existing) existing.count++;
      else followers.set(id, { count: 1, stop: follow(id) });
      return () => {
        const f = followers.get(id);
        if (!f || --f.count > 0) return;
        f.stop();
        followers.delete(id);
      };
    },

    async startRender(komposition: string, key: string): Promise<string> {
      const id = await api.startRender({ komposition }, key);
      void actions.loadRenders();
      return id;
    },
  };

  return { ...store, actions };
}

/** The app's one store. */
export const appStore = createAppStore();
setUnauthorizedHandler(() => appStore.actions.sessionExpired());
