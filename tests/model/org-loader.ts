// Writes a generated organisation into the stack's database as the superuser (like a seed: the
// API-only guards, e.g. "no already-expired grants", do not apply) and removes it again. Every
// name carries the run's prefix so runs never collide and cleanup touches nothing else.
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Org, OrgCompany, OrgProfile } from './org.ts';

/** Companies of the migrations the generator builds on; their shape is read from the database. */
export const SHIPPED_COMPANIES = ['mmg', 'backlite', 'backlite_dubai', 'backlite_uk', 'backlite_abudhabi', 'viola'];

export interface LoadedOrg {
  prefix: string;
  /** Organisation key → database id or name. */
  userIds: Map<string, string>;
  teamIds: Map<string, string>;
  setIds: Map<string, string>;
  proposalIds: Map<string, string>;
  companySlugs: Map<string, string>;
  profileNames: Map<string, string>;
  /** Database id → proposal key. */
  proposalKeys: Map<string, string>;
  /** `like` pattern matching the client_name of every proposal of the run. */
  proposalPattern: string;
}

/** A prefix unique to this run that is valid in every name column (^[a-z][a-z0-9_]…). */
export const newRunPrefix = (tag = 'mt') => `${tag}_${randomBytes(3).toString('hex')}`;

export async function readShippedCompanies(db: pg.Client): Promise<OrgCompany[]> {
  const { rows } = await db.query<{ slug: string; parent: string | null; is_group: boolean; is_active: boolean }>(
    `select c.slug, p.slug as parent, c.is_group, c.is_active
     from public.companies c left join public.companies p on p.id = c.parent_id
     where c.slug = any ($1) order by c.slug`,
    [SHIPPED_COMPANIES],
  );
  if (rows.length !== SHIPPED_COMPANIES.length) {
    throw new Error(`expected the shipped companies ${SHIPPED_COMPANIES.join(', ')}; found ${rows.map((r) => r.slug).join(', ')}`);
  }
  return rows.map((r) => ({ key: r.slug, parent: r.parent, isGroup: r.is_group, active: r.is_active, existing: true }));
}

export async function readSystemProfiles(db: pg.Client): Promise<OrgProfile[]> {
  const { rows } = await db.query<{ name: string; permissions: string[] }>(
    `select p.name, coalesce(array_agg(pp.permission order by pp.permission) filter (where pp.permission is not null), '{}') as permissions
     from public.profiles p left join public.profile_permissions pp on pp.profile_id = p.id
     where p.is_system group by p.name order by p.name`,
  );
  return rows.map((r) => ({ name: r.name, permissions: r.permissions, existing: true }));
}

const json = (rows: unknown[]) => JSON.stringify(rows);

