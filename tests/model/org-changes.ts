// Random changes to a loaded organisation, applied both to the organisation (what the reference
// model reads) and to the database (what RLS reads). Visibility is resolved ahead of time into a
// trigger-maintained table, so a check after changes is what proves those triggers keep up:
// teams deactivated or moved, roles changed, users deactivated, profiles and sets edited, grants
// re-dated, companies switched off, shares and proposals reassigned.
import type pg from 'pg';
import type { Expiry, Org, ShareAccess, TeamRole } from './org.ts';
import type { LoadedOrg } from './org-loader.ts';
import { Rng } from './prng.ts';

interface Change {
  text: string;
  sql: string;
  params: unknown[];
}

type ChangeMaker = (rng: Rng, org: Org, ids: LoadedOrg) => Change | null;

const get = (map: Map<string, string>, key: string) => {
  const v = map.get(key);
  if (v === undefined) throw new Error(`no id for ${key}`);
  return v;
};
const newExpiry = (rng: Rng): Expiry => rng.pick([null, -rng.int(2, 500), rng.int(2, 500)]);
const expiresAt = 'now() + make_interval(hours => $2::int)';
const PERMISSIONS = ['sales:proposals:manage', 'sales:*:*', 'sales:proposals:read', 'sales:proposals:delete', '*:*:*', 'core:system:admin'];

function subtree(org: Org, team: string): Set<string> {
  const out = new Set([team]);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of org.teams) {
      if (t.parent && out.has(t.parent) && !out.has(t.key)) {
        out.add(t.key);
        grew = true;
      }
    }
  }
  return out;
}

