// The media library: listing, metadata, thumbnails, waveforms, and uploads with progress
// (XMLHttpRequest: fetch cannot report upload progress).
import { errorOf, get, isJsonResponse, networkError, send, seg, writeHeaders } from './client';
import type { Medium, MediumAnalysis, Page, Waveform } from './types';

const base = '/api/v1/media';

export async function listMedia(): Promise<Medium[]> {
  const all: Medium[] = [];
  let after: string | null = null;
  do {
    const query: string = `?limit=500${after ? `&after=${seg(after)}` : ''}`;
    const page: Page<Medium> = await get<Page<Medium>>(base + query);
    all.push(...page.items);
    after = page.next;
  } while (after);
  return all;
}

export const mediumName = (m: Medium): string => m.name || m._id;

/** What asking to delete a medium did: deleted it, or named the kompositions using it (and kept it). */
export type MediumDeletion = { deleted: true } | { deleted: false; usedBy: string[] };

/** Deletes a medium; unless `force`, one that kompositions use is kept and they are named. */
export async function deleteMedium(name: string, force: boolean): Promise<MediumDeletion> {
  const response = await send('DELETE', `${base}/${seg(name)}${force ? '?force=true' : ''}`);
  if (response.ok) return { deleted: true };
  if (response.status === 409 && isJsonResponse(response)) {
    const body: unknown = await response.clone().json().catch(() => null);
    const users = typeof body === 'object' && body !== null ? (body as { error?: unknown; kompositions?: unknown }) : {};
    if (users.error === 'in_use' && Array.isArray(users.kompositions)) return { deleted: false, usedBy: users.kompositions.map(String) };
  }
  throw await errorOf(response);
}
export const fileUrl = (name: string): string => `${base}/${seg(name)}/file`;
export const thumbnailUrl = (name: string, t = 0, width = 320): string =>
  `${base}/${seg(name)}/thumbnail?t=${Math.max(0, Math.round(t * 100) / 100)}&width=${width}`;

export const readWaveform = (name: string, peaks: number, signal?: AbortSignal): Promise<Waveform> =>
  get<Waveform>(`${base}/${seg(name)}/waveform?peaks=${peaks}`, signal);

export const readAnalysis = (name: string, signal?: AbortSignal): Promise<MediumAnalysis> =>
  get<MediumAnalysis>(`${base}/${seg(name)}/analysis`, signal);

/** A file name the server takes: letters, digits, `.`, `_`, `-`; no leading dot; ≤ 200. */
export function plainName(fileName: string): string {
  const cleaned = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  const name = cleaned || 'medium';
  if (name.length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, 200 - ext.length) + ext;
}

export interface UploadHandle {
  done: Promise<Medium>;
  abort: () => void;
}

/** Uploads `file` as `name`; `onProgress` gets the fraction sent (0..1). */
export function uploadMedium(
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  replace = false,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Medium>((resolve, reject) => {
    xhr.open('POST', `${base}?name=${seg(name)}${replace ? '&replace=true' : ''}`);
    xhr.withCredentials = false; // same origin: the session cookie goes along anyway
    for (const [key, value] of Object.entries(writeHeaders('POST'))) xhr.setRequestHeader(key, value);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        statusText: xhr.statusText,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? '' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        response.json().then((m: Medium) => resolve(m), reject);
      } else {
        errorOf(response).then(reject, reject);
      }
    };
    xhr.onerror = () => reject(networkError(new Error('upload interrupted')));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
