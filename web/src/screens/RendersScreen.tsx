// Every render, newest first, each named by its komposition and when it was started.
import { useEffect } from 'react';
import type { RenderSummary } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { StateBadge } from '../components/StateBadge';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';
import { RenderName } from './RenderName';
import { useKompositionNames } from './useKompositionNames';

function RenderItem({ render, kompositionName }: { render: RenderSummary; kompositionName: string | undefined }) {
  return (
    <li className="render-row">
      <StateBadge state={render.state} />
      <RenderName render={render} kompositionName={kompositionName} />
      {render.error ? <span className="error small">{render.error}</span> : null}
    </li>
  );
}

export function RendersScreen() {
  const renders = useStore(appStore, (s) => s.renders);
  const names = useKompositionNames();
  useEffect(() => {
    void appStore.actions.loadRenders();
  }, []);
  return (
    <section className="page" aria-labelledby="renders-title">
      <h1 id="renders-title">Renders</h1>
      <ErrorMessage error={renders.error} />
      {renders.data && renders.data.length === 0 ? <p className="empty">Nothing rendered yet.</p> : null}
      <ul className="render-list">
        {(renders.data ?? []).map((r) => (
          <RenderItem key={r.id} render={r} kompositionName={names.get(r.komposition)} />
        ))}
      </ul>
    </section>
  );
}
