// A render followed live through the store, while the component showing it is mounted.
import { useEffect } from 'react';
import { appStore, type LiveRender } from '../store/appStore';
import { useStore } from '../store/store';

const NOTHING_YET: LiveRender = { render: null, error: null, stream: 'connecting' };

export function useLiveRender(id: string): LiveRender {
  useEffect(() => appStore.actions.followRender(id), [id]);
  return useStore(appStore, (s) => s.live[id] ?? NOTHING_YET);
}
