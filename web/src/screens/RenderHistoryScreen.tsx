// Every render of one komposition, newest first: each named by the komposition and when it
// was started (its id beneath), in a table that scrolls in its own box on a phone.
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { listRenders } from '../api/renders';
import type { RenderSummary } from '../api/types';
import { Link, paths } from '../app/router';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatSpan } from '../components/format';
import { StateBadge } from '../components/StateBadge';
import { asApiError } from '../store/appStore';
import { RenderName } from './RenderName';
import { useKompositionNames } from './useKompositionNames';

function HistoryRow({ render, kompositionName }: { render: RenderSummary; kompositionName: string | undefined }) {
  return (
    <tr>
      <td>
        <RenderName render={render} kompositionName={kompositionName} />
        {render.error ? <span className="error small render-row-error">{render.error}</span> : null}
      </td>
      <td>
        <StateBadge state={render.state} />
      </td>
      <td>{formatSpan(render.created_at, render.finished_at)}</td>
    </tr>
  );
}

export function RenderHistoryScreen({ id }: { id: string }) {
  const [items, setItems] = useState<RenderSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const name = useKompositionNames().get(id);

  const load = async (before?: string): Promise<void> => {
    try {
      const page = await listRenders({ komposition: id, limit: 50, before });
      setItems((old) => (before ? [...(old ?? []), ...page.items] : page.items));
      setNext(page.next);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  return (
    <section className="page" aria-labelledby="history-title">
      <p className="crumbs">
        <Link to={paths.editor(id)}>← {name || id}</Link>
      </p>
      <h1 id="history-title">Renders of {id}</h1>
      <ErrorMessage error={error} />
      {items && items.length === 0 ? <p className="empty">This komposition has not been rendered yet.</p> : null}
      {items && items.length > 0 ? (
        <div className="table-scroll">
          <table className="table render-history">
            <thead>
              <tr>
                <th scope="col">Render</th>
                <th scope="col">State</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <HistoryRow key={r.id} render={r} kompositionName={name} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          Older renders
        </button>
      ) : null}
    </section>
  );
}
