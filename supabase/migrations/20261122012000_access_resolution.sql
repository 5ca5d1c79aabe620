/*
 * Access resolution: what a user may do, computed in Postgres from the RBAC tables. This
 * replaces the original's gateway-resolved "trusted header" bundle.
 *
 *   effective permissions = profile grants ∪ grants of assigned sets that are active and
 *                           unexpired (expires_at > now(), evaluated at query time)
 *   companies             = every active company/group below each assignment (active
 *                           groups expand to their leaves); admins: every company
 *   visible owners        = the user + every member of each active team the user leads and of
 *                           all active teams below it, any depth (the walk stops at an
 *                           inactive team)
 *   admin                 = holds core:system:admin (so *:*:* and core:*:* count too)
 * An inactive user has none of it.
 *
 * Policies need these answers on every statement, so they are resolved ahead of time into
 * private.user_access, one row per user, refreshed by triggers on every RBAC table in the
 * same transaction as the change. What depends on the clock stays out of the cache: grants
 * keep their expiry next to them and admin status (which may come from an expiring set) is
 * checked at read time. Reading a user's context is then one primary-key lookup.
 *
 * Two layers of functions: those taking an explicit user (_user uuid) — e.g.
 * private.effective_permissions(user), private.accessible_companies(user),
 * private.visible_owner_ids(user), private.leads_user(leader, member) — are only callable by
 * other security-definer code; the argument-free helpers answer for the caller and are what
 * policies call, wrapped so Postgres evaluates them once per statement. Helpers that run
 * queries are PL/pgSQL so their plans are cached for the session.
 */

create table private.user_access (
  user_id uuid primary key references public.users (id) on delete cascade,
  grants text[] not null default '{}',
  expiring_grants text[] not null default '{}',
  expiring_until timestamptz[] not null default '{}',
  company_closure text[] not null default '{}',
  leaf_companies text[] not null default '{}',
  team_ids uuid[] not null default '{}',
  visible_owner_ids uuid[] not null default '{}',
  refreshed_at timestamptz not null default now(),
  check (cardinality(expiring_grants) = cardinality(expiring_until))
) with (fillfactor = 50);
comment on table private.user_access is
  'Resolved access of each user, maintained by triggers on the RBAC tables. Empty for inactive users.';
comment on column private.user_access.user_id is 'The user.';
comment on column private.user_access.refreshed_at is 'When the row was last recomputed.';
comment on column private.user_access.grants is 'Granted permission patterns with no expiry (profile, sets without expiry).';
comment on column private.user_access.expiring_grants is 'Patterns that only come from sets with an expiry…';
comment on column private.user_access.expiring_until is '…and, at the same index, the latest expiry among their sources.';
comment on column private.user_access.company_closure is 'Active companies and groups reachable from the user''s assignments (admins are expanded at read time).';
comment on column private.user_access.leaf_companies is 'Leaf companies among company_closure.';
comment on column private.user_access.team_ids is 'Active teams the user is a member of, any role (for team shares).';
comment on column private.user_access.visible_owner_ids is 'The user and every member of the active teams they lead, down the tree.';

-- ---------------------------------------------------------------------------------------------
-- Resolution

