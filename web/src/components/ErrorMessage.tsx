import type { ApiError } from '../api/client';

/**
 * The server's message, as it gave it, next to what caused it. Its field path (the API's
 * `segments[1].end`) is for programs: the message already says where, in words or by that
 * path, so it is kept as data, not shown again.
 */
export function ErrorMessage({ error, id, className }: { error: Pick<ApiError, 'message' | 'field'> | null; id?: string; className?: string }) {
  if (!error) return null;
  return (
    <p className={`error ${className ?? ''}`} role="alert" id={id} data-field={error.field || undefined}>
      {error.message}
    </p>
  );
}
