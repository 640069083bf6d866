// The API client against a stubbed fetch: CSRF on writes, same-origin cookies, the
// server's errors as ApiError, and sessions with and without accounts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { can, fetchSession, login, mintToken } from '../src/api/auth';
import { ApiError, request, setCsrfToken } from '../src/api/client';
import { saveKomposition } from '../src/api/kompositions';
import { deleteMedium, plainName } from '../src/api/media';

type Call = { url: string; init: RequestInit };
let calls: Call[] = [];
let answers: Response[] = [];

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const headersOf = (c: Call): Record<string, string> => c.init.headers as Record<string, string>;

beforeEach(() => {
  calls = [];
  answers = [];
  setCsrfToken(null);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new TypeError('fetch failed');
    return next;
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('requests', () => {
  it('send cookies and, on writes only, the CSRF token', async () => {
    setCsrfToken('tok');
    answers.push(json(200, {}), json(200, {}));
    await request('GET', '/api/v1/media');
    await request('POST', '/api/v1/renders', { body: { komposition: 'K' } });
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(headersOf(calls[0]!)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(calls[1]!)['X-CSRF-Token']).toBe('tok');
    expect(headersOf(calls[1]!)['Content-Type']).toBe('application/json');
    expect(calls[1]!.init.body).toBe('{"komposition":"K"}');
  });

  it('turn the server\'s JSON error into ApiError with its message and field', async () => {
    answers.push(json(422, { error: 'invalid_input', message: 'segments[1].end: 9 is not start + duration', field: 'segments[1].end' }));
    const e = await request('PUT', '/x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 422, code: 'invalid_input', message: 'segments[1].end: 9 is not start + duration', field: 'segments[1].end' });
  });

  it('say so when the server cannot be reached', async () => {
    const e = await request('GET', '/x').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 0, code: 'network' });
  });

  it('save a komposition with If-Match and its revision; a stale one is a 412 with current_rev', async () => {
    answers.push(json(412, { error: 'conflict', message: 'K: revision 1-a is not the current 2-b', current_rev: '2-b' }));
    const e = await saveKomposition({ _id: 'K/1', type: 'Komposition', bpm: 120, config: { width: 2, height: 2, framerate: 30, extension: 'mp4' }, segments: [], sources: [] }, '1-a').catch((x: unknown) => x);
    expect(calls[0]!.url).toBe('/api/v1/kompositions/K%2F1');
    expect(headersOf(calls[0]!)['If-Match']).toBe('"1-a"');
    expect(JSON.parse(String(calls[0]!.init.body))._rev).toBe('1-a');
    expect(e).toMatchObject({ status: 412, currentRev: '2-b' });
  });
});

describe('deleting a medium', () => {
  it('names the kompositions using it and keeps it, deletes when forced, and throws other refusals', async () => {
    setCsrfToken('tok');
    answers.push(
      json(409, { error: 'in_use', message: 'clip.mp4: used by a, b (delete with ?force=true)', kompositions: ['a', 'b'] }),
      json(200, { name: 'clip.mp4', deleted: true }),
      json(404, { error: 'not_found', message: 'medium x.mp4: no such medium' }),
    );
    expect(await deleteMedium('clip.mp4', false)).toEqual({ deleted: false, usedBy: ['a', 'b'] });
    expect(await deleteMedium('clip.mp4', true)).toEqual({ deleted: true });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['DELETE /api/v1/media/clip.mp4', 'DELETE /api/v1/media/clip.mp4?force=true']);
    expect(headersOf(calls[1]!)['X-CSRF-Token']).toBe('tok');
    await expect(deleteMedium('x.mp4', false)).rejects.toMatchObject({ status: 404, message: 'medium x.mp4: no such medium' });
  });
});

describe('sessions', () => {
  it('without accounts (404): signed in as the local user with every permission', async () => {
    answers.push(json(404, { error: 'not_found', message: 'no such route' }));
    const s = await fetchSession();
    expect(s.kind).toBe('no-accounts');
    if (s.kind === 'no-accounts') expect(s.user.permissions).toContain('render');
  });

  it('without accounts, when the web app\'s page answers for /auth/me', async () => {
    answers.push(new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect((await fetchSession()).kind).toBe('no-accounts');
  });

  it('signed out on 401; signed in with the CSRF token used afterwards', async () => {
    answers.push(json(401, { error: 'unauthorized', message: 'sign in' }));
    expect((await fetchSession()).kind).toBe('signed-out');
    const body = { user: { id: 'u', name: 'Ada', tenant: 't', role: 'producer', permissions: ['read', 'edit', 'render'] }, csrf_token: 'c1' };
    answers.push(json(200, body), json(201, { id: '1', token: 'elm-token', label: 'elm-editor' }));
    const s = await login('ada', 'pw');
    expect(s.kind).toBe('signed-in');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ username: 'ada', password: 'pw' });
    expect(await mintToken('elm-editor')).toBe('elm-token');
    expect(headersOf(calls[2]!)['X-CSRF-Token']).toBe('c1');
  });

  it('a lockout shows the server\'s words, and says when to try again when it gave none', async () => {
    answers.push(json(429, { error: 'locked', message: 'login: too many attempts; retry in 30 s', retry_after: 30 }));
    const e = await login('ada', 'x').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 429, retryAfterSeconds: 30, message: 'login: too many attempts; retry in 30 s' });
    answers.push(new Response('', { status: 429, headers: { 'Retry-After': '1' } }));
    const bare = await login('ada', 'x').catch((x: unknown) => x);
    expect((bare as Error).message).toBe('Too many attempts. Try again in 1 second.');
  });

  it('no token for the Elm editor without accounts', async () => {
    answers.push(new Response('', { status: 405 }));
    expect(await mintToken('elm-editor')).toBeNull();
  });
});

describe('upload names', () => {
  it('are made plain as the server wants them', () => {
    expect(plainName('My clip (1).mp4')).toBe('My_clip_1_.mp4');
    expect(plainName('.hidden.mov')).toBe('hidden.mov');
    expect(plainName('Café.flac')).toBe('Cafe.flac');
    expect(plainName(`${'x'.repeat(300)}.mp4`)).toHaveLength(200);
    expect(plainName(`${'x'.repeat(300)}.mp4`).endsWith('.mp4')).toBe(true);
  });
});

describe('permissions', () => {
  const as = (permissions: string[]) => ({ id: 'u', name: 'u', tenant: 't', role: 'x', permissions });
  it('allow what the role lists; admin allows everything; nobody signed in, nothing', () => {
    expect(can(as(['read']), 'edit')).toBe(false);
    expect(can(as(['read', 'edit']), 'edit')).toBe(true);
    expect(can(as(['admin']), 'render')).toBe(true);
    expect(can(null, 'read')).toBe(false);
  });
});