const MAKERS: readonly (readonly [ChangeMaker, number])[] = [
  [(rng, org, ids) => {
    if (!org.teams.length) return null;
    const t = rng.pick(org.teams);
    t.active = !t.active;
    return { text: `team ${t.key} ${t.active ? 'reactivated' : 'deactivated'}`, sql: 'update public.teams set is_active = $2 where id = $1', params: [get(ids.teamIds, t.key), t.active] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.teams.length) return null;
    const t = rng.pick(org.teams);
    const below = subtree(org, t.key);
    const candidates = org.teams.filter((x) => !below.has(x.key));
    const parent = !candidates.length || rng.chance(0.2) ? null : rng.pick(candidates).key;
    if (parent === t.parent) return null;
    t.parent = parent;
    return { text: `team ${t.key} moved under ${parent ?? 'no parent'}`, sql: 'update public.teams set parent_team_id = $2 where id = $1', params: [get(ids.teamIds, t.key), parent ? get(ids.teamIds, parent) : null] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.memberships.length) return null;
    const m = rng.pick(org.memberships);
    m.role = m.role === 'leader' ? 'member' : 'leader';
    return { text: `${m.user} is now ${m.role} of ${m.team}`, sql: 'update public.team_members set role = $3 where team_id = $1 and user_id = $2', params: [get(ids.teamIds, m.team), get(ids.userIds, m.user), m.role] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.memberships.length) return null;
    const m = rng.pick(org.memberships);
    org.memberships.splice(org.memberships.indexOf(m), 1);
    return { text: `${m.user} left ${m.team}`, sql: 'delete from public.team_members where team_id = $1 and user_id = $2', params: [get(ids.teamIds, m.team), get(ids.userIds, m.user)] };
  }, 2],
  [(rng, org, ids) => {
    if (!org.teams.length) return null;
    const team = rng.pick(org.teams).key;
    const user = rng.pick(org.users).key;
    if (org.memberships.some((m) => m.team === team && m.user === user)) return null;
    const role: TeamRole = rng.chance(0.4) ? 'leader' : 'member';
    org.memberships.push({ team, user, role });
    return { text: `${user} joined ${team} as ${role}`, sql: 'insert into public.team_members (team_id, user_id, role) values ($1, $2, $3)', params: [get(ids.teamIds, team), get(ids.userIds, user), role] };
  }, 3],
  [(rng, org, ids) => {
    const u = rng.pick(org.users);
    u.active = !u.active;
    return { text: `user ${u.key} ${u.active ? 'reactivated' : 'deactivated'}`, sql: 'update public.users set is_active = $2 where id = $1', params: [get(ids.userIds, u.key), u.active] };
  }, 2],
  [(rng, org, ids) => {
    const u = rng.pick(org.users);
    const profile = rng.pick(org.profiles).name;
    if (profile === u.profile) return null;
    u.profile = profile;
    return { text: `user ${u.key} now has profile ${profile}`, sql: 'update public.users set profile_id = (select id from public.profiles where name = $2) where id = $1', params: [get(ids.userIds, u.key), get(ids.profileNames, profile)] };
  }, 2],
  [(rng, org, ids) => {
    if (!org.setGrants.length) return null;
    const g = rng.pick(org.setGrants);
    g.expiresInHours = newExpiry(rng);
    return { text: `${g.user}'s set ${g.set} now ${g.expiresInHours === null ? 'never expires' : `expires at ${g.expiresInHours} h`}`, sql: `update public.user_permission_sets set expires_at = ${expiresAt} where user_id = $1 and set_id = $3`, params: [get(ids.userIds, g.user), g.expiresInHours, get(ids.setIds, g.set)] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.setGrants.length) return null;
    const g = rng.pick(org.setGrants);
    org.setGrants.splice(org.setGrants.indexOf(g), 1);
    return { text: `${g.user} lost set ${g.set}`, sql: 'delete from public.user_permission_sets where user_id = $1 and set_id = $2', params: [get(ids.userIds, g.user), get(ids.setIds, g.set)] };
  }, 2],
  [(rng, org, ids) => {
    if (!org.permissionSets.length) return null;
    const user = rng.pick(org.users).key;
    const set = rng.pick(org.permissionSets).key;
    if (org.setGrants.some((g) => g.user === user && g.set === set)) return null;
    const expiresInHours = newExpiry(rng);
    org.setGrants.push({ user, set, expiresInHours });
    return { text: `${user} got set ${set} (expiry ${expiresInHours ?? 'none'})`, sql: `insert into public.user_permission_sets (user_id, expires_at, set_id) values ($1, ${expiresAt}, $3)`, params: [get(ids.userIds, user), expiresInHours, get(ids.setIds, set)] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.permissionSets.length) return null;
    const s = rng.pick(org.permissionSets);
    s.active = !s.active;
    return { text: `set ${s.key} ${s.active ? 'reactivated' : 'deactivated'}`, sql: 'update public.permission_sets set is_active = $2 where id = $1', params: [get(ids.setIds, s.key), s.active] };
  }, 2],
  [(rng, org, ids) => {
    if (!org.permissionSets.length) return null;
    const s = rng.pick(org.permissionSets);
    const permission = rng.pick(PERMISSIONS);
    if (s.permissions.includes(permission)) {
      s.permissions = s.permissions.filter((p) => p !== permission);
      return { text: `set ${s.key} lost ${permission}`, sql: 'delete from public.permission_set_permissions where set_id = $1 and permission = $2', params: [get(ids.setIds, s.key), permission] };
    }
    s.permissions.push(permission);
    return { text: `set ${s.key} gained ${permission}`, sql: 'insert into public.permission_set_permissions (set_id, permission) values ($1, $2)', params: [get(ids.setIds, s.key), permission] };
  }, 3],
  [(rng, org, ids) => {
    // Only the run's own profiles: the shipped ones belong to everybody on the stack.
    const custom = org.profiles.filter((p) => !p.existing);
    if (!custom.length) return null;
    const p = rng.pick(custom);
    const permission = rng.pick(PERMISSIONS);
    const name = get(ids.profileNames, p.name);
    if (p.permissions.includes(permission)) {
      p.permissions = p.permissions.filter((x) => x !== permission);
      return { text: `profile ${p.name} lost ${permission}`, sql: 'delete from public.profile_permissions where profile_id = (select id from public.profiles where name = $1) and permission = $2', params: [name, permission] };
    }
    p.permissions.push(permission);
    return { text: `profile ${p.name} gained ${permission}`, sql: 'insert into public.profile_permissions (profile_id, permission) select id, $2 from public.profiles where name = $1', params: [name, permission] };
  }, 2],
  [(rng, org, ids) => {
    const own = org.companies.filter((c) => !c.existing);
    if (!own.length) return null;
    const c = rng.pick(own);
    c.active = !c.active;
    return { text: `company ${c.key} ${c.active ? 'reactivated' : 'deactivated'}`, sql: 'update public.companies set is_active = $2 where slug = $1', params: [get(ids.companySlugs, c.key), c.active] };
  }, 2],
  [(rng, org, ids) => {
    const leaves = org.companies.filter((c) => !c.existing && !c.isGroup);
    const groups = org.companies.filter((c) => !c.existing && c.isGroup);
    if (!leaves.length || !groups.length) return null;
    const c = rng.pick(leaves);
    const parent = rng.pick(groups).key;
    if (parent === c.parent) return null;
    c.parent = parent;
    return { text: `company ${c.key} moved under ${parent}`, sql: 'update public.companies set parent_id = (select id from public.companies where slug = $2) where slug = $1', params: [get(ids.companySlugs, c.key), get(ids.companySlugs, parent)] };
  }, 1],
  [(rng, org, ids) => {
    const u = rng.pick(org.users);
    const company = rng.pick(org.companies).key;
    const slug = get(ids.companySlugs, company);
    if (u.companies.includes(company)) {
      u.companies = u.companies.filter((c) => c !== company);
      return { text: `${u.key} unassigned from ${company}`, sql: 'delete from public.user_companies where user_id = $1 and company_id = (select id from public.companies where slug = $2)', params: [get(ids.userIds, u.key), slug] };
    }
    u.companies.push(company);
    return { text: `${u.key} assigned to ${company}`, sql: 'insert into public.user_companies (user_id, company_id) select $1, id from public.companies where slug = $2', params: [get(ids.userIds, u.key), slug] };
  }, 3],
  [(rng, org, ids) => {
    if (!org.shares.length) return null;
    const s = rng.pick(org.shares);
    s.access = rng.pick<ShareAccess>(['read', 'read_write', 'full']);
    s.expiresInHours = newExpiry(rng);
    return {
      text: `share of ${s.proposal} to ${s.toUser ?? s.toTeam} now ${s.access}, expiry ${s.expiresInHours ?? 'none'}`,
      sql: `update public.record_shares set access = $3::public.share_access, expires_at = ${expiresAt}
            where record_id = $1 and coalesce(shared_with_user_id, shared_with_team_id) = $4`,
      params: [get(ids.proposalIds, s.proposal), s.expiresInHours, s.access, s.toUser ? get(ids.userIds, s.toUser) : get(ids.teamIds, s.toTeam!)],
    };
  }, 2],
  [(rng, org, ids) => {
    if (!org.proposals.length) return null;
    const p = rng.pick(org.proposals);
    p.owner = rng.pick(org.users).key;
    return { text: `${p.key} now owned by ${p.owner}`, sql: 'update public.proposals set owner_id = $2 where id = $1', params: [get(ids.proposalIds, p.key), get(ids.userIds, p.owner)] };
  }, 2],
];

/**
 * Applies `count` random changes in one transaction and returns what they were. `org` is
 * updated in place to match. Expects an organisation with users, teams and proposals.
 */
export async function applyRandomChanges(db: pg.Client, org: Org, ids: LoadedOrg, seed: number, count: number): Promise<string[]> {
  const rng = new Rng(seed);
  const done: string[] = [];
  await db.query('begin');
  try {
    while (done.length < count) {
      const change = rng.weighted(MAKERS)(rng, org, ids);
      if (!change) continue;
      await db.query(change.sql, change.params);
      done.push(change.text);
    }
    await db.query('commit');
  } catch (e) {
    await db.query('rollback');
    throw e;
  }
  return done;
}