export async function loadOrg(db: pg.Client, org: Org, prefix: string): Promise<LoadedOrg> {
  const companySlug = new Map(org.companies.map((c) => [c.key, c.existing ? c.key : `${prefix}_${c.key}`]));
  const profileName = new Map(org.profiles.map((p) => [p.name, p.existing ? p.name : `${prefix}_${p.name}`]));
  const userIds = new Map(org.users.map((u) => [u.key, randomUUID()]));
  const teamIds = new Map(org.teams.map((t) => [t.key, randomUUID()]));
  const setIds = new Map(org.permissionSets.map((s) => [s.key, randomUUID()]));
  const proposalIds = new Map(org.proposals.map((p) => [p.key, randomUUID()]));
  const id = (map: Map<string, string>, key: string) => {
    const v = map.get(key);
    if (!v) throw new Error(`organisation refers to unknown key ${key}`);
    return v;
  };

  await db.query('begin');
  try {
    // Parents before children: the company tree trigger checks the parent exists and is a group.
    const depth = (c: OrgCompany): number => (c.parent ? 1 + depth(org.companies.find((x) => x.key === c.parent)!) : 0);
    for (const c of org.companies.filter((x) => !x.existing).sort((a, b) => depth(a) - depth(b))) {
      await db.query(
        `insert into public.companies (slug, name, parent_id, is_group, is_active)
         values ($1, $2, (select id from public.companies where slug = $3), $4, $5)`,
        [companySlug.get(c.key), `Model ${c.key}`, c.parent ? companySlug.get(c.parent) : null, c.isGroup, c.active],
      );
    }

    const customProfiles = org.profiles.filter((p) => !p.existing);
    await db.query(
      `with p as (
         insert into public.profiles (name, display_name)
         select x.name, x.name from json_to_recordset($1::json) as x (name text) returning id, name)
       insert into public.profile_permissions (profile_id, permission)
       select p.id, g.permission from p join json_to_recordset($2::json) as g (name text, permission text) on g.name = p.name`,
      [
        json(customProfiles.map((p) => ({ name: profileName.get(p.name) }))),
        json(customProfiles.flatMap((p) => p.permissions.map((permission) => ({ name: profileName.get(p.name), permission })))),
      ],
    );

    await db.query(
      `insert into public.permission_sets (id, name, display_name, is_active)
       select x.id, x.name, x.name, x.active from json_to_recordset($1::json) as x (id uuid, name text, active boolean)`,
      [json(org.permissionSets.map((s) => ({ id: setIds.get(s.key), name: `${prefix}_${s.key}`, active: s.active })))],
    );
    await db.query(
      `insert into public.permission_set_permissions (set_id, permission)
       select x.set_id, x.permission from json_to_recordset($1::json) as x (set_id uuid, permission text)`,
      [json(org.permissionSets.flatMap((s) => s.permissions.map((permission) => ({ set_id: setIds.get(s.key), permission }))))],
    );

    // No password: the test signs its own JWTs. The auth trigger creates public.users.
    await db.query(
      `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data,
         raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', x.id, 'authenticated', 'authenticated', x.email, now(),
         '{"provider":"email","providers":["email"]}', jsonb_build_object('name', x.name), now(), now()
       from json_to_recordset($1::json) as x (id uuid, email text, name text)`,
      [json(org.users.map((u) => ({ id: userIds.get(u.key), email: `${prefix}.${u.key}@model.test`, name: `${prefix} ${u.key}` })))],
    );
    await db.query(
      `update public.users u set profile_id = p.id, is_active = x.active
       from json_to_recordset($1::json) as x (id uuid, profile text, active boolean)
       join public.profiles p on p.name = x.profile
       where u.id = x.id`,
      [json(org.users.map((u) => ({ id: userIds.get(u.key), profile: profileName.get(u.profile), active: u.active })))],
    );
    await db.query(
      `insert into public.user_companies (user_id, company_id)
       select x.user_id, c.id from json_to_recordset($1::json) as x (user_id uuid, slug text)
       join public.companies c on c.slug = x.slug`,
      [json(org.users.flatMap((u) => u.companies.map((c) => ({ user_id: userIds.get(u.key), slug: companySlug.get(c) }))))],
    );

    await db.query(
      `insert into public.teams (id, name, display_name, parent_team_id, is_active)
       select x.id, x.name, x.name, x.parent, x.active
       from json_to_recordset($1::json) as x (id uuid, name text, parent uuid, active boolean)`,
      [json(org.teams.map((t) => ({
        id: teamIds.get(t.key), name: `${prefix}_${t.key}`, parent: t.parent ? id(teamIds, t.parent) : null, active: t.active,
      })))],
    );
    await db.query(
      `insert into public.team_members (team_id, user_id, role)
       select x.team_id, x.user_id, x.role from json_to_recordset($1::json) as x (team_id uuid, user_id uuid, role text)`,
      [json(org.memberships.map((m) => ({ team_id: id(teamIds, m.team), user_id: id(userIds, m.user), role: m.role })))],
    );
    await db.query(
      `insert into public.user_permission_sets (user_id, set_id, expires_at)
       select x.user_id, x.set_id, now() + make_interval(hours => x.hours)
       from json_to_recordset($1::json) as x (user_id uuid, set_id uuid, hours int)`,
      [json(org.setGrants.map((g) => ({ user_id: id(userIds, g.user), set_id: id(setIds, g.set), hours: g.expiresInHours })))],
    );

    await db.query(
      `insert into public.proposals (id, owner_id, company, client_name)
       select x.id, x.owner_id, x.company, x.client_name
       from json_to_recordset($1::json) as x (id uuid, owner_id uuid, company text, client_name text)`,
      [json(org.proposals.map((p) => ({
        id: proposalIds.get(p.key), owner_id: id(userIds, p.owner), company: companySlug.get(p.company), client_name: `${prefix} ${p.key}`,
      })))],
    );
    await db.query(
      `insert into public.record_shares (record_type, record_id, shared_with_user_id, shared_with_team_id, access, expires_at)
       select 'proposal', x.record_id, x.user_id, x.team_id, x.access::public.share_access, now() + make_interval(hours => x.hours)
       from json_to_recordset($1::json) as x (record_id uuid, user_id uuid, team_id uuid, access text, hours int)`,
      [json(org.shares.map((s) => ({
        record_id: id(proposalIds, s.proposal),
        user_id: s.toUser ? id(userIds, s.toUser) : null,
        team_id: s.toTeam ? id(teamIds, s.toTeam) : null,
        access: s.access,
        hours: s.expiresInHours,
      })))],
    );
    await db.query('commit');
  } catch (e) {
    await db.query('rollback');
    throw e;
  }
  return {
    prefix,
    userIds,
    teamIds,
    setIds,
    proposalIds,
    companySlugs: companySlug,
    profileNames: profileName,
    proposalKeys: new Map([...proposalIds].map(([k, v]) => [v, k])),
    proposalPattern: `${prefix} %`,
  };
}

/** Removes everything a run created, identified by its prefix. Safe to call twice. */
export async function removeOrg(db: pg.Client, prefix: string): Promise<void> {
  const literal = prefix.replace(/_/g, '\\_');
  const like = `${literal}\\_%`;
  const proposals = `${literal} %`;
  await db.query('begin');
  try {
    await db.query(
      `delete from public.record_shares s using public.proposals p
       where s.record_type = 'proposal' and s.record_id = p.id and p.client_name like $1`,
      [proposals],
    );
    await db.query('delete from public.proposals where client_name like $1', [proposals]);
    await db.query(`update public.teams set parent_team_id = null where name like $1 and parent_team_id is not null`, [like]);
    await db.query('delete from public.teams where name like $1', [like]);
    await db.query('delete from auth.users where email like $1', [`${literal}.%@model.test`]);
    await db.query('delete from public.permission_sets where name like $1', [like]);
    await db.query('delete from public.profiles where name like $1 and not is_system', [like]);
    // Leaves before groups (parent_id is on delete restrict).
    for (;;) {
      const { rowCount } = await db.query(
        `delete from public.companies c where c.slug like $1
           and not exists (select 1 from public.companies k where k.parent_id = c.id)`,
        [like],
      );
      if (!rowCount) break;
    }
    await db.query('commit');
  } catch (e) {
    await db.query('rollback');
    throw e;
  }
}
