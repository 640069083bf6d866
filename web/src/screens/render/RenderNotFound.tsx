// A render that cannot be shown (a wrong or old address, or the server refused): what
// happened in words, and the way back to the list of renders.
import type { ApiError } from '../../api/client';
import { Link, paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';

export function RenderNotFound({ id, error }: { id: string; error: ApiError }) {
  const missing = error.status === 404;
  return (
    <section className="page">
      <h1>{missing ? 'No such render' : 'This render could not be shown'}</h1>
      {missing ? (
        <p>
          There is no render <code>{id}</code>: the address may be mistyped, or the render was removed.
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
      <p>
        <Link to={paths.renders}>← All renders</Link>
      </p>
    </section>
  );
}
