/*
 * Who may read and change the identity tables (users, profiles, sets, teams, companies,
 * modules, the catalogue, the audit log), now that the permission helpers exist. The tables
 * have had RLS enabled since their own migrations, so until here they were closed.
 *
 * Besides policies, guard triggers stop privilege escalation: you cannot grant a permission,
 * a permission set or a profile whose permissions you do not hold yourself, nor assign a
 * company you cannot access, and only user administrators change privileged user columns.
 */

-- ---------------------------------------------------------------------------------------------
-- Guards

create or replace function private.assert_caller_holds(_permission text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not private.has_permission(_permission) then
    raise exception 'you cannot grant % because you do not hold it yourself', _permission
      using errcode = '42501';
  end if;
end
$$;
comment on function private.assert_caller_holds(text) is
  'Raises 42501 unless the caller holds the permission (anti-escalation guard).';
grant execute on function private.assert_caller_holds(text) to authenticated;

create or replace function private.check_permission_grant()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.assert_permission_pattern(new.permission);
  if private.is_api_caller() then
    perform private.assert_caller_holds(new.permission);
  end if;
  return new;
end
$$;
comment on function private.check_permission_grant() is
  'Trigger: granted permissions are well-formed and held by the granting user.';

create trigger profile_permissions_check_grant
  before insert or update on public.profile_permissions
  for each row execute function private.check_permission_grant();
create trigger permission_set_permissions_check_grant
  before insert or update on public.permission_set_permissions
  for each row execute function private.check_permission_grant();

-- The guards run as the caller, whose RLS may hide a set's or profile's contents; these
-- security-definer helpers read them in full and answer only for the caller.
create or replace function private.permission_not_held_in_set(_set_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select sp.permission
  from public.permission_set_permissions sp
  where sp.set_id = _set_id and not private.user_has_permission(auth.uid(), sp.permission)
  order by sp.permission
  limit 1
$$;
comment on function private.permission_not_held_in_set(uuid) is
  'First permission of the set the caller does not hold, or null when the caller holds them all.';
grant execute on function private.permission_not_held_in_set(uuid) to authenticated;

create or replace function private.permission_not_held_in_profile(_profile_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select pp.permission
  from public.profile_permissions pp
  where pp.profile_id = _profile_id and not private.user_has_permission(auth.uid(), pp.permission)
  order by pp.permission
  limit 1
$$;
comment on function private.permission_not_held_in_profile(uuid) is
  'First permission of the profile the caller does not hold, or null when the caller holds them all.';
grant execute on function private.permission_not_held_in_profile(uuid) to authenticated;

create or replace function private.check_permission_set_assignment()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _permission text;
begin
  if private.is_api_caller() then
    if new.expires_at is not null and new.expires_at <= pg_catalog.now()
       and (tg_op = 'INSERT' or new.expires_at is distinct from old.expires_at) then
      raise exception 'permission set expiry % is not in the future', new.expires_at using errcode = '22023';
    end if;
    if tg_op = 'INSERT' then
      new.granted_by := auth.uid();
      new.granted_at := pg_catalog.now();
    end if;
    _permission := private.permission_not_held_in_set(new.set_id);
    if _permission is not null then
      raise exception 'you cannot grant this permission set: it includes % which you do not hold yourself', _permission
        using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_permission_set_assignment() is
  'Trigger: sets assigned through the API expire in the future and contain only permissions '
  'the granter holds (seeds and the service role may record already-expired grants).';

create trigger user_permission_sets_check_assignment
  before insert or update on public.user_permission_sets
  for each row execute function private.check_permission_set_assignment();

create or replace function private.check_user_change()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _permission text;
begin
  if not private.is_api_caller() then
    return new;
  end if;
  if new.id <> old.id or new.email <> old.email then
    raise exception 'id and email of a user come from Supabase Auth and cannot be edited here'
      using errcode = '42501';
  end if;
  if (new.profile_id, new.is_active, new.manager_id, new.slack_user_id, new.primary_company_id)
       is distinct from (old.profile_id, old.is_active, old.manager_id, old.slack_user_id, old.primary_company_id)
     and not private.has_permission('core:users:update') then
    raise exception 'changing profile, active flag, manager, Slack link or primary company needs core:users:update'
      using errcode = '42501';
  end if;
  if new.primary_company_id is distinct from old.primary_company_id then
    raise exception 'set the primary company through user_companies.is_primary' using errcode = '22023';
  end if;
  if new.profile_id is distinct from old.profile_id then
    _permission := private.permission_not_held_in_profile(new.profile_id);
    if _permission is not null then
      raise exception 'you cannot give this profile: it includes % which you do not hold yourself', _permission
        using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_user_change() is
  'Trigger: users edit only their own name/avatar/metadata; user admins change the rest and '
  'cannot hand out a profile with permissions they do not hold.';

create trigger users_check_change
  before update on public.users
  for each row execute function private.check_user_change();

create or replace function private.check_company_assignment()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() then
    if tg_op = 'INSERT' then
      new.assigned_by := auth.uid();
      new.assigned_at := pg_catalog.now();
    end if;
    if not public.has_company_access((select slug from public.companies where id = new.company_id)) then
      raise exception 'you cannot assign a company you do not have access to yourself'
        using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_company_assignment() is
  'Trigger: only companies the granting user can access may be assigned.';

create trigger user_companies_check_assignment
  before insert or update on public.user_companies
  for each row execute function private.check_company_assignment();

create or replace function private.stamp_team_member()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() and tg_op = 'INSERT' then
    new.added_by := auth.uid();
    new.added_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function private.stamp_team_member() is 'Trigger: records who added a team member.';

create trigger team_members_stamp
  before insert on public.team_members
  for each row execute function private.stamp_team_member();

-- ---------------------------------------------------------------------------------------------
-- users

revoke insert, delete, truncate on public.users from authenticated;

create policy "people read themselves, those they lead; user readers read all"
  on public.users for select to authenticated
  using (
    id = (select auth.uid())
    or id in (select unnest((select private.visible_owner_ids())))
    or (select private.has_permission('core:users:read'))
  );

create policy "people update themselves and user admins update anyone"
  on public.users for update to authenticated
  using (id = (select auth.uid()) or (select private.has_permission('core:users:update')))
  with check (id = (select auth.uid()) or (select private.has_permission('core:users:update')));

-- ---------------------------------------------------------------------------------------------
-- permission catalogue and modules

create policy "signed-in users can read the permission catalogue"
  on public.permissions for select to authenticated
  using (true);
create policy "system configurators can add permissions"
  on public.permissions for insert to authenticated
  with check ((select private.has_permission('core:system:config')));
create policy "system configurators can edit permissions"
  on public.permissions for update to authenticated
  using ((select private.has_permission('core:system:config')));
create policy "system configurators can remove permissions"
  on public.permissions for delete to authenticated
  using ((select private.has_permission('core:system:config')));

create policy "signed-in users can read modules"
  on public.modules for select to authenticated
  using (true);
create policy "system configurators can add modules"
  on public.modules for insert to authenticated
  with check ((select private.has_permission('core:system:config')));
create policy "system configurators can edit modules"
  on public.modules for update to authenticated
  using ((select private.has_permission('core:system:config')));
create policy "system configurators can remove modules"
  on public.modules for delete to authenticated
  using ((select private.has_permission('core:system:config')));

-- ---------------------------------------------------------------------------------------------
-- profiles

create policy "signed-in users can read profiles"
  on public.profiles for select to authenticated
  using (true);
create policy "profile admins can create profiles"
  on public.profiles for insert to authenticated
  with check ((select private.has_permission('core:profiles:create')));
create policy "profile admins can edit profiles"
  on public.profiles for update to authenticated
  using ((select private.has_permission('core:profiles:update')));
create policy "profile admins can delete profiles"
  on public.profiles for delete to authenticated
  using ((select private.has_permission('core:profiles:delete')));

create policy "people read their profile's grants; profile readers read all"
  on public.profile_permissions for select to authenticated
  using (
    profile_id = (select u.profile_id from public.users u where u.id = (select auth.uid()))
    or (select private.has_permission('core:profiles:read'))
  );
create policy "profile editors can grant profile permissions"
  on public.profile_permissions for insert to authenticated
  with check ((select private.has_permission('core:profiles:update')));
create policy "profile editors can change profile permissions"
  on public.profile_permissions for update to authenticated
  using ((select private.has_permission('core:profiles:update')));
create policy "profile editors can revoke profile permissions"
  on public.profile_permissions for delete to authenticated
  using ((select private.has_permission('core:profiles:update')));

-- ---------------------------------------------------------------------------------------------
-- permission sets

create policy "people read sets assigned to them and set readers read all"
  on public.permission_sets for select to authenticated
  using (
    exists (select 1 from public.user_permission_sets ups
            where ups.set_id = permission_sets.id and ups.user_id = (select auth.uid()))
    or (select private.has_permission('core:permission_sets:read'))
  );
create policy "set admins can create permission sets"
  on public.permission_sets for insert to authenticated
  with check ((select private.has_permission('core:permission_sets:create')));
create policy "set admins can edit permission sets"
  on public.permission_sets for update to authenticated
  using ((select private.has_permission('core:permission_sets:update')));
create policy "set admins can delete permission sets"
  on public.permission_sets for delete to authenticated
  using ((select private.has_permission('core:permission_sets:delete')));

create policy "people read the contents of their sets and set readers read all"
  on public.permission_set_permissions for select to authenticated
  using (
    exists (select 1 from public.user_permission_sets ups
            where ups.set_id = permission_set_permissions.set_id and ups.user_id = (select auth.uid()))
    or (select private.has_permission('core:permission_sets:read'))
  );
create policy "set editors can add permissions to sets"
  on public.permission_set_permissions for insert to authenticated
  with check ((select private.has_permission('core:permission_sets:update')));
create policy "set editors can change permissions in sets"
  on public.permission_set_permissions for update to authenticated
  using ((select private.has_permission('core:permission_sets:update')));
create policy "set editors can remove permissions from sets"
  on public.permission_set_permissions for delete to authenticated
  using ((select private.has_permission('core:permission_sets:update')));

create policy "people read their own set assignments and user admins read all"
  on public.user_permission_sets for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.has_permission('core:users:read'))
    or (select private.has_permission('core:permission_sets:read'))
  );
create policy "user admins can assign permission sets"
  on public.user_permission_sets for insert to authenticated
  with check ((select private.has_permission('core:users:update')));
create policy "user admins can change set assignments"
  on public.user_permission_sets for update to authenticated
  using ((select private.has_permission('core:users:update')));
create policy "user admins can remove set assignments"
  on public.user_permission_sets for delete to authenticated
  using ((select private.has_permission('core:users:update')));

-- ---------------------------------------------------------------------------------------------
-- companies

create policy "people read the companies and groups they can act for"
  on public.companies for select to authenticated
  using (slug in (select unnest((select private.my_company_closure()))) or (select private.is_admin()));
create policy "admins can create companies"
  on public.companies for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins can edit companies"
  on public.companies for update to authenticated
  using ((select private.is_admin()));
create policy "admins can delete companies"
  on public.companies for delete to authenticated
  using ((select private.is_admin()));

create policy "people read their company assignments; user readers read all"
  on public.user_companies for select to authenticated
  using (user_id = (select auth.uid()) or (select private.has_permission('core:users:read')));
create policy "user admins can assign companies"
  on public.user_companies for insert to authenticated
  with check ((select private.has_permission('core:users:update')));
create policy "user admins can change company assignments"
  on public.user_companies for update to authenticated
  using ((select private.has_permission('core:users:update')));
create policy "user admins can remove company assignments"
  on public.user_companies for delete to authenticated
  using ((select private.has_permission('core:users:update')));

-- ---------------------------------------------------------------------------------------------
-- teams

create policy "signed-in users can read teams"
  on public.teams for select to authenticated
  using (true);
create policy "team admins can create teams"
  on public.teams for insert to authenticated
  with check ((select private.has_permission('core:teams:create')));
create policy "team admins can edit teams"
  on public.teams for update to authenticated
  using ((select private.has_permission('core:teams:update')));
create policy "team admins can delete teams"
  on public.teams for delete to authenticated
  using ((select private.has_permission('core:teams:delete')));

create policy "people read their teams and those they lead; team readers all"
  on public.team_members for select to authenticated
  using (
    team_id in (select unnest((select private.my_team_ids())))
    or user_id in (select unnest((select private.visible_owner_ids())))
    or (select private.has_permission('core:teams:read'))
  );
create policy "team editors can add members"
  on public.team_members for insert to authenticated
  with check ((select private.has_permission('core:teams:update')));
create policy "team editors can change member roles"
  on public.team_members for update to authenticated
  using ((select private.has_permission('core:teams:update')));
create policy "team editors can remove members"
  on public.team_members for delete to authenticated
  using ((select private.has_permission('core:teams:update')));

-- ---------------------------------------------------------------------------------------------
-- audit log

create policy "admins can read the audit log"
  on public.audit_log for select to authenticated
  using ((select private.is_admin()));

revoke execute on all functions in schema private from public;