create or replace function private.refresh_user_access(_users uuid[])
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  -- Rows are rewritten only when something changed, in place (HOT, thanks to the low
  -- fillfactor), so the table does not fill with dead versions between vacuums.
  delete from private.user_access a
  where a.user_id = any (_users)
    and not exists (select 1 from public.users u where u.id = a.user_id and u.is_active);

  insert into private.user_access
    (user_id, grants, expiring_grants, expiring_until, company_closure, leaf_companies, team_ids, visible_owner_ids)
  select
    u.id,
    coalesce(g.grants, '{}'),
    coalesce(g.expiring_grants, '{}'),
    coalesce(g.expiring_until, '{}'),
    coalesce(c.closure, '{}'),
    coalesce(c.leaves, '{}'),
    array(
      select tm.team_id
      from public.team_members tm
      join public.teams t on t.id = tm.team_id and t.is_active
      where tm.user_id = u.id
      order by tm.team_id),
    array(
      with recursive led as (
        select tm.team_id
        from public.team_members tm
        join public.teams t on t.id = tm.team_id and t.is_active
        where tm.user_id = u.id and tm.role = 'leader'
        union
        select t.id
        from public.teams t
        join led on t.parent_team_id = led.team_id
        where t.is_active
      )
      select u.id
      union
      select tm.user_id from public.team_members tm join led on led.team_id = tm.team_id
      order by 1)
  from public.users u
  left join lateral (
    select array_agg(x.permission order by x.permission) filter (where x.expires_at is null) as grants,
           array_agg(x.permission order by x.permission) filter (where x.expires_at is not null) as expiring_grants,
           array_agg(x.expires_at order by x.permission) filter (where x.expires_at is not null) as expiring_until
    from (
      select src.permission,
             case when bool_or(src.expires_at is null) then null else max(src.expires_at) end as expires_at
      from (
        select pp.permission, null::timestamptz as expires_at
        from public.profile_permissions pp
        where pp.profile_id = u.profile_id
        union all
        select sp.permission, ups.expires_at
        from public.user_permission_sets ups
        join public.permission_sets ps on ps.id = ups.set_id and ps.is_active
        join public.permission_set_permissions sp on sp.set_id = ps.id
        where ups.user_id = u.id
      ) src
      group by src.permission
    ) x
  ) g on true
  left join lateral (
    with recursive reachable as (
      select co.id, co.slug, co.is_group
      from public.user_companies uc
      join public.companies co on co.id = uc.company_id and co.is_active
      where uc.user_id = u.id
      union
      select co.id, co.slug, co.is_group
      from public.companies co
      join reachable r on co.parent_id = r.id
      where co.is_active
    )
    select array_agg(distinct r.slug order by r.slug) as closure,
           array_agg(distinct r.slug order by r.slug) filter (where not r.is_group) as leaves
    from reachable r
  ) c on true
  where u.id = any (_users) and u.is_active
  on conflict (user_id) do update
    set grants = excluded.grants,
        expiring_grants = excluded.expiring_grants,
        expiring_until = excluded.expiring_until,
        company_closure = excluded.company_closure,
        leaf_companies = excluded.leaf_companies,
        team_ids = excluded.team_ids,
        visible_owner_ids = excluded.visible_owner_ids,
        refreshed_at = excluded.refreshed_at
    where (user_access.grants, user_access.expiring_grants, user_access.expiring_until,
           user_access.company_closure, user_access.leaf_companies, user_access.team_ids,
           user_access.visible_owner_ids)
          is distinct from
          (excluded.grants, excluded.expiring_grants, excluded.expiring_until,
           excluded.company_closure, excluded.leaf_companies, excluded.team_ids,
           excluded.visible_owner_ids);
end
$$;
comment on function private.refresh_user_access(uuid[]) is
  'Recomputes private.user_access for the given users from the RBAC tables.';

create or replace function private.team_leaders_above(_team_ids uuid[])
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return array(
    with recursive up as (
      select t.id, t.parent_team_id from public.teams t where t.id = any (_team_ids)
      union
      select t.id, t.parent_team_id from public.teams t join up on t.id = up.parent_team_id
    )
    select distinct tm.user_id
    from public.team_members tm
    join up on up.id = tm.team_id
    where tm.role = 'leader');
end
$$;
comment on function private.team_leaders_above(uuid[]) is
  'Leaders of the given teams and of all their ancestors: whose visibility a team change affects.';

