// The names of the kompositions by id, for pages that list renders (a render knows only its
// komposition's id). Reads the list once when the app has not yet.
import { useEffect, useMemo } from 'react';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';

export function useKompositionNames(): ReadonlyMap<string, string> {
  const kompositions = useStore(appStore, (s) => s.kompositions);
  const missing = kompositions.data === null && !kompositions.loading;
  useEffect(() => {
    if (missing) void appStore.actions.loadKompositions();
  }, [missing]);
  return useMemo(() => new Map((kompositions.data ?? []).map((k) => [k.id, k.name])), [kompositions.data]);
}
