// A passing notice ("song.flac is the soundtrack."): it goes away by itself after a few
// seconds, or as soon as what it was about changes (the next edit or selection).
import { useCallback, useEffect, useRef, useState } from 'react';

export const NOTICE_MS = 4000;

interface Shown {
  text: string;
  /** What `context()` was when the notice was shown. */
  context: readonly unknown[];
}

/** `context` reads what the notice is about (compared with ===). */
export function useNotice(context: () => readonly unknown[], ms: number = NOTICE_MS): [string | null, (text: string | null) => void] {
  const [shown, setShown] = useState<Shown | null>(null);
  const read = useRef(context);
  read.current = context;

  const show = useCallback((text: string | null) => setShown(text === null ? null : { text, context: read.current() }), []);

  // The next action: anything it was about changed.
  useEffect(() => {
    if (shown && read.current().some((v, i) => v !== shown.context[i])) setShown(null);
  });
  useEffect(() => {
    if (!shown) return;
    const t = setTimeout(() => setShown(null), ms);
    return () => clearTimeout(t);
  }, [shown, ms]);

  return [shown?.text ?? null, show];
}
