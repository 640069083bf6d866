import type { ApiError } from '../api/client';

/** The server's message, as it gave it, next to what caused it. */
export function ErrorMessage({ error, id, className }: { error: Pick<ApiError, 'message' | 'field'> | null; id?: string; className?: string }) {
  if (!error) return null;
  return (
    <p className={`error ${className ?? ''}`} role="alert" id={id}>
      {error.message}
      {error.field ? <span className="error-field"> ({error.field})</span> : null}
    </p>
  );
}
