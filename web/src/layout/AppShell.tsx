// The app frame: sidebar of permitted tools, header with company switcher, theme and account.
import { type ReactNode, useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { Icon } from '../components/icons';
import { useAccess } from '../domains/session/access';
import { CompanySwitcher } from './CompanySwitcher';
import { NotificationsMenu } from './NotificationsMenu';
import { effectiveTheme, useTheme } from './theme';

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]!.toUpperCase()).join('') || '?';
}

export function AppShell({ children }: { children: ReactNode }) {
  const { context, tools } = useAccess();
  const { signOut } = useAuth();
  const [theme, setTheme] = useTheme();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  const dark = effectiveTheme(theme) === 'dark';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <aside className="shell-sidebar" data-open={open} aria-label="Tools">
        <a className="brand" href="/" aria-label="MMG Sales, start page">
          <span className="brand-mark" aria-hidden="true" />
          <span>MMG Sales<small>{context.profile?.display_name ?? 'No profile'}</small></span>
        </a>
        <nav aria-label="Main">
          <ul className="nav-list">
            {tools.map((t) => (
              <li key={t.id}>
                <NavLink to={t.path} className="nav-link">
                  <Icon name={t.id} />
                  <span>{t.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <header className="shell-header">
        <button type="button" className="btn btn-ghost icon-btn menu-button" aria-label="Open menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <Icon name="menu" />
        </button>
        <CompanySwitcher />
        <span className="spacer" />
        <NotificationsMenu />
        <button
          type="button"
          className="btn btn-ghost icon-btn"
          aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
          onClick={() => setTheme(dark ? 'light' : 'dark')}
        >
          <Icon name={dark ? 'sun' : 'moon'} />
        </button>
        <div className="user-chip">
          <span className="avatar" aria-hidden="true">{initials(context.name)}</span>
          <span className="user-name">
            <span>{context.name}</span>
            <br />
            <span className="faint small">{context.email}</span>
          </span>
        </div>
        <button type="button" className="btn btn-sm" onClick={() => void signOut()} aria-label="Sign out">
          <Icon name="logout" className="nav-icon" /> <span className="signout-label">Sign out</span>
        </button>
      </header>
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
