import type { User } from '../api/types';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';

/** The signed-in user (or the local user of a server without accounts); null otherwise. */
export function useUser(): User | null {
  return useStore(appStore, (s) => (s.session.status === 'ready' && s.session.session.kind !== 'signed-out' ? s.session.session.user : null));
}

export function useHasAccounts(): boolean {
  return useStore(appStore, (s) => s.session.status === 'ready' && s.session.session.kind === 'signed-in');
}
