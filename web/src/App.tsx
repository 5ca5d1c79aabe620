// Routing and the guards: signed-out people see the sign-in screen, signed-in people get the
// shell with the tools their permissions open; a tool's URL typed by hand is guarded the same
// way as its menu entry.
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthProvider';
import { ErrorAlert, Loading } from './components/ui';
import { CurrentCompanyProvider } from './domains/companies/current';
import { AccessProvider, useAccess, useAccessQuery } from './domains/session/access';
import type { ToolId } from './domains/session/tools';
import { AppShell } from './layout/AppShell';
import { InvitePage } from './pages/InvitePage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { AccessPendingPage, ForbiddenPage, NotFoundPage } from './pages/StatusPages';

const ProposalsPage = lazy(() => import('./pages/proposals/ProposalsPage'));
const MockupsPage = lazy(() => import('./pages/mockups/MockupsPage'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage'));
const CostsPage = lazy(() => import('./pages/costs/CostsPage'));
const ChatPage = lazy(() => import('./pages/chat/ChatPage'));
const BookingOrdersPage = lazy(() => import('./pages/bookingOrders/BookingOrdersPage'));

function RequireSession({ children }: { children: ReactNode }) {
  const { session, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Loading label="Starting…" />;
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** Loads the user's access once; everything inside can call useAccess(). */
function AccessGate({ children }: { children: ReactNode }) {
  const { access, error, isLoading, refetch } = useAccessQuery();
  const { signOut } = useAuth();
  if (isLoading) return <Loading label="Loading your workspace…" />;
  if (error || !access) {
    return (
      <div className="auth-screen">
        <div className="card auth-card stack">
          <ErrorAlert error={error ?? new Error('No access information')} title="Your workspace could not be loaded" onRetry={refetch} />
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>Sign out</button>
        </div>
      </div>
    );
  }
  if (!access.context.is_active) return <AccessPendingPage reason="inactive" />;
  if (!access.tools.some((t) => t.id !== 'settings')) return <AccessPendingPage reason="no-tools" />;
  return (
    <AccessProvider access={access}>
      <CurrentCompanyProvider userId={access.context.user_id} companies={access.context.companies}>
        {children}
      </CurrentCompanyProvider>
    </AccessProvider>
  );
}

function ToolRoute({ tool, children }: { tool: ToolId; children: ReactNode }) {
  const access = useAccess();
  const rule = access.can(tool);
  if (!rule) {
    const label = { chat: 'Chat', mockups: 'Mockups', proposals: 'Proposals', booking_orders: 'Booking orders', costs: 'Costs', admin: 'Admin', settings: 'Settings' }[tool];
    return <ForbiddenPage tool={label} />;
  }
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function Home() {
  const { tools } = useAccess();
  const first = tools.find((t) => t.id !== 'settings') ?? tools[0];
  return <Navigate to={first.path} replace />;
}

function SignedInApp() {
  return (
    <RequireSession>
      <AccessGate>
        <AppShell>
          <Routes>
            <Route index element={<Home />} />
            <Route path="chat/*" element={<ToolRoute tool="chat"><ChatPage /></ToolRoute>} />
            <Route path="proposals/*" element={<ToolRoute tool="proposals"><ProposalsPage /></ToolRoute>} />
            <Route path="mockups/*" element={<ToolRoute tool="mockups"><MockupsPage /></ToolRoute>} />
            <Route path="booking-orders/*" element={<ToolRoute tool="booking_orders"><BookingOrdersPage /></ToolRoute>} />
            <Route path="costs/*" element={<ToolRoute tool="costs"><CostsPage /></ToolRoute>} />
            <Route path="admin/*" element={<ToolRoute tool="admin"><AdminPage /></ToolRoute>} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </AppShell>
      </AccessGate>
    </RequireSession>
  );
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<SignInPage />} />
          <Route path="/invite" element={<InvitePage />} />
          <Route path="/*" element={<SignedInApp />} />
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
