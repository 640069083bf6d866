// The shell: who is signed in, the navigation, and the screen of the current path.
import { useEffect } from 'react';
import { can } from '../api/auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { EditorScreen } from '../screens/editor/EditorScreen';
import { ElmEditorScreen } from '../screens/ElmEditorScreen';
import { HomeScreen } from '../screens/HomeScreen';
import { MediaScreen } from '../screens/media/MediaScreen';
import { RenderHistoryScreen } from '../screens/RenderHistoryScreen';
import { RendersScreen } from '../screens/RendersScreen';
import { RenderScreen } from '../screens/render/RenderScreen';
import { SignInScreen } from '../screens/SignInScreen';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';
import { replacementPath } from './redirects';
import { Link, matchPath, navigate, paths, usePath } from './router';
import { useHasAccounts, useUser } from './session';

function Screen({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = matchPath('/k/:id/elm', path))) return <ElmEditorScreen id={m.id!} />;
  if ((m = matchPath('/k/:id/renders', path))) return <RenderHistoryScreen id={m.id!} />;
  if ((m = matchPath('/k/:id', path))) return <EditorScreen id={m.id!} />;
  if ((m = matchPath('/renders/:id', path))) return <RenderScreen id={m.id!} />;
  if (matchPath('/renders', path)) return <RendersScreen />;
  if (matchPath('/media', path)) return <MediaScreen />;
  if (path === '/' || matchPath('/signin', path)) return <HomeScreen />;
  return (
    <section className="page">
      <h1>Nothing here</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to={paths.home}>Back to your kompositions</Link>
      </p>
    </section>
  );
}

function NavLink({ to, label, path }: { to: string; label: string; path: string }) {
  const current = to === '/' ? path === '/' || path.startsWith('/k/') : path.startsWith(to);
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      {label}
    </Link>
  );
}

function UserMenu() {
  const user = useUser();
  const accounts = useHasAccounts();
  if (!user) return null;
  return (
    <div className="user-menu">
      <span className="user-name" title={`Role: ${user.role}`}>
        {user.name}
        {accounts ? <span className="user-role"> · {user.role}</span> : null}
      </span>
      {accounts ? (
        <button type="button" className="quiet" onClick={() => void appStore.actions.signOut()}>
          Sign out
        </button>
      ) : null}
    </div>
  );
}

export function App() {
  const path = usePath();
  const session = useStore(appStore, (s) => s.session);
  const user = useUser();

  useEffect(() => {
    void appStore.actions.loadSession();
  }, []);

  const signedIn = session.status === 'ready' && session.session.kind !== 'signed-out';
  const replacement = replacementPath(path, signedIn);
  useEffect(() => {
    if (replacement) navigate(replacement, { replace: true });
  }, [replacement]);

  let body;
  if (session.status === 'loading') body = <p className="page muted" role="status">Loading…</p>;
  else if (session.status === 'error')
    body = (
      <section className="page">
        <h1>The server did not answer</h1>
        <ErrorMessage error={session.error} />
        <button type="button" onClick={() => void appStore.actions.loadSession()}>
          Try again
        </button>
      </section>
    );
  else if (session.session.kind === 'signed-out') body = <SignInScreen />;
  else body = <Screen path={path} />;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={paths.home} className="brand" aria-label="Kompost home">
          <span className="brand-mark" aria-hidden="true" />
          Kompost
        </Link>
        {user ? (
          <nav aria-label="Main">
            <NavLink to={paths.home} label="Kompositions" path={path} />
            <NavLink to={paths.media} label="Media" path={path} />
            <NavLink to={paths.renders} label="Renders" path={path} />
          </nav>
        ) : null}
        <UserMenu />
      </header>
      <main id="main" tabIndex={-1} className={user && !can(user, 'edit') ? 'read-only' : undefined}>
        {body}
      </main>
    </>
  );
}
