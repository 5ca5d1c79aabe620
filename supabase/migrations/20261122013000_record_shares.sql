/*
 * RBAC level 4 — record shares (spec §6.7), and the generic record access check.
 *
 * A share gives one user, or every member of one active team, `read` < `read_write` < `full`
 * access to one record, optionally until expires_at (checked at query time). Only someone
 * with full access to the record — its owner, a leader above the owner, a holder of the
 * record type's manage permission in the record's company, an admin, or a `full` share
 * holder — may share it (fixes §11.5). Duplicates (same record and target) raise 23505.
 *
 * Business tables register themselves in private.record_types (table, manage permission,
 * company column), so can_access and shares work for any record type a later migration adds.
 */

create type public.share_access as enum ('read', 'read_write', 'full');
comment on type public.share_access is
  'Access a share grants, ordered: read < read_write (update) < full (delete, re-share).';

create table private.record_types (
  record_type text primary key check (record_type ~ '^[a-z][a-z0-9_]*$'),
  table_name regclass not null unique,
  manage_permission text check (manage_permission is null or private.is_permission_pattern(manage_permission)),
  has_company boolean not null default true,
  shareable boolean not null default true
);
comment on table private.record_types is
  'Registry of business record types: where they live and which permission manages them.';
comment on column private.record_types.record_type is 'Type name used by shares and can_access, e.g. proposal.';
comment on column private.record_types.table_name is 'Table holding the records; must have id, owner_id (and company when has_company).';
comment on column private.record_types.manage_permission is 'Permission that gives full access to the type within the holder''s companies.';
comment on column private.record_types.has_company is 'The table has a company column (null company = not company-scoped).';
comment on column private.record_types.shareable is 'Records of this type can be shared.';

create table public.record_shares (
  id uuid primary key default gen_random_uuid(),
  record_type text not null references private.record_types (record_type),
  record_id uuid not null,
  shared_with_user_id uuid references public.users (id) on delete cascade,
  shared_with_team_id uuid references public.teams (id) on delete cascade,
  access public.share_access not null default 'read',
  expires_at timestamptz,
  shared_by uuid default auth.uid() references public.users (id) on delete set null,
  shared_at timestamptz not null default now(),
  reason text check (length(reason) <= 500),
  constraint record_shares_one_target check (num_nonnulls(shared_with_user_id, shared_with_team_id) = 1)
);

comment on table public.record_shares is
  'RBAC level 4: one record shared with one user or team, read / read_write / full, optional expiry.';
comment on column public.record_shares.record_type is 'Kind of record: proposal, booking_order, mockup, document, conversation.';
comment on column public.record_shares.record_id is 'Id of the shared record.';
comment on column public.record_shares.shared_with_user_id is 'Receiving user (exactly one of user/team).';
comment on column public.record_shares.shared_with_team_id is 'Receiving team: every member of the (active) team gets the access.';
comment on column public.record_shares.access is 'read: see it; read_write: also update; full: also delete and re-share.';
comment on column public.record_shares.expires_at is 'Share stops working at this instant; null = no expiry.';
comment on column public.record_shares.shared_by is 'Who shared it (always the caller for API writes).';
comment on column public.record_shares.shared_at is 'When it was shared.';
comment on column public.record_shares.reason is 'Optional note for the receiver.';

create unique index record_shares_unique_user_target
  on public.record_shares (record_type, record_id, shared_with_user_id)
  where shared_with_user_id is not null;
create unique index record_shares_unique_team_target
  on public.record_shares (record_type, record_id, shared_with_team_id)
  where shared_with_team_id is not null;
create index record_shares_by_user
  on public.record_shares (shared_with_user_id, record_type)
  include (record_id, access, expires_at)
  where shared_with_user_id is not null;
create index record_shares_by_team
  on public.record_shares (shared_with_team_id, record_type)
  include (record_id, access, expires_at)
  where shared_with_team_id is not null;
create index record_shares_shared_by on public.record_shares (shared_by);

alter table public.record_shares enable row level security;
select private.comment_standard_columns('public.record_shares');
revoke all on public.record_shares from anon;

-- ---------------------------------------------------------------------------------------------
-- Share lookups

create or replace function private.user_shared_record_ids(_user uuid, _record_type text, _access public.share_access)
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _teams uuid[];
begin
  select a.team_ids into _teams from private.user_access a where a.user_id = _user;
  if not found then
    return '{}';
  end if;
  return array(
    select s.record_id
    from public.record_shares s
    where s.shared_with_user_id = _user
      and s.record_type = _record_type
      and s.access >= _access
      and (s.expires_at is null or s.expires_at > pg_catalog.now())
    union all
    select s.record_id
    from public.record_shares s
    where s.shared_with_team_id = any (_teams)
      and s.record_type = _record_type
      and s.access >= _access
      and (s.expires_at is null or s.expires_at > pg_catalog.now()));
end
$$;
comment on function private.user_shared_record_ids(uuid, text, public.share_access) is
  'Ids of records of a type shared with the user (directly or via an active team) at least at '
  'the given access, live shares only.';

create or replace function private.shared_record_ids(_record_type text, _access public.share_access)
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.user_shared_record_ids(auth.uid(), _record_type, _access);
end
$$;
comment on function private.shared_record_ids(text, public.share_access) is
  'Policy helper: ids of records of a type shared with the caller at least at this access. '
  'Use as id in (select unnest((select private.shared_record_ids(''proposal'', ''read'')))).';
