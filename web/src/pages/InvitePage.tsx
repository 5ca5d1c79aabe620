// Invite acceptance: /invite?token=…. The invited person signs in with the invited address
// (accounts are created by an administrator or through single sign-on) and redeems the token;
// the database checks email, expiry and revocation and applies the invite once.
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useState } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { Alert, ErrorAlert, Field, Spinner } from '../components/ui';
import { useRedeemInvite } from '../domains/session/hooks';
import { SignInForm } from './SignInPage';

export function InvitePage() {
  const { session, signOut } = useAuth();
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const redeem = useRedeemInvite();
  const navigate = useNavigate();

  return (
    <div className="auth-screen">
      <div className="card auth-card stack">
        <div className="brand"><span className="brand-mark" aria-hidden="true" /> MMG Sales Platform</div>
        <h1>Accept your invitation</h1>
        {redeem.isSuccess ? (
          <Alert tone="success" title="Invitation accepted">
            Your access is ready. <button type="button" className="btn btn-sm" onClick={() => navigate('/', { replace: true })}>Open the app</button>
          </Alert>
        ) : !session ? (
          <>
            <p className="muted">Sign in with the email address the invitation was sent to.</p>
            <SignInForm submitLabel="Sign in to accept" />
          </>
        ) : (
          <form className="stack" onSubmit={(e) => { e.preventDefault(); redeem.mutate(token.trim()); }}>
            <p className="muted">Signed in as <strong>{session.user.email}</strong>.</p>
            <Field label="Invitation code">
              {(id) => <input id={id} className="input mono" value={token} onChange={(e) => setToken(e.target.value)} required autoComplete="off" />}
            </Field>
            <ErrorAlert error={redeem.error} title="The invitation could not be accepted" />
            <button type="submit" className="btn btn-primary" disabled={!token.trim() || redeem.isPending}>
              {redeem.isPending ? <Spinner label="Accepting" /> : null} Accept invitation
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>Use another account</button>
          </form>
        )}
        <p className="small faint"><Link to="/">Back to the app</Link></p>
      </div>
    </div>
  );
}
