// Full-page states: not found, forbidden, access pending, runtime configuration missing.
import { Link } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState } from '../components/ui';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" action={<Link className="btn" to="/">Go to the start page</Link>}>
      There is nothing at this address.
    </EmptyState>
  );
}

export function ForbiddenPage({ tool }: { tool: string }) {
  return (
    <section aria-labelledby="forbidden-title" className="card" data-testid="forbidden">
      <div className="empty">
        <h2 id="forbidden-title">You do not have access to {tool}</h2>
        <p>Your profile and permission sets do not include this tool. Ask an administrator if you need it.</p>
        <Link className="btn" to="/">Go to the start page</Link>
      </div>
    </section>
  );
}

export function AccessPendingPage({ reason }: { reason: 'inactive' | 'no-tools' }) {
  const { signOut } = useAuth();
  return (
    <div className="auth-screen">
      <div className="card auth-card">
        <div className="brand"><span className="brand-mark" aria-hidden="true" /> MMG Sales Platform</div>
        <h1>Access pending</h1>
        <p className="muted">
          {reason === 'inactive'
            ? 'Your account is deactivated. An administrator can reactivate it.'
            : 'Your account has no tools yet. An administrator needs to give you a profile, a company or a permission set — or send you an invitation.'}
        </p>
        <div className="row">
          <Link className="btn" to="/invite">I have an invitation</Link>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>Sign out</button>
        </div>
      </div>
    </div>
  );
}
