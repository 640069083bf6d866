// Live render events over WebSocket (docs/server.md, "Live events"). A dropped connection
// resumes from the last cursor, so every event arrives once and in order.
import type { RenderEvent } from './types';

export type StreamState = 'connecting' | 'live' | 'closed' | 'reconnecting';

export interface EventStreamOptions {
  /** `/api/v1/renders/{id}/events` (cursor: seq) or `/api/v1/events` (cursor: id). */
  path: string;
  onEvent: (event: RenderEvent) => void;
  onState?: (state: StreamState) => void;
  /** Asked when the server closes the stream: true to resume from the cursor. */
  shouldReconnect?: () => boolean;
  /** Resume after this cursor (undefined: from the first event for one render; live for all). */
  after?: number;
}

function socketUrl(path: string, after: number | undefined): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (after !== undefined) url.searchParams.set('after', String(after));
  return url.toString();
}

/** Opens the stream; the function returned closes it for good. */
export function openEventStream(options: EventStreamOptions): () => void {
  const cursorOf = (e: RenderEvent): number =>
    options.path === '/api/v1/events' && typeof e.id === 'number' ? e.id : e.seq;
  let cursor = options.after;
  let socket: WebSocket | null = null;
  let stopped = false;
  let retryMs = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    options.onState?.(cursor === options.after ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(socketUrl(options.path, cursor));
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
      options.onState?.('live');
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let event: RenderEvent;
      try {
        event = JSON.parse(message.data) as RenderEvent;
      } catch {
        return;
      }
      const c = cursorOf(event);
      if (cursor !== undefined && c <= cursor) return; // already seen
      cursor = c;
      options.onEvent(event);
    };
    ws.onclose = () => {
      socket = null;
      if (stopped) return;
      if (options.shouldReconnect ? options.shouldReconnect() : true) {
        options.onState?.('reconnecting');
        timer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      } else {
        options.onState?.('closed');
      }
    };
  };

  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
  };
}
