// Users: list with filters; the selected user's profile, active flag, companies (primary) and
// permission sets with expiry.
import { useMemo, useState } from 'react';
import { Badge, EmptyState, ErrorAlert, Field, Loading } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanies } from '../../domains/companies/hooks';
import {
  useAssignCompany, useAssignPermissionSet, usePermissionSets, useProfiles, useRemovePermissionSet, useSetPrimaryCompany,
  useTeamMembers, useTeams, useUnassignCompany, useUpdateUser, useUserCompanies, useUsers, useUserSets,
} from '../../domains/admin/hooks';
import { useAccess } from '../../domains/session/access';
import { formatDateTime } from '../../lib/format';

export function UsersTab() {
  const users = useUsers();
  const profiles = useProfiles();
  const companies = useCompanies();
  const userCompanies = useUserCompanies();
  const [search, setSearch] = useState('');
  const [company, setCompany] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const profileName = (id: string) => profiles.data?.find((p) => p.id === id)?.display_name ?? '—';
  const companiesOf = (userId: string) => (userCompanies.data ?? []).filter((uc) => uc.user_id === userId)
    .map((uc) => companies.data?.find((c) => c.id === uc.company_id)).filter(Boolean);

  const rows = useMemo(() => (users.data ?? []).filter((u) => {
    const t = search.trim().toLowerCase();
    if (t && !u.name.toLowerCase().includes(t) && !u.email.toLowerCase().includes(t)) return false;
    if (company && !(userCompanies.data ?? []).some((uc) => uc.user_id === u.id && uc.company_id === company)) return false;
    return true;
  }), [users.data, userCompanies.data, search, company]);

  const user = users.data?.find((u) => u.id === selected) ?? null;

  return (
    <div className="split">
      <section className="card" aria-labelledby="users-title">
        <div className="card-title">
          <h2 id="users-title">Users</h2>
          <div className="row">
            <Field label="Search">{(id) => <input id={id} className="input" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or email" />}</Field>
            <Field label="Company">
              {(id) => (
                <select id={id} className="select" value={company} onChange={(e) => setCompany(e.target.value)}>
                  <option value="">All</option>
                  {(companies.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
              )}
            </Field>
          </div>
        </div>
        <ErrorAlert error={users.error} title="Users could not be loaded" onRetry={() => void users.refetch()} />
        {users.isLoading ? <Loading /> : null}
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead><tr><th scope="col">Name</th><th scope="col">Profile</th><th scope="col">Companies</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id} style={u.id === selected ? { background: 'var(--surface-2)' } : undefined}>
                  <td><strong>{u.name}</strong><div className="small faint">{u.email}</div></td>
                  <td>{profileName(u.profile_id)}</td>
                  <td className="small">{companiesOf(u.id).map((c) => c!.name).join(', ') || '—'}</td>
                  <td>{u.is_active ? <Badge tone="success">active</Badge> : <Badge tone="danger">inactive</Badge>}</td>
                  <td><button type="button" className="btn btn-sm" onClick={() => setSelected(u.id)} aria-label={`Manage ${u.name}`}>Manage</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {users.data && rows.length === 0 ? <EmptyState title="No user matches" /> : null}
      </section>
      <aside className="card sticky" aria-labelledby="user-detail-title">
        {user ? <UserDetail key={user.id} userId={user.id} /> : <EmptyState title="Select a user">Choose “Manage” on a user to change their access.</EmptyState>}
      </aside>
    </div>
  );
}

function UserDetail({ userId }: { userId: string }) {
  const { context } = useAccess();
  const users = useUsers();
  const profiles = useProfiles();
  const companies = useCompanies();
  const userCompanies = useUserCompanies();
  const sets = usePermissionSets();
  const userSets = useUserSets();
  const teams = useTeams();
  const members = useTeamMembers();
  const updateUser = useUpdateUser();
  const assignCompany = useAssignCompany();
  const unassignCompany = useUnassignCompany();
  const setPrimary = useSetPrimaryCompany();
  const assignSet = useAssignPermissionSet();
  const removeSet = useRemovePermissionSet();
  const [newCompany, setNewCompany] = useState('');
  const [newSet, setNewSet] = useState('');
  const [expiry, setExpiry] = useState('');

  const user = users.data?.find((u) => u.id === userId);
  if (!user) return null;
  const mine = (userCompanies.data ?? []).filter((uc) => uc.user_id === userId);
  const assignedSets = (userSets.data ?? []).filter((s) => s.user_id === userId);
  const memberships = (members.data ?? []).filter((m) => m.user_id === userId);
  const errors = [updateUser.error, assignCompany.error, unassignCompany.error, setPrimary.error, assignSet.error, removeSet.error].find(Boolean);
  const self = userId === context.user_id;

  return (
    <div className="stack" data-testid="user-detail">
      <div>
        <h2 id="user-detail-title" style={{ marginBottom: 2 }}>{user.name}</h2>
        <span className="small muted">{user.email} · last sign-in {formatDateTime(user.last_login_at)}</span>
      </div>
      <ErrorAlert error={errors} title="The change was refused" />
      <Field label="Profile">
        {(id) => (
          <select id={id} className="select" value={user.profile_id} disabled={updateUser.isPending}
            onChange={(e) => updateUser.mutate({ id: userId, patch: { profile_id: e.target.value } })}>
            {(profiles.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.display_name}</option>)}
          </select>
        )}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={user.is_active} disabled={updateUser.isPending || self}
          onChange={(e) => updateUser.mutate({ id: userId, patch: { is_active: e.target.checked } })} />
        Active {self ? <span className="small faint">(you cannot deactivate yourself)</span> : null}
      </label>

      <h3 style={{ marginTop: 8 }}>Companies</h3>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 6 }}>
        {mine.map((uc) => {
          const c = companies.data?.find((x) => x.id === uc.company_id);
          return (
            <li key={uc.company_id} className="list-row">
              <span>{c?.name ?? uc.company_id} {c?.is_group ? <Badge>group</Badge> : null} {uc.is_primary ? <Badge tone="info">primary</Badge> : null}</span>
              <span className="row" style={{ gap: 4 }}>
                {!uc.is_primary ? <button type="button" className="btn btn-ghost btn-sm" onClick={() => setPrimary.mutate({ userId, companyId: uc.company_id })}>Make primary</button> : null}
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${c?.name ?? 'company'}`} onClick={() => unassignCompany.mutate({ userId, companyId: uc.company_id })}><Icon name="trash" /></button>
              </span>
            </li>
          );
        })}
        {mine.length === 0 ? <li className="small muted">No company: this user sees no inventory.</li> : null}
      </ul>
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (newCompany) assignCompany.mutate({ userId, companyId: newCompany }, { onSuccess: () => setNewCompany('') }); }}>
        <label className="visually-hidden" htmlFor="add-company">Add company</label>
        <select id="add-company" className="select" style={{ flex: 1 }} value={newCompany} onChange={(e) => setNewCompany(e.target.value)}>
          <option value="">Add a company or group…</option>
          {(companies.data ?? []).filter((c) => !mine.some((m) => m.company_id === c.id)).map((c) => <option key={c.id} value={c.id}>{c.name}{c.is_group ? ' (group)' : ''}</option>)}
        </select>
        <button type="submit" className="btn btn-sm" disabled={!newCompany || assignCompany.isPending}>Add</button>
      </form>

      <h3 style={{ marginTop: 8 }}>Permission sets</h3>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 6 }} aria-label="Assigned permission sets">
        {assignedSets.map((a) => {
          const s = sets.data?.find((x) => x.id === a.set_id);
          const expired = a.expires_at !== null && new Date(a.expires_at) <= new Date();
          return (
            <li key={a.set_id} className="list-row">
              <span>
                {s?.display_name ?? a.set_id}{' '}
                {a.expires_at ? <Badge tone={expired ? 'danger' : 'warning'}>{expired ? 'expired' : 'until'} {formatDateTime(a.expires_at)}</Badge> : <Badge>no expiry</Badge>}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${s?.display_name ?? 'set'}`} onClick={() => removeSet.mutate({ userId, setId: a.set_id })}><Icon name="trash" /></button>
            </li>
          );
        })}
        {assignedSets.length === 0 ? <li className="small muted">None.</li> : null}
      </ul>
      <form className="stack" aria-label="Assign a permission set" onSubmit={(e) => {
        e.preventDefault();
        if (!newSet) return;
        assignSet.mutate({ userId, setId: newSet, expiresAt: expiry ? new Date(expiry).toISOString() : null }, { onSuccess: () => { setNewSet(''); setExpiry(''); } });
      }}>
        <div className="grid grid-2">
          <Field label="Permission set">
            {(id) => (
              <select id={id} className="select" value={newSet} onChange={(e) => setNewSet(e.target.value)}>
                <option value="">Choose…</option>
                {(sets.data ?? []).filter((s) => s.is_active).map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
              </select>
            )}
          </Field>
          <Field label="Expires" hint="Empty: no expiry">
            {(id, d) => <input id={id} aria-describedby={d} className="input" type="datetime-local" value={expiry} onChange={(e) => setExpiry(e.target.value)} />}
          </Field>
        </div>
        <div><button type="submit" className="btn btn-sm" disabled={!newSet || assignSet.isPending}>Assign set</button></div>
      </form>

      <h3 style={{ marginTop: 8 }}>Teams</h3>
      <p className="small muted">
        {memberships.map((m) => `${teams.data?.find((t) => t.id === m.team_id)?.display_name ?? 'team'}${m.role === 'leader' ? ' (leader)' : ''}`).join(', ') || 'No team.'}
        {' '}Manage memberships in the Teams tab.
      </p>
    </div>
  );
}
