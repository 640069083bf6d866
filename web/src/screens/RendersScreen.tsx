import { useEffect } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';
import { RenderRow } from './HomeScreen';

export function RendersScreen() {
  const renders = useStore(appStore, (s) => s.renders);
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
          <RenderRow key={r.id} render={r} />
        ))}
      </ul>
    </section>
  );
}