create or replace function private.refresh_access_on_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _users uuid[];
begin
  case tg_table_name
    when 'users' then
      _users := array[coalesce(new.id, old.id)];
    when 'user_permission_sets', 'user_companies' then
      _users := array[coalesce(new.user_id, old.user_id)]
             || case when tg_op = 'UPDATE' then array[old.user_id] else '{}'::uuid[] end;
    when 'profile_permissions' then
      _users := array(select u.id from public.users u
                      where u.profile_id in (coalesce(new.profile_id, old.profile_id),
                                             case when tg_op = 'UPDATE' then old.profile_id end));
    when 'permission_set_permissions' then
      _users := array(select ups.user_id from public.user_permission_sets ups
                      where ups.set_id in (coalesce(new.set_id, old.set_id),
                                           case when tg_op = 'UPDATE' then old.set_id end));
    when 'permission_sets' then
      _users := array(select ups.user_id from public.user_permission_sets ups
                      where ups.set_id = coalesce(new.id, old.id));
    when 'team_members' then
      _users := array[coalesce(new.user_id, old.user_id)]
             || case when tg_op = 'UPDATE' then array[old.user_id] else '{}'::uuid[] end
             || private.team_leaders_above(array[coalesce(new.team_id, old.team_id), old.team_id]);
    when 'teams' then
      _users := private.team_leaders_above(array[coalesce(new.id, old.id), new.parent_team_id, old.parent_team_id])
             || array(select tm.user_id from public.team_members tm where tm.team_id = coalesce(new.id, old.id));
  end case;
  if cardinality(_users) > 0 then
    perform private.refresh_user_access(_users);
  end if;
  return null;
end
$$;
comment on function private.refresh_access_on_change() is
  'Trigger: refreshes the resolved access of every user an RBAC change touches.';

create or replace function private.refresh_access_on_company_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Companies change rarely and a move in the tree reaches everyone assigned above it.
  perform private.refresh_user_access(array(select distinct user_id from public.user_companies));
  return null;
end
$$;
comment on function private.refresh_access_on_company_change() is
  'Statement trigger: a change to the company tree refreshes everyone with company assignments.';

create trigger users_refresh_access
  after insert or update of profile_id, is_active on public.users
  for each row execute function private.refresh_access_on_change();
create trigger user_permission_sets_refresh_access
  after insert or update or delete on public.user_permission_sets
  for each row execute function private.refresh_access_on_change();
create trigger profile_permissions_refresh_access
  after insert or update or delete on public.profile_permissions
  for each row execute function private.refresh_access_on_change();
create trigger permission_set_permissions_refresh_access
  after insert or update or delete on public.permission_set_permissions
  for each row execute function private.refresh_access_on_change();
create trigger permission_sets_refresh_access
  after update of is_active on public.permission_sets
  for each row execute function private.refresh_access_on_change();
create trigger user_companies_refresh_access
  after insert or update or delete on public.user_companies
  for each row execute function private.refresh_access_on_change();
create trigger team_members_refresh_access
  after insert or update or delete on public.team_members
  for each row execute function private.refresh_access_on_change();
create trigger teams_refresh_access
  after update of parent_team_id, is_active or delete on public.teams
  for each row execute function private.refresh_access_on_change();
create trigger companies_refresh_access
  after insert or update or delete on public.companies
  for each statement execute function private.refresh_access_on_company_change();

select private.refresh_user_access(array(select id from public.users));

-- ---------------------------------------------------------------------------------------------
-- Permissions

create or replace function private.user_has_permission(_user uuid, _wanted text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  -- permission_matches(g, w) is g = any(permission_candidates(w)): with the candidates in
  -- hand, the check is one primary-key read and an array overlap.
  _candidates text[] := private.permission_candidates(_wanted);
  _row record;
begin
  select a.grants, a.expiring_grants, a.expiring_until into _row
  from private.user_access a where a.user_id = _user;
  if not found then
    return false;
  end if;
  if _row.grants && _candidates then
    return true;
  end if;
  if _row.expiring_grants && _candidates then
    for i in 1 .. cardinality(_row.expiring_grants) loop
      if _row.expiring_grants[i] = any (_candidates) and _row.expiring_until[i] > pg_catalog.now() then
        return true;
      end if;
    end loop;
  end if;
  return false;
end
$$;
comment on function private.user_has_permission(uuid, text) is
  'True when the user is active and a profile or live permission-set grant covers the permission.';

create or replace function private.effective_permissions(_user uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select array(
      select p from unnest(a.grants) as p
      union
      select e.p from unnest(a.expiring_grants, a.expiring_until) as e (p, until)
      where e.until > pg_catalog.now()
      order by 1)
    from private.user_access a
    where a.user_id = _user), '{}')
$$;
comment on function private.effective_permissions(uuid) is
  'Effective grants (patterns as granted, e.g. sales:*:*) of an active user: profile ∪ live sets.';

