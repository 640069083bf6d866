// A medium's analysis (tempo and beats of a song, shot changes of a clip), fetched once per
// name while shown; null until it arrives, or when it cannot be had.
import { useEffect, useState } from 'react';
import { readAnalysis } from '../api/media';
import type { MediumAnalysis } from '../api/types';

export function useAnalysis(name: string | null): MediumAnalysis | null {
  const [analysis, setAnalysis] = useState<MediumAnalysis | null>(null);
  useEffect(() => {
    if (!name) {
      setAnalysis(null);
      return;
    }
    const abort = new AbortController();
    readAnalysis(name, abort.signal).then(setAnalysis, () => setAnalysis(null));
    return () => abort.abort();
  }, [name]);
  return analysis;
}
