// Accounts: who is signed in, signing in and out, and API tokens for the Elm editor.
// A server without accounts (404/405 or an HTML page for /auth/me) runs the app with no
// sign-in and every permission.
import { ApiError, errorOf, isJsonResponse, send, setCsrfToken } from './client';
import type { User } from './types';

export const ALL_PERMISSIONS = ['read', 'edit', 'render', 'batch', 'admin'];

export type Session =
  | { kind: 'signed-in'; user: User; accounts: true }
  | { kind: 'no-accounts'; user: User; accounts: false }
  | { kind: 'signed-out' };

export const NO_ACCOUNTS_USER: User = {
  id: 'local',
  name: 'Local user',
  tenant: 'default',
  role: 'admin',
  permissions: ALL_PERMISSIONS,
};

interface SessionBody {
  user: User;
  csrf_token: string;
}

function isSessionBody(value: unknown): value is SessionBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Partial<SessionBody>;
  return typeof body.user === 'object' && body.user !== null && Array.isArray(body.user.permissions);
}

/** A route this server does not have: not found, not allowed, or the web app's own page. */
function absent(response: Response): boolean {
  return response.status === 404 || response.status === 405 || (response.ok && !isJsonResponse(response));
}

async function signedIn(response: Response): Promise<Session> {
  const body: unknown = await response.json();
  if (!isSessionBody(body)) throw new ApiError(500, 'bad_answer', 'The server sent an unexpected session');
  setCsrfToken(body.csrf_token ?? null);
  return { kind: 'signed-in', user: body.user, accounts: true };
}

export async function fetchSession(): Promise<Session> {
  const response = await send('GET', '/api/v1/auth/me');
  if (absent(response)) {
    setCsrfToken(null);
    return { kind: 'no-accounts', user: NO_ACCOUNTS_USER, accounts: false };
  }
  if (response.status === 401) {
    setCsrfToken(null);
    return { kind: 'signed-out' };
  }
  if (!response.ok) throw await errorOf(response);
  return signedIn(response);
}

export async function login(username: string, password: string): Promise<Session> {
  const response = await send('POST', '/api/v1/auth/login', { body: { username, password } });
  if (response.ok && isJsonResponse(response)) return signedIn(response);
  const error = await errorOf(response);
  if (response.status === 429 && error.code.startsWith('http_')) {
    // No words from the server: say what a lockout means.
    const wait = error.retryAfterSeconds;
    const when = wait ? `Try again in ${wait} second${wait === 1 ? '' : 's'}.` : 'Try again later.';
    throw new ApiError(429, error.code, `Too many attempts. ${when}`, { retryAfterSeconds: wait });
  }
  throw error;
}

export async function logout(): Promise<void> {
  const response = await send('POST', '/api/v1/auth/logout');
  setCsrfToken(null);
  if (!response.ok && !absent(response) && response.status !== 401) throw await errorOf(response);
}

/** A new API token for the Elm editor; null when the server has no accounts. */
export async function mintToken(label: string): Promise<string | null> {
  const response = await send('POST', '/api/v1/auth/tokens', { body: { label } });
  if (absent(response)) return null;
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as { token?: unknown };
  return typeof body.token === 'string' ? body.token : null;
}

export function can(user: User | null, permission: string): boolean {
  return !!user && (user.permissions.includes(permission) || user.permissions.includes('admin'));
}