grant execute on function private.shared_record_ids(text, public.share_access) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- The generic access check

create or replace function private.user_can_access(
  _user uuid, _record_type text, _record_id uuid, _access public.share_access)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _type private.record_types;
  _owner uuid;
  _company text;
begin
  select * into _type from private.record_types where record_type = _record_type;
  if not found then
    raise exception 'unknown record type "%"', _record_type using errcode = '22023';
  end if;
  if _user is null or _record_id is null
     or not exists (select 1 from public.users where id = _user and is_active) then
    return false;
  end if;

  execute pg_catalog.format(
    'select owner_id, %s from %s where id = $1',
    case when _type.has_company then 'company::text' else 'null::text' end,
    _type.table_name)
  into _owner, _company
  using _record_id;
  if _owner is null then
    return false;
  end if;

  if private.user_is_admin(_user) or _owner = any (private.visible_owner_ids(_user)) then
    return true;
  end if;
  if _type.manage_permission is not null
     and private.user_has_permission(_user, _type.manage_permission)
     and (_company is null or _company = any (private.accessible_companies(_user))) then
    return true;
  end if;
  return _type.shareable and _record_id = any (private.user_shared_record_ids(_user, _record_type, _access));
end
$$;
comment on function private.user_can_access(uuid, text, uuid, public.share_access) is
  'Record access for an explicit user; the same rules the business tables'' policies apply.';

create or replace function public.can_access(record_type text, record_id uuid, level text default 'read')
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if level is null or level not in ('read', 'read_write', 'full') then
    raise exception 'access level must be read, read_write or full, got "%"', coalesce(level, 'null')
      using errcode = '22023';
  end if;
  return private.user_can_access(auth.uid(), record_type, record_id, level::public.share_access);
end
$$;
comment on function public.can_access(text, uuid, text) is
  'May the signed-in user read (read), update (read_write) or delete/share (full) this record? '
  'Owner, leaders above the owner, manage permission in the record''s company, admins, and '
  'live shares at that level. Unknown types or levels raise 22023.';
revoke execute on function public.can_access(text, uuid, text) from public, anon;
grant execute on function public.can_access(text, uuid, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Who may share: enforced by a trigger (clear errors) and by the policies below (defence).

create or replace function private.record_type_shareable(_record_type text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select shareable from private.record_types where record_type = _record_type);
end
$$;
comment on function private.record_type_shareable(text) is
  'Whether records of the type can be shared; null for an unknown type.';
grant execute on function private.record_type_shareable(text) to authenticated, service_role;

create or replace function private.check_record_share()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.record_type, new.record_id, new.shared_with_user_id, new.shared_with_team_id)
       is distinct from (old.record_type, old.record_id, old.shared_with_user_id, old.shared_with_team_id) then
    raise exception 'a share''s record and receiver cannot change; revoke it and share again'
      using errcode = '22023';
  end if;
  case private.record_type_shareable(new.record_type)
    when true then null;
    when false then
      raise exception 'records of type "%" cannot be shared', new.record_type using errcode = '22023';
    else
      raise exception 'unknown record type "%"', coalesce(new.record_type, 'null') using errcode = '22023';
  end case;
  if num_nonnulls(new.shared_with_user_id, new.shared_with_team_id) <> 1 then
    raise exception 'a share needs exactly one receiver: shared_with_user_id or shared_with_team_id'
      using errcode = '22023';
  end if;
  if private.is_api_caller() then
    if new.expires_at is not null and new.expires_at <= pg_catalog.now()
       and (tg_op = 'INSERT' or new.expires_at is distinct from old.expires_at) then
      raise exception 'share expiry % is not in the future', new.expires_at using errcode = '22023';
    end if;
    new.shared_by := case when tg_op = 'INSERT' then auth.uid() else old.shared_by end;
    new.shared_at := case when tg_op = 'INSERT' then pg_catalog.now() else old.shared_at end;
    if not public.can_access(new.record_type, new.record_id, 'full') then
      raise exception 'you may share this % only if you own it or hold full access to it', new.record_type
        using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
comment on function private.check_record_share() is
  'Trigger: only full-access holders share; receivers and records are fixed; expiry in the future.';

create trigger record_shares_check
  before insert or update on public.record_shares
  for each row execute function private.check_record_share();

create trigger record_shares_audit
  after insert or update or delete on public.record_shares
  for each row execute function private.audit_grant_change('record_share', 'sharing', 'shared_with_user_id');

create policy "people see shares they made, received or fully control"
  on public.record_shares for select to authenticated
  using (
    shared_by = (select auth.uid())
    or shared_with_user_id = (select auth.uid())
    or shared_with_team_id in (select unnest((select private.my_team_ids())))
    or (select private.is_admin())
    or public.can_access(record_type, record_id, 'full')
  );

create policy "people with full access to a record can share it"
  on public.record_shares for insert to authenticated
  with check (public.can_access(record_type, record_id, 'full'));

create policy "sharers and full-access holders can change a share"
  on public.record_shares for update to authenticated
  using (shared_by = (select auth.uid()) or public.can_access(record_type, record_id, 'full'))
  with check (public.can_access(record_type, record_id, 'full'));

create policy "sharers and full-access holders can revoke a share"
  on public.record_shares for delete to authenticated
  using (shared_by = (select auth.uid()) or public.can_access(record_type, record_id, 'full'));

revoke execute on all functions in schema private from public;
