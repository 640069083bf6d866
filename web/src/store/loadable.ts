import type { ApiError } from '../api/client';

/** Server data as the app holds it: what was last read, whether a read is under way, and its error. */
export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  error: ApiError | null;
}

export const empty = <T>(): Loadable<T> => ({ data: null, loading: false, error: null });
