// The existing Elm editor, unchanged, in an iframe of the server's /elm-editor/ page
// (elm-editor-api.md), signed in with an API token minted for it. Renders it starts
// appear beside it live, from the all-renders event stream.
import { useEffect, useState, type FormEvent } from 'react';
import { mintToken } from '../api/auth';
import type { ApiError } from '../api/client';
import { openEventStream, type StreamState } from '../api/events';
import { listRenders, readRender } from '../api/renders';
import type { RenderState, RenderSummary } from '../api/types';
import { EVENT_TYPES } from '../api/vocabulary';
import { Link, paths } from '../app/router';
import { useHasAccounts } from '../app/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { StateBadge } from '../components/StateBadge';
import { useElmEditorAvailable } from '../editor/useElmEditor';
import { asApiError } from '../store/appStore';
import { EditorTabs } from './editor/EditorTabs';

const TOKEN_KEY = 'kompost.elm-editor-token';

interface StartedRender {
  id: string;
  komposition: string;
  state: RenderState;
}

/**
 * Renders queued from now on (by anyone of this tenant), kept current by their events.
 * "Now" is the server's clock: the newest render it had when the page opened.
 */
function useRendersStartedHere(): { renders: StartedRender[]; stream: StreamState } {
  const [renders, setRenders] = useState<StartedRender[]>([]);
  const [stream, setStream] = useState<StreamState>('connecting');
  useEffect(() => {
    let stop: (() => void) | null = null;
    let closed = false;
    const shown = new Set<string>();
    const watch = (before: RenderSummary[]): void => {
      const old = new Set(before.map((r) => r.id));
      const since = before.reduce((t, r) => Math.max(t, r.created_at), 0);
      stop = openEventStream({
        path: '/api/v1/events',
        onState: setStream,
        onEvent: (event) => {
          const state = EVENT_TYPES[event.type]?.renderState;
          if (!state) return;
          if (shown.has(event.render)) {
            setRenders((list) => list.map((x) => (x.id === event.render ? { ...x, state } : x)));
            return;
          }
          if (state !== 'queued' || old.has(event.render) || event.at < since) return;
          shown.add(event.render);
          setRenders((list) => [{ id: event.render, komposition: '', state }, ...list]);
          readRender(event.render).then(
            (r) => setRenders((list) => list.map((x) => (x.id === r.id ? { ...x, komposition: r.komposition, state: r.state } : x))),
            () => undefined,
          );
        },
      });
    };
    listRenders({ limit: 50 }).then(
      (page) => !closed && watch(page.items),
      () => !closed && watch([]),
    );
    return () => {
      closed = true;
      stop?.();
    };
  }, []);
  return { renders, stream };
}

function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, text.trim());
    onToken(text.trim());
  };
  return (
    <form className="token-form" onSubmit={submit}>
      <label>
        API token for the Elm editor
        <input value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby="token-help" />
      </label>
      <button type="submit">Use token</button>
      <p className="muted small" id="token-help">
        This server has no accounts, so no token can be issued here. The server&apos;s token is <code>server.api_token</code>, or the file <code>api-token</code> in its data folder.
      </p>
    </form>
  );
}

export function ElmEditorScreen({ id }: { id: string }) {
  const available = useElmEditorAvailable();
  const accounts = useHasAccounts();
  const [token, setToken] = useState<string | null>(null);
  const [tokenError, setTokenError] = useState<ApiError | null>(null);
  const [ready, setReady] = useState(false);
  const { renders, stream } = useRendersStartedHere();

  useEffect(() => {
    if (!available) return;
    let live = true;
    mintToken('elm-editor').then(
      (minted) => {
        if (!live) return;
        setToken(minted ?? sessionStorage.getItem(TOKEN_KEY) ?? '');
        setReady(true);
      },
      (e: unknown) => {
        if (!live) return;
        setTokenError(asApiError(e));
        setReady(true);
      },
    );
    return () => {
      live = false;
    };
  }, [available]);

  return (
    <div className="elm-page">
      <div className="editor-head">
        <h1 className="title">{id}</h1>
        <EditorTabs id={id} current="elm" />
      </div>
      {available === false ? (
        <section className="page">
          <h2>The Elm editor is not enabled on this server</h2>
          <p>
            Start the server with <code>--elm-bundle PATH/kompost.js</code> (or the setting <code>server.elm_bundle</code>) to offer it here.
          </p>
        </section>
      ) : null}
      <ErrorMessage error={tokenError} />
      {available && ready && !accounts && !token ? <TokenForm onToken={setToken} /> : null}
      {available && ready ? (
        <div className="elm-layout">
          <iframe key={token ?? ''} className="elm-frame" title="Elm komposition editor" src={`/elm-editor/#token=${encodeURIComponent(token ?? '')}`} />
          <aside className="panel" aria-labelledby="elm-renders-title">
            <h2 id="elm-renders-title">Renders started</h2>
            <p className="muted small" role="status">
              {stream === 'live' ? 'Watching live' : stream === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
            </p>
            {renders.length === 0 ? <p className="muted small">A render started in the editor shows up here.</p> : null}
            <ul className="render-list" aria-live="polite">
              {renders.map((r) => (
                <li key={r.id} className="render-row">
                  <StateBadge state={r.state} />
                  <Link to={paths.render(r.id)}>{r.komposition || r.id}</Link>
                </li>
              ))}
            </ul>
          </aside>
        </div>
      ) : null}
    </div>
  );
}
