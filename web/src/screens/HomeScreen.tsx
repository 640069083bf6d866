// Home: the user's kompositions (thumbnail, length, last render) and recent renders.
import { useEffect, useState, type FormEvent } from 'react';
import { can } from '../api/auth';
import { readKomposition } from '../api/kompositions';
import type { Komposition, KompositionSummary, RenderSummary } from '../api/types';
import { Link, navigate, paths } from '../app/router';
import { useUser } from '../app/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDuration, formatWhen } from '../components/format';
import { KompositionThumb } from '../components/KompositionThumb';
import { StateBadge } from '../components/StateBadge';
import { lengthSeconds } from '../komposition/model';
import { appStore, asApiError } from '../store/appStore';
import { useStore } from '../store/store';
import type { ApiError } from '../api/client';
import './home.css';

function NewKomposition() {
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const doc = await appStore.actions.createKomposition(name);
      navigate(paths.editor(doc._id));
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  return (
    <form className="new-komposition" onSubmit={(e) => void submit(e)}>
      <label>
        New komposition
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Name, e.g. Summer single" required maxLength={120} aria-describedby={error ? 'new-error' : undefined} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Create
      </button>
      <ErrorMessage error={error} id="new-error" />
    </form>
  );
}

/** Deleting asks first, on the card itself: a komposition and its edit history go for good. */
function DeleteKomposition({ summary }: { summary: KompositionSummary }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const title = summary.name || summary.id;
  const remove = async (): Promise<void> => {
    setError(null);
    try {
      await appStore.actions.deleteKomposition(summary.id, summary.rev);
    } catch (err) {
      setError(asApiError(err));
      setAsking(false);
    }
  };
  if (!asking) {
    return (
      <>
        <button type="button" className="link-button small" onClick={() => setAsking(true)} aria-label={`Delete ${title}`}>
          Delete
        </button>
        <ErrorMessage error={error} />
      </>
    );
  }
  return (
    <span role="group" aria-label={`Delete ${title}?`} className="confirm small">
      Delete “{title}”? This cannot be undone.{' '}
      <button type="button" className="danger" onClick={() => void remove()}>
        Delete it
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}

function KompositionCard({ summary, lastRender }: { summary: KompositionSummary; lastRender: RenderSummary | undefined }) {
  const user = useUser();
  const [doc, setDoc] = useState<Komposition | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    readKomposition(summary.id, abort.signal).then(setDoc, () => undefined);
    return () => abort.abort();
  }, [summary.id, summary.rev]);
  return (
    <li className="card komposition-card">
      <Link to={paths.editor(summary.id)} className="card-link" aria-label={`Open ${summary.name || summary.id}`}>
        <KompositionThumb doc={doc} />
      </Link>
      <div className="card-body">
        <h3>
          <Link to={paths.editor(summary.id)}>{summary.name || summary.id}</Link>
        </h3>
        <p className="muted small">
          {doc ? <span aria-label="Length">{formatDuration(lengthSeconds(doc))}</span> : '…'}
          {doc ? ` · ${doc.bpm} BPM · ${doc.config.width}×${doc.config.height}` : null}
        </p>
        <p className="small">
          {lastRender ? (
            <Link to={paths.render(lastRender.id)} aria-label={`Last render: ${lastRender.state}`}>
              <StateBadge state={lastRender.state} /> {formatWhen(lastRender.created_at)}
            </Link>
          ) : (
            <StateBadge state="none" />
          )}
          {' · '}
          <Link to={paths.history(summary.id)}>History</Link>
          {can(user, 'edit') ? (
            <>
              {' · '}
              <DeleteKomposition summary={summary} />
            </>
          ) : null}
        </p>
      </div>
    </li>
  );
}

export function RenderRow({ render, kompositionName }: { render: RenderSummary; kompositionName: string | undefined }) {
  return (
    <li className="render-row">
      <StateBadge state={render.state} />
      <Link to={paths.render(render.id)}>{kompositionName || render.komposition || render.id}</Link>
      <span className="muted small">{formatWhen(render.created_at)}</span>
      {render.error ? <span className="error small">{render.error}</span> : null}
    </li>
  );
}

export function HomeScreen() {
  const user = useUser();
  const kompositions = useStore(appStore, (s) => s.kompositions);
  const renders = useStore(appStore, (s) => s.renders);

  useEffect(() => {
    void appStore.actions.loadKompositions();
    void appStore.actions.loadRenders();
  }, []);

  const names = new Map((kompositions.data ?? []).map((k) => [k.id, k.name]));
  const latest = new Map<string, RenderSummary>();
  for (const r of renders.data ?? []) if (!latest.has(r.komposition)) latest.set(r.komposition, r);

  return (
    <div className="page home">
      <section aria-labelledby="kompositions-title">
        <div className="section-head">
          <h1 id="kompositions-title">Your kompositions</h1>
          {can(user, 'edit') ? <NewKomposition /> : null}
        </div>
        <ErrorMessage error={kompositions.error} />
        {kompositions.data && kompositions.data.length === 0 ? (
          <p className="empty">No kompositions yet. Upload clips and a song under Media, then create one here.</p>
        ) : null}
        <ul className="cards" aria-busy={kompositions.loading}>
          {(kompositions.data ?? []).map((k) => (
            <KompositionCard key={k.id} summary={k} lastRender={latest.get(k.id)} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">Recent renders</h2>
        <ErrorMessage error={renders.error} />
        {renders.data && renders.data.length === 0 ? <p className="empty">Nothing rendered yet.</p> : null}
        <ul className="render-list">
          {(renders.data ?? []).slice(0, 8).map((r) => (
            <RenderRow key={r.id} render={r} kompositionName={names.get(r.komposition)} />
          ))}
        </ul>
      </section>
    </div>
  );
}