create or replace function private.user_is_admin(_user uuid)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_has_permission(_user, 'core:system:admin');
end
$$;
comment on function private.user_is_admin(uuid) is 'Holds core:system:admin (directly or via *:*:*, core:*:*).';

create or replace function private.has_permission(_permission text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_has_permission(auth.uid(), _permission);
end
$$;
comment on function private.has_permission(text) is
  'Policy helper: the caller holds the permission. Wrap in (select …) inside policies.';
grant execute on function private.has_permission(text) to authenticated, service_role;

create or replace function private.is_admin()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_has_permission(auth.uid(), 'core:system:admin');
end
$$;
comment on function private.is_admin() is 'Policy helper: the caller is an administrator.';
grant execute on function private.is_admin() to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Companies

create or replace function private.user_company_closure(_user uuid)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.user_is_admin(_user) then
    return array(select slug from public.companies order by slug);
  end if;
  return coalesce((select company_closure from private.user_access where user_id = _user), '{}');
end
$$;
comment on function private.user_company_closure(uuid) is
  'Slugs of every active company and group the user can act for: assignments plus everything '
  'below them. Admins: every company, active or not.';

create or replace function private.accessible_companies(_user uuid)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.user_is_admin(_user) then
    return array(select slug from public.companies where not is_group order by slug);
  end if;
  return coalesce((select leaf_companies from private.user_access where user_id = _user), '{}');
end
$$;
comment on function private.accessible_companies(uuid) is
  'Leaf company slugs the user can access (group assignments expanded; admins: all).';

create or replace function private.my_company_closure()
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_company_closure(auth.uid());
end
$$;
comment on function private.my_company_closure() is
  'Policy helper: slugs of the companies and groups the caller can act for.';
grant execute on function private.my_company_closure() to authenticated, service_role;

create or replace function private.accessible_companies()
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.accessible_companies(auth.uid());
end
$$;
comment on function private.accessible_companies() is 'Policy helper: leaf company slugs of the caller.';
grant execute on function private.accessible_companies() to authenticated, service_role;

create or replace function private.companies_with_permission(_permission text)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.user_has_permission(auth.uid(), _permission) then
    return private.accessible_companies(auth.uid());
  end if;
  return '{}';
end
$$;
comment on function private.companies_with_permission(text) is
  'Policy helper: the caller''s leaf companies if the caller holds the permission, else none.';
grant execute on function private.companies_with_permission(text) to authenticated, service_role;

create or replace function private.company_permits(_company text, _permissions text[])
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _permission text;
begin
  if _company is null or not (_company = any (private.user_company_closure(auth.uid()))) then
    return false;
  end if;
  foreach _permission in array _permissions loop
    if private.user_has_permission(auth.uid(), _permission) then
      return true;
    end if;
  end loop;
  return false;
end
$$;
comment on function private.company_permits(text, text[]) is
  'Policy helper: the caller can access the company and holds at least one of the permissions.';
grant execute on function private.company_permits(text, text[]) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Teams

create or replace function private.user_team_ids(_user uuid)
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce((select team_ids from private.user_access where user_id = _user), '{}');
end
$$;
comment on function private.user_team_ids(uuid) is 'Active teams the active user belongs to, any role.';

create or replace function private.my_team_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_team_ids(auth.uid());
end
$$;
comment on function private.my_team_ids() is 'Policy helper: active teams of the caller.';
grant execute on function private.my_team_ids() to authenticated, service_role;

create or replace function private.visible_owner_ids(_user uuid)
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce((select visible_owner_ids from private.user_access where user_id = _user), '{}');
end
$$;
comment on function private.visible_owner_ids(uuid) is
  'Owners whose records the user sees through ownership or team leadership: the user and every '
  'member of the teams the user leads, down the whole tree.';

create or replace function private.visible_owner_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce((select visible_owner_ids from private.user_access where user_id = auth.uid()), '{}');
end
$$;
comment on function private.visible_owner_ids() is
  'Policy helper: owners whose records the caller sees by ownership or leadership. Use as '
  'owner_id in (select unnest((select private.visible_owner_ids()))): evaluated once per '
  'statement and probed through a hash.';
grant execute on function private.visible_owner_ids() to authenticated, service_role;

create or replace function private.leads_user(_leader uuid, _member uuid)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return _leader <> _member and _member = any (private.visible_owner_ids(_leader));
end
$$;
comment on function private.leads_user(uuid, uuid) is
  'True when the leader leads a team containing the member, or any ancestor of such a team.';

-- ---------------------------------------------------------------------------------------------
-- Public API

create or replace function public.has_permission(permission text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if permission is null or not private.is_permission_pattern(permission) then
    perform private.assert_permission_pattern(permission);
  end if;
  return private.user_has_permission(auth.uid(), permission);
end
$$;
comment on function public.has_permission(text) is
  'Does the signed-in user hold this permission (module:resource:action)? Wildcards in the '
  'grant match; a * in the argument is only covered by a * grant. Malformed strings raise 22023.';
revoke execute on function public.has_permission(text) from public, anon;
grant execute on function public.has_permission(text) to authenticated, service_role;

create or replace function public.has_company_access(company text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(company = any (private.user_company_closure(auth.uid())), false);
end
$$;
comment on function public.has_company_access(text) is
  'Can the signed-in user act for this company slug? True for assigned companies and groups and '
  'everything below them; admins: every company.';
revoke execute on function public.has_company_access(text) from public, anon;
grant execute on function public.has_company_access(text) to authenticated, service_role;

create or replace function public.my_context()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _user public.users;
  _permissions text[];
  _is_admin boolean;
begin
  select * into _user from public.users where id = _uid;
  if not found then
    raise exception 'no platform user for the current session' using errcode = '42501';
  end if;
  _permissions := private.effective_permissions(_uid);
  _is_admin := private.user_is_admin(_uid);

  return pg_catalog.jsonb_build_object(
    'user_id', _user.id,
    'email', _user.email,
    'name', _user.name,
    'avatar_url', _user.avatar_url,
    'is_active', _user.is_active,
    'is_admin', _is_admin,
    'profile', (
      select pg_catalog.jsonb_build_object('id', p.id, 'name', p.name, 'display_name', p.display_name)
      from public.profiles p where p.id = _user.profile_id),
    'permissions', pg_catalog.to_jsonb(_permissions),
    'permission_sets', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'name', s.name, 'display_name', s.display_name, 'expires_at', ups.expires_at) order by s.name), '[]')
      from public.user_permission_sets ups
      join public.permission_sets s on s.id = ups.set_id
      where ups.user_id = _uid and _user.is_active and s.is_active
        and (ups.expires_at is null or ups.expires_at > pg_catalog.now())),
    'companies', pg_catalog.to_jsonb(private.accessible_companies(_uid)),
    'primary_company', (select c.slug from public.companies c where c.id = _user.primary_company_id),
    'teams', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'id', t.id, 'name', t.name, 'display_name', t.display_name,
          'parent_team_id', t.parent_team_id, 'role', tm.role) order by t.name), '[]')
      from public.team_members tm
      join public.teams t on t.id = tm.team_id and t.is_active
      where tm.user_id = _uid and _user.is_active),
    'visible_user_ids', pg_catalog.to_jsonb(private.visible_owner_ids(_uid)),
    'modules', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'name', m.name, 'display_name', m.display_name, 'icon', m.icon,
          'is_default', m.is_default, 'config', m.config) order by m.sort_order, m.name), '[]')
      from public.modules m
      where m.is_active and _user.is_active and (
        _is_admin or exists (
          select 1
          from public.permissions c
          cross join unnest(_permissions) g(permission)
          where private.permission_matches(m.required_permission, c.permission)
            and private.permission_matches(g.permission, c.permission))))
  );
end
$$;
comment on function public.my_context() is
  'Everything the app needs about the signed-in user in one call: profile, effective permission '
  'grants, live permission sets, leaf companies, teams with role, users visible through '
  'leadership, accessible modules and is_admin.';
revoke execute on function public.my_context() from public, anon;
grant execute on function public.my_context() to authenticated;

revoke execute on all functions in schema private from public;
