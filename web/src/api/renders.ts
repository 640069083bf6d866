import { get, request, seg } from './client';
import type { Page, Render, RenderSummary } from './types';

const base = '/api/v1/renders';

export interface RenderQuery {
  komposition?: string;
  state?: string;
  limit?: number;
  before?: string;
}

export function listRenders(query: RenderQuery = {}): Promise<Page<RenderSummary>> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return get<Page<RenderSummary>>(text ? `${base}?${text}` : base);
}

export const readRender = (id: string, signal?: AbortSignal): Promise<Render> =>
  get<Render>(`${base}/${seg(id)}`, signal);

export interface RenderStart {
  komposition: string;
  from_beat?: number;
  to_beat?: number;
}

/** Starts a render; the idempotency key makes a double click start one render, not two. */
export async function startRender(start: RenderStart, idempotencyKey: string): Promise<string> {
  const answer = await request<{ id: string }>('POST', base, {
    body: start,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return answer.data.id;
}

export async function cancelRender(id: string): Promise<void> {
  await request('POST', `${base}/${seg(id)}/cancel`);
}

export const outputUrl = (id: string): string => `${base}/${seg(id)}/output`;
