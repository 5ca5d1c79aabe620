// Email + password sign-in; "Sign in with Microsoft" when the Azure provider is enabled.
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { ErrorAlert, Field, Spinner } from '../components/ui';
import { useAuthSettings } from '../domains/session/hooks';

export function SignInForm({ submitLabel = 'Sign in' }: { submitLabel?: string }) {
  const { signIn, signInWithMicrosoft } = useAuth();
  const settings = useAuthSettings();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Sign in" noValidate>
      <ErrorAlert error={error} title="Sign-in failed" />
      <Field label="Email">
        {(id) => <input id={id} className="input" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Password">
        {(id) => <input id={id} className="input" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy || !email || !password}>
        {busy ? <Spinner label="Signing in" /> : null} {submitLabel}
      </button>
      {settings.data?.azure ? (
        <>
          <div className="divider">or</div>
          <button type="button" className="btn" onClick={() => signInWithMicrosoft().catch(setError)}>
            Sign in with Microsoft
          </button>
        </>
      ) : null}
    </form>
  );
}

export function SignInPage() {
  const { session } = useAuth();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (session) return <Navigate to={from} replace />;
  return (
    <div className="auth-screen">
      <div className="card auth-card">
        <div className="brand"><span className="brand-mark" aria-hidden="true" /> MMG Sales Platform</div>
        <h1 className="visually-hidden">Sign in</h1>
        <SignInForm />
      </div>
    </div>
  );
}
