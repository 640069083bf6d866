import { request } from './client';
import type { Komposition } from './types';

/** One operation of an RFC 6902 JSON Patch (the server's diff uses these three). */
export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** An edit the assistant proposes: the edited komposition and its patch from base_rev. */
export interface Proposal {
  id: string;
  base_rev: string;
  patch: PatchOp[];
  applied: boolean;
  komposition: Komposition;
}

/** The assistant's answer to one request (POST /api/v1/assistant/messages). */
export interface AssistantAnswer {
  reply: string;
  refused: boolean;
  reason?: string;
  proposal: Proposal | null;
  backend: string;
  notice?: string;
}

export async function askAssistant(message: string, kompositionId: string): Promise<AssistantAnswer> {
  const body = { message, komposition_id: kompositionId };
  return (await request<AssistantAnswer>('POST', '/api/v1/assistant/messages', { body })).data;
}
