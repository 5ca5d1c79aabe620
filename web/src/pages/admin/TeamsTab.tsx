// Teams: the tree (parent teams; leaders see everyone below), members with roles, new teams.
import { type FormEvent, useState } from 'react';
import { Badge, EmptyState, ErrorAlert, Field, Loading } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanies } from '../../domains/companies/hooks';
import { useAddTeamMember, useCreateTeam, useRemoveTeamMember, useTeamMembers, useTeams, useUpdateTeam, useUsers } from '../../domains/admin/hooks';

type Team = NonNullable<ReturnType<typeof useTeams>['data']>[number];

function TeamTree({ teams, parent, selected, onSelect, memberCount }: {
  teams: Team[];
  parent: string | null;
  selected: string | null;
  onSelect(id: string): void;
  memberCount(id: string): number;
}) {
  const children = teams.filter((t) => t.parent_team_id === parent);
  if (!children.length) return null;
  return (
    <ul className={parent ? undefined : 'tree'} aria-label={parent ? undefined : 'Teams'}>
      {children.map((t) => (
        <li key={t.id}>
          <button type="button" className="btn btn-ghost btn-sm" aria-pressed={t.id === selected} onClick={() => onSelect(t.id)}
            style={t.id === selected ? { borderColor: 'var(--accent)' } : undefined}>
            {t.display_name}
          </button>{' '}
          <span className="small faint">{memberCount(t.id)} member{memberCount(t.id) === 1 ? '' : 's'}</span>
          {!t.is_active ? <> <Badge tone="danger">inactive</Badge></> : null}
          <TeamTree teams={teams} parent={t.id} selected={selected} onSelect={onSelect} memberCount={memberCount} />
        </li>
      ))}
    </ul>
  );
}

export function TeamsTab() {
  const teams = useTeams();
  const members = useTeamMembers();
  const companies = useCompanies();
  const createTeam = useCreateTeam();
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', display_name: '', parent_team_id: '', company_id: '' });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    createTeam.mutate({
      name: form.name.trim(),
      display_name: form.display_name.trim(),
      parent_team_id: form.parent_team_id || null,
      company_id: form.company_id || null,
    }, { onSuccess: () => setForm({ name: '', display_name: '', parent_team_id: '', company_id: '' }) });
  };
  const memberCount = (id: string) => (members.data ?? []).filter((m) => m.team_id === id).length;

  return (
    <div className="split">
      <div className="stack" style={{ gap: 16 }}>
        <section className="card" aria-labelledby="teams-title">
          <h2 id="teams-title">Team tree</h2>
          <p className="small muted">A leader sees the work of every member of the teams they lead and of all teams below them.</p>
          <ErrorAlert error={teams.error} title="Teams could not be loaded" />
          {teams.isLoading ? <Loading /> : null}
          {teams.data ? <TeamTree teams={teams.data} parent={null} selected={selected} onSelect={setSelected} memberCount={memberCount} /> : null}
        </section>
        <section className="card" aria-labelledby="new-team-title">
          <h2 id="new-team-title">New team</h2>
          <form className="stack" onSubmit={submit}>
            <div className="grid grid-2">
              <Field label="Key" hint="Lower case, e.g. dubai_static">{(id, d) => <input id={id} aria-describedby={d} className="input mono" value={form.name} pattern="[a-z][a-z0-9_]{1,62}" required onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
              <Field label="Display name">{(id) => <input id={id} className="input" value={form.display_name} required onChange={(e) => setForm({ ...form, display_name: e.target.value })} />}</Field>
              <Field label="Parent team">
                {(id) => (
                  <select id={id} className="select" value={form.parent_team_id} onChange={(e) => setForm({ ...form, parent_team_id: e.target.value })}>
                    <option value="">None (top level)</option>
                    {(teams.data ?? []).map((t) => <option key={t.id} value={t.id}>{t.display_name}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Company">
                {(id) => (
                  <select id={id} className="select" value={form.company_id} onChange={(e) => setForm({ ...form, company_id: e.target.value })}>
                    <option value="">None</option>
                    {(companies.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                )}
              </Field>
            </div>
            <ErrorAlert error={createTeam.error} title="The team could not be created" />
            <div><button type="submit" className="btn btn-primary btn-sm" disabled={createTeam.isPending}>Create team</button></div>
          </form>
        </section>
      </div>
      <aside className="card sticky" aria-label="Team details">
        {selected ? <TeamDetail key={selected} teamId={selected} /> : <EmptyState title="Select a team">Choose a team in the tree to see and change its members.</EmptyState>}
      </aside>
    </div>
  );
}

function TeamDetail({ teamId }: { teamId: string }) {
  const teams = useTeams();
  const members = useTeamMembers();
  const users = useUsers();
  const addMember = useAddTeamMember();
  const removeMember = useRemoveTeamMember();
  const updateTeam = useUpdateTeam();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<'member' | 'leader'>('member');
  const team = teams.data?.find((t) => t.id === teamId);
  if (!team) return null;
  const list = (members.data ?? []).filter((m) => m.team_id === teamId);
  const name = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const error = addMember.error ?? removeMember.error ?? updateTeam.error;

  return (
    <div className="stack">
      <h2 style={{ marginBottom: 0 }}>{team.display_name}</h2>
      <span className="small faint mono">{team.name}</span>
      <ErrorAlert error={error} title="The change was refused" />
      <label className="checkbox">
        <input type="checkbox" checked={team.is_active} onChange={(e) => updateTeam.mutate({ id: teamId, patch: { is_active: e.target.checked } })} />
        Active (an inactive team grants no visibility)
      </label>
      <h3>Members</h3>
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 6 }}>
        {list.map((m) => (
          <li key={m.user_id} className="list-row">
            <span>{name(m.user_id)} {m.role === 'leader' ? <Badge tone="info">leader</Badge> : null}</span>
            <span className="row" style={{ gap: 4 }}>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => addMember.mutate({ teamId, userId: m.user_id, role: m.role === 'leader' ? 'member' : 'leader' })}>
                Make {m.role === 'leader' ? 'member' : 'leader'}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${name(m.user_id)} from the team`} onClick={() => removeMember.mutate({ teamId, userId: m.user_id })}><Icon name="trash" /></button>
            </span>
          </li>
        ))}
        {list.length === 0 ? <li className="small muted">No members.</li> : null}
      </ul>
      <form className="stack" aria-label="Add a member" onSubmit={(e) => { e.preventDefault(); if (userId) addMember.mutate({ teamId, userId, role }, { onSuccess: () => setUserId('') }); }}>
        <div className="grid grid-2">
          <Field label="Person">
            {(id) => (
              <select id={id} className="select" value={userId} onChange={(e) => setUserId(e.target.value)}>
                <option value="">Choose…</option>
                {(users.data ?? []).filter((u) => !list.some((m) => m.user_id === u.id)).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
              </select>
            )}
          </Field>
          <Field label="Role">
            {(id) => (
              <select id={id} className="select" value={role} onChange={(e) => setRole(e.target.value as 'member' | 'leader')}>
                <option value="member">Member</option>
                <option value="leader">Leader</option>
              </select>
            )}
          </Field>
        </div>
        <div><button type="submit" className="btn btn-sm" disabled={!userId || addMember.isPending}>Add to team</button></div>
      </form>
    </div>
  );
}
