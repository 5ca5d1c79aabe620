// Invites: an administrator invites an email address with a profile, companies, teams and
// permission sets; the one-time code is shown once. Pending invites can be revoked.
import { type FormEvent, useState } from 'react';
import { Alert, Badge, EmptyState, ErrorAlert, Field, Loading } from '../../components/ui';
import { useCompanies } from '../../domains/companies/hooks';
import { type CreatedInvite, useCreateInvite, useInvites, usePermissionSets, useProfiles, useRevokeInvite, useTeams } from '../../domains/admin/hooks';
import { formatDateTime } from '../../lib/format';

function status(i: { used_at: string | null; revoked_at: string | null; expires_at: string }): ['used' | 'revoked' | 'expired' | 'pending', 'success' | 'danger' | 'warning' | 'info'] {
  if (i.used_at) return ['used', 'success'];
  if (i.revoked_at) return ['revoked', 'danger'];
  if (new Date(i.expires_at) <= new Date()) return ['expired', 'warning'];
  return ['pending', 'info'];
}

export function InvitesTab() {
  const invites = useInvites();
  const profiles = useProfiles();
  const companies = useCompanies();
  const teams = useTeams();
  const sets = usePermissionSets();
  const create = useCreateInvite();
  const revoke = useRevokeInvite();
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [copied, setCopied] = useState(false);
  const [form, setForm] = useState({
    email: '', profile: 'sales_user', companies: [] as string[], team: '', teamRole: 'member' as 'member' | 'leader', sets: [] as string[], days: '7',
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCopied(false);
    create.mutate({
      email: form.email.trim(),
      profile: form.profile,
      companies: form.companies,
      teams: form.team ? [{ team: form.team, role: form.teamRole }] : [],
      permission_sets: form.sets,
      expires_in_days: Number(form.days),
    }, {
      onSuccess: (inv) => {
        setCreated(inv);
        setForm((f) => ({ ...f, email: '' }));
      },
    });
  };
  const link = created ? `${window.location.origin}/invite?token=${encodeURIComponent(created.token)}` : '';
  const profileName = (id: string) => profiles.data?.find((p) => p.id === id)?.display_name ?? '—';

  return (
    <div className="split">
      <section className="card" aria-labelledby="invites-title">
        <h2 id="invites-title">Invitations</h2>
        <ErrorAlert error={invites.error} title="Invites could not be loaded" />
        <ErrorAlert error={revoke.error} title="The invite could not be revoked" />
        {invites.isLoading ? <Loading /> : null}
        {invites.data && invites.data.length === 0 ? <EmptyState title="No invitations yet" /> : null}
        {invites.data && invites.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="invites-table">
              <thead><tr><th scope="col">Email</th><th scope="col">Profile</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {invites.data.map((i) => {
                  const [label, tone] = status(i);
                  return (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{profileName(i.profile_id)}</td>
                      <td className="small">{formatDateTime(i.expires_at)}</td>
                      <td><Badge tone={tone}>{label}</Badge></td>
                      <td>{label === 'pending' ? <button type="button" className="btn btn-sm" onClick={() => revoke.mutate(i.id)} aria-label={`Revoke the invite of ${i.email}`}>Revoke</button> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <aside className="card sticky" aria-labelledby="new-invite-title">
        <h2 id="new-invite-title">Invite someone</h2>
        <form className="stack" onSubmit={submit}>
          <Field label="Email">{(id) => <input id={id} className="input" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}</Field>
          <div className="grid grid-2">
            <Field label="Profile">
              {(id) => (
                <select id={id} className="select" value={form.profile} onChange={(e) => setForm({ ...form, profile: e.target.value })}>
                  {(profiles.data ?? []).map((p) => <option key={p.id} value={p.name}>{p.display_name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Valid for (days)">{(id) => <input id={id} className="input" type="number" min={1} max={30} required value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />}</Field>
          </div>
          <Field label="Companies" hint="A group gives every company below it">
            {(id, d) => (
              <select id={id} aria-describedby={d} className="select" multiple size={5} value={form.companies}
                onChange={(e) => setForm({ ...form, companies: Array.from(e.target.selectedOptions).map((o) => o.value) })}>
                {(companies.data ?? []).map((c) => <option key={c.id} value={c.slug}>{c.name}{c.is_group ? ' (group)' : ''}</option>)}
              </select>
            )}
          </Field>
          <div className="grid grid-2">
            <Field label="Team">
              {(id) => (
                <select id={id} className="select" value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })}>
                  <option value="">None</option>
                  {(teams.data ?? []).map((t) => <option key={t.id} value={t.name}>{t.display_name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Team role">
              {(id) => (
                <select id={id} className="select" value={form.teamRole} disabled={!form.team} onChange={(e) => setForm({ ...form, teamRole: e.target.value as 'member' | 'leader' })}>
                  <option value="member">Member</option>
                  <option value="leader">Leader</option>
                </select>
              )}
            </Field>
          </div>
          <Field label="Permission sets">
            {(id) => (
              <select id={id} className="select" multiple size={4} value={form.sets}
                onChange={(e) => setForm({ ...form, sets: Array.from(e.target.selectedOptions).map((o) => o.value) })}>
                {(sets.data ?? []).filter((s) => s.is_active).map((s) => <option key={s.id} value={s.name}>{s.display_name}</option>)}
              </select>
            )}
          </Field>
          <ErrorAlert error={create.error} title="The invite could not be created" />
          <div><button type="submit" className="btn btn-primary btn-sm" disabled={create.isPending}>Create invite</button></div>
        </form>
        {created ? (
          <Alert tone="success" title={`Invite for ${created.email} created`}>
            <p className="small">Send this link; it is shown only once and works until {formatDateTime(created.expires_at)}.</p>
            <input className="input mono small" readOnly value={link} aria-label="Invitation link" data-testid="invite-link" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn btn-sm" style={{ marginTop: 8 }} onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}>
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </Alert>
        ) : null}
      </aside>
    </div>
  );
}
