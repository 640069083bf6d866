import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { appStore } from '../store/appStore';
import { useStore } from '../store/store';

export function SignInScreen() {
  const error = useStore(appStore, (s) => s.signInError);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const ok = await appStore.actions.signIn(username, password);
    setBusy(false);
    if (!ok) setPassword('');
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Kompost</h1>
      <p className="muted">Music videos on the beat.</p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          User name
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </label>
        <ErrorMessage error={error} id="signin-error" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
