/*
 * Access resolution: what a user may do, computed in Postgres from the RBAC tables. This
 * replaces the original's gateway-resolved "trusted header" bundle.
 *
 *   effective permissions = profile grants ∪ grants of assigned sets that are active and
 *                           unexpired (expires_at > now(), evaluated at query time)
 *   companies             = leaf companies below every assigned company or group (admins: all)
 *   visible owners        = the user + every member of each active team the user leads and of
 *                           all active teams below it, any depth
 *   admin                 = holds core:system:admin (so *:*:* and core:*:* count too)
 * An inactive user has none of it.
 *
 * Two layers: private.user_*(_user, …) take an explicit user and are callable only by other
 * security-definer code; the argument-free private helpers answer for the caller and are what
 * policies call, wrapped in (select …) so Postgres evaluates them once per statement.
 */

-- ---------------------------------------------------------------------------------------------
-- Permissions

create or replace function private.user_has_permission(_user uuid, _wanted text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
      select 1
      from public.users u
      join public.profile_permissions pp on pp.profile_id = u.profile_id
      where u.id = _user and u.is_active
        and private.permission_matches(pp.permission, _wanted)
    )
    or exists (
      select 1
      from public.user_permission_sets ups
      join public.users u on u.id = ups.user_id
      join public.permission_sets s on s.id = ups.set_id
      join public.permission_set_permissions sp on sp.set_id = ups.set_id
      where ups.user_id = _user and u.is_active and s.is_active
        and (ups.expires_at is null or ups.expires_at > pg_catalog.now())
        and private.permission_matches(sp.permission, _wanted)
    )
$$;
comment on function private.user_has_permission(uuid, text) is
  'True when the user is active and a profile or live permission-set grant covers the permission.';

create or replace function private.user_permissions(_user uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(g.permission order by g.permission), '{}')
  from (
    select pp.permission
    from public.users u
    join public.profile_permissions pp on pp.profile_id = u.profile_id
    where u.id = _user and u.is_active
    union
    select sp.permission
    from public.user_permission_sets ups
    join public.users u on u.id = ups.user_id
    join public.permission_sets s on s.id = ups.set_id
    join public.permission_set_permissions sp on sp.set_id = ups.set_id
    where ups.user_id = _user and u.is_active and s.is_active
      and (ups.expires_at is null or ups.expires_at > pg_catalog.now())
  ) g
$$;
comment on function private.user_permissions(uuid) is
  'Effective grants (patterns as granted, e.g. sales:*:*) of an active user: profile ∪ live sets.';

