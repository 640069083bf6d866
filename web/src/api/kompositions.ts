import { get, request, seg } from './client';
import type { Komposition, KompositionSummary, Page } from './types';

const base = '/api/v1/kompositions';

export async function listKompositions(): Promise<KompositionSummary[]> {
  const all: KompositionSummary[] = [];
  let after: string | null = null;
  do {
    const query: string = `?limit=500${after ? `&after=${seg(after)}` : ''}`;
    const page: Page<KompositionSummary> = await get<Page<KompositionSummary>>(base + query);
    all.push(...page.items);
    after = page.next;
  } while (after);
  return all;
}

export const readKomposition = (id: string, signal?: AbortSignal): Promise<Komposition> =>
  get<Komposition>(`${base}/${seg(id)}`, signal);

export async function createKomposition(doc: Komposition): Promise<Komposition> {
  return (await request<Komposition>('POST', base, { body: doc })).data;
}

/**
 * Stores `doc` as the revision after `baseRev`. A stale `baseRev` throws ApiError 412
 * (its currentRev is the server's revision); the server changes nothing then.
 */
export async function saveKomposition(doc: Komposition, baseRev: string): Promise<Komposition> {
  const body = { ...doc, _rev: baseRev };
  const answer = await request<Komposition>('PUT', `${base}/${seg(doc._id)}`, {
    body,
    headers: { 'If-Match': `"${baseRev}"` },
  });
  return answer.data;
}

export async function deleteKomposition(id: string, rev: string): Promise<void> {
  await request('DELETE', `${base}/${seg(id)}`, { headers: { 'If-Match': `"${rev}"` } });
}

/** What POST /api/v1/auto-kompositions takes: the tenant's media by name (docs/analysis.md). */
export interface AutoKompositionRequest {
  audio: string;
  clips: string[];
  bars_per_cut?: number;
  id?: string;
}

/** A new komposition cut between `clips` on the beat of `audio`, stored by the server. */
export async function createAutoKomposition(wanted: AutoKompositionRequest): Promise<Komposition> {
  return (await request<Komposition>('POST', '/api/v1/auto-kompositions', { body: wanted })).data;
}
