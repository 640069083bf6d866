// The one way this app talks to the server: same-origin cookies, the CSRF token on every
// request that changes something, and the server's JSON errors turned into ApiError.

/** An error as the server gave it: `{"error", "message", "field"?}` (plus the HTTP status). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly currentRev: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { field?: string; currentRev?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = extra.field;
    this.currentRev = extra.currentRev;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Called when an answer is 401: the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** Set from the answer of sign-in or /auth/me; null when signed out or without accounts. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Headers every request that changes something carries (uploads use them too). */
export function writeHeaders(method: string): Record<string, string> {
  return method !== 'GET' && method !== 'HEAD' && csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Answer<T> {
  status: number;
  data: T;
  headers: Headers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonResponse(response: Response): boolean {
  return (response.headers.get('Content-Type') ?? '').includes('application/json');
}

/** The ApiError of a failed answer, with the server's own message when it sent one. */
export async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  if (isJsonResponse(response)) body = await response.json().catch(() => null);
  const retry = Number(response.headers.get('Retry-After') ?? (isRecord(body) ? body.retry_after : undefined));
  const retryAfterSeconds = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  if (isRecord(body) && typeof body.message === 'string') {
    return new ApiError(
      response.status,
      typeof body.error === 'string' ? body.error : `http_${response.status}`,
      body.message,
      {
        field: typeof body.field === 'string' ? body.field : undefined,
        currentRev: typeof body.current_rev === 'string' ? body.current_rev : undefined,
        retryAfterSeconds,
      },
    );
  }
  // CouchDB-style answers of the Elm API: {"error", "reason"}.
  if (isRecord(body) && typeof body.reason === 'string') {
    return new ApiError(response.status, String(body.error ?? 'error'), body.reason);
  }
  const text = response.statusText || 'request failed';
  return new ApiError(response.status, `http_${response.status}`, `${response.status} ${text}`, {
    retryAfterSeconds,
  });
}

/** Thrown for network failures, so that callers see one error type. */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, 'network', `The server could not be reached (${detail})`);
}

/** Sends a request; the raw Response (any status) for callers that read non-JSON bodies. */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...writeHeaders(method) };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  Object.assign(headers, options.headers);
  try {
    return await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
}

/** A JSON request: the parsed answer of a 2xx, else throws ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const response = await send(method, path, options);
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) throw await errorOf(response);
  let data: unknown = null;
  if (response.status !== 204 && isJsonResponse(response)) data = await response.json();
  return { status: response.status, data: data as T, headers: response.headers };
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', path, { signal }).then((a) => a.data);

/** A path segment (ids appear in URLs percent-encoded). */
export const seg = (value: string): string => encodeURIComponent(value);
