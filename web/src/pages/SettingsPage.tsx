// Personal settings: theme, and what the account can do.
import { Badge, PageHeader, Segmented } from '../components/ui';
import { useCompanyNames } from '../domains/companies/hooks';
import { useAccess } from '../domains/session/access';
import { formatDateTime } from '../lib/format';
import { type ThemeChoice, useTheme } from '../layout/theme';

export function SettingsPage() {
  const [theme, setTheme] = useTheme();
  const { context } = useAccess();
  const companyName = useCompanyNames();
  return (
    <>
      <PageHeader title="Settings" description="Appearance and your account." />
      <div className="grid grid-2">
        <section className="card" aria-labelledby="appearance">
          <h2 id="appearance">Appearance</h2>
          <Segmented<ThemeChoice>
            label="Theme"
            value={theme}
            onChange={setTheme}
            options={[{ value: 'system', label: 'System' }, { value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]}
          />
        </section>
        <section className="card" aria-labelledby="account">
          <h2 id="account">Your account</h2>
          <dl className="totals">
            <dt>Name</dt><dd>{context.name}</dd>
            <dt>Email</dt><dd>{context.email}</dd>
            <dt>Profile</dt><dd>{context.profile?.display_name ?? '—'}</dd>
            <dt>Companies</dt><dd>{context.companies.map(companyName).join(', ') || '—'}</dd>
            <dt>Teams</dt><dd>{context.teams.map((t) => `${t.display_name}${t.role === 'leader' ? ' (leader)' : ''}`).join(', ') || '—'}</dd>
          </dl>
          {context.permission_sets.length ? (
            <>
              <h3 style={{ marginTop: 16 }}>Permission sets</h3>
              <ul>
                {context.permission_sets.map((s) => (
                  <li key={s.name}>{s.display_name} {s.expires_at ? <Badge tone="warning">until {formatDateTime(s.expires_at)}</Badge> : null}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
    </>
  );
}
