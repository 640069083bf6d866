// Every render of one komposition, newest first.
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { listRenders } from '../api/renders';
import type { RenderSummary } from '../api/types';
import { Link, paths } from '../app/router';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatSpan, formatWhen } from '../components/format';
import { StateBadge } from '../components/StateBadge';
import { asApiError } from '../store/appStore';

export function RenderHistoryScreen({ id }: { id: string }) {
  const [items, setItems] = useState<RenderSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

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
        <Link to={paths.editor(id)}>← {id}</Link>
      </p>
      <h1 id="history-title">Renders of {id}</h1>
      <ErrorMessage error={error} />
      {items && items.length === 0 ? <p className="empty">This komposition has not been rendered yet.</p> : null}
      {items && items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Render</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>
                  <StateBadge state={r.state} />
                </td>
                <td>{formatWhen(r.created_at)}</td>
                <td>{formatSpan(r.created_at, r.finished_at)}</td>
                <td>
                  <Link to={paths.render(r.id)}>{r.id}</Link>
                  {r.error ? <span className="error small"> {r.error}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          Older renders
        </button>
      ) : null}
    </section>
  );
}
