// Addresses that say something no longer true: the app replaces them (no new history entry)
// so that the address bar, a bookmark and the Back button match the screen shown.
import { matchPath, paths } from './router';

/** The address to show instead of `path`, or null when `path` is right as it is. */
export function replacementPath(path: string, signedIn: boolean): string | null {
  // Signed in, the sign-in page shows Home: say so in the address too.
  if (signedIn && matchPath(paths.signIn, path)) return paths.home;
  return null;
}