create or replace function private.user_is_admin(_user uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_has_permission(_user, 'core:system:admin')
$$;
comment on function private.user_is_admin(uuid) is 'Holds core:system:admin (directly or via *:*:*, core:*:*).';

create or replace function private.has_permission(_permission text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_has_permission(auth.uid(), _permission)
$$;
comment on function private.has_permission(text) is
  'Policy helper: the caller holds the permission. Wrap in (select …) inside policies.';
grant execute on function private.has_permission(text) to authenticated, service_role;

create or replace function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_has_permission(auth.uid(), 'core:system:admin')
$$;
comment on function private.is_admin() is 'Policy helper: the caller is an administrator.';
grant execute on function private.is_admin() to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Companies

create or replace function private.user_company_closure(_user uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  with recursive reachable as (
    select c.id, c.slug
    from public.users u
    join public.user_companies uc on uc.user_id = u.id
    join public.companies c on c.id = uc.company_id and c.is_active
    where u.id = _user and u.is_active and not private.user_is_admin(_user)
    union
    select c.id, c.slug
    from public.companies c
    join reachable r on c.parent_id = r.id
    where c.is_active
  )
  select case
    when private.user_is_admin(_user) then
      (select coalesce(array_agg(slug order by slug), '{}') from public.companies where is_active)
    else
      (select coalesce(array_agg(distinct slug), '{}') from reachable)
  end
$$;
comment on function private.user_company_closure(uuid) is
  'Slugs of every active company and group the user can act for: assignments plus everything '
  'below them (admins: all active companies).';

create or replace function private.my_company_closure()
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_company_closure(auth.uid())
$$;
comment on function private.my_company_closure() is
  'Policy helper: slugs of the companies and groups the caller can act for.';
grant execute on function private.my_company_closure() to authenticated, service_role;

create or replace function private.user_companies_of(_user uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(c.slug order by c.slug), '{}')
  from public.companies c
  where not c.is_group and c.slug = any (private.user_company_closure(_user))
$$;
comment on function private.user_companies_of(uuid) is
  'Leaf company slugs the user can access (group assignments expanded).';

create or replace function private.accessible_companies()
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_companies_of(auth.uid())
$$;
comment on function private.accessible_companies() is 'Policy helper: leaf company slugs of the caller.';
grant execute on function private.accessible_companies() to authenticated, service_role;

create or replace function private.companies_with_permission(_permission text)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select case when private.user_has_permission(auth.uid(), _permission)
    then private.user_companies_of(auth.uid())
    else '{}'::text[] end
$$;
comment on function private.companies_with_permission(text) is
  'Policy helper: the caller''s leaf companies if the caller holds the permission, else none.';
grant execute on function private.companies_with_permission(text) to authenticated, service_role;

create or replace function private.company_permits(_company text, _permissions text[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select _company = any (private.user_company_closure(auth.uid()))
    and exists (
      select 1 from unnest(_permissions) p
      where private.user_has_permission(auth.uid(), p)
    )
$$;
comment on function private.company_permits(text, text[]) is
  'Policy helper: the caller can access the company and holds at least one of the permissions.';
grant execute on function private.company_permits(text, text[]) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Teams

create or replace function private.user_team_ids(_user uuid)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(tm.team_id), '{}')
  from public.team_members tm
  join public.teams t on t.id = tm.team_id and t.is_active
  join public.users u on u.id = tm.user_id and u.is_active
  where tm.user_id = _user
$$;
comment on function private.user_team_ids(uuid) is 'Active teams the active user belongs to, any role.';

create or replace function private.my_team_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_team_ids(auth.uid())
$$;
comment on function private.my_team_ids() is 'Policy helper: active teams of the caller.';
grant execute on function private.my_team_ids() to authenticated, service_role;

create or replace function private.user_led_team_ids(_user uuid)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  with recursive led as (
    select tm.team_id
    from public.team_members tm
    join public.teams t on t.id = tm.team_id and t.is_active
    join public.users u on u.id = tm.user_id and u.is_active
    where tm.user_id = _user and tm.role = 'leader'
    union
    select t.id
    from public.teams t
    join led on t.parent_team_id = led.team_id
    where t.is_active
  )
  select coalesce(array_agg(team_id), '{}') from led
$$;
comment on function private.user_led_team_ids(uuid) is
  'Teams the user leads plus all their active descendants (the walk stops at inactive teams).';

create or replace function private.user_visible_owner_ids(_user uuid)
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when not exists (select 1 from public.users where id = _user and is_active) then '{}'::uuid[]
    else array(
      select _user
      union
      select tm.user_id
      from public.team_members tm
      where tm.team_id = any (private.user_led_team_ids(_user))
    )
  end
$$;
comment on function private.user_visible_owner_ids(uuid) is
  'Owners whose records the user sees through ownership or team leadership: the user and every '
  'member of the teams the user leads, down the whole tree.';

create or replace function private.visible_owner_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select private.user_visible_owner_ids(auth.uid())
$$;
comment on function private.visible_owner_ids() is
  'Policy helper: owners whose records the caller sees by ownership or leadership. '
  'Use as owner_id = any ((select private.visible_owner_ids())::uuid[]).';
grant execute on function private.visible_owner_ids() to authenticated, service_role;

create or replace function private.leads_user(_leader uuid, _member uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select _leader <> _member and _member = any (private.user_visible_owner_ids(_leader))
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
  perform private.assert_permission_pattern(permission);
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
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(company = any (private.user_company_closure(auth.uid())), false)
$$;
comment on function public.has_company_access(text) is
  'Can the signed-in user act for this company slug? True for assigned companies and groups and '
  'everything below them; admins: every active company.';
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
  _permissions := private.user_permissions(_uid);
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
    'companies', pg_catalog.to_jsonb(private.user_companies_of(_uid)),
    'primary_company', (select c.slug from public.companies c where c.id = _user.primary_company_id),
    'teams', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'id', t.id, 'name', t.name, 'display_name', t.display_name,
          'parent_team_id', t.parent_team_id, 'role', tm.role) order by t.name), '[]')
      from public.team_members tm
      join public.teams t on t.id = tm.team_id and t.is_active
      where tm.user_id = _uid and _user.is_active),
    'visible_user_ids', pg_catalog.to_jsonb(private.user_visible_owner_ids(_uid)),
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
