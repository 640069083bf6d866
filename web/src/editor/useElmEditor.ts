// Whether the server offers the existing Elm editor (server.elm_bundle): its page answers 200.
import { useEffect, useState } from 'react';

let known: Promise<boolean> | null = null;

export function elmEditorAvailable(): Promise<boolean> {
  known ??= fetch('/elm-editor/', { credentials: 'same-origin', cache: 'no-store' }).then(
    (r) => r.ok,
    () => false,
  );
  return known;
}

export function useElmEditorAvailable(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void elmEditorAvailable().then((a) => live && setAvailable(a));
    return () => {
      live = false;
    };
  }, []);
  return available;
}
