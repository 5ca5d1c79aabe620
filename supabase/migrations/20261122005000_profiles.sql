/*
 * RBAC level 1 — profiles. Every user has exactly one profile (users.profile_id, default
 * sales_user); a profile carries a list of permission grants that may use wildcards.
 * System profiles (spec §6.3 plus head_of_sales) cannot be deleted or renamed; their
 * permissions can be edited. Grant changes are audited.
 */

create table public.profiles (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9_]{1,62}$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 120),
  description text,
  is_system boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.profiles is
  'RBAC level 1: the job profile of a user (exactly one per user). System profiles cannot be deleted.';
comment on column public.profiles.name is 'Stable key, e.g. sales_user, system_admin.';
comment on column public.profiles.display_name is 'Human name shown in the admin UI.';
comment on column public.profiles.description is 'What the profile is for.';
comment on column public.profiles.is_system is 'Shipped profile: cannot be deleted, renamed or re-described; permissions stay editable.';

create table public.profile_permissions (
  profile_id uuid not null references public.profiles (id) on delete cascade,
  permission text not null check (private.is_permission_pattern(permission)),
  created_at timestamptz not null default now(),
  primary key (profile_id, permission)
);

comment on table public.profile_permissions is 'Permissions granted by a profile; wildcards (*) and manage allowed.';
comment on column public.profile_permissions.profile_id is 'The profile.';
comment on column public.profile_permissions.permission is 'Granted permission pattern, e.g. sales:*:* or sales:proposals:read.';

alter table public.profiles enable row level security;
select private.comment_standard_columns('public.profiles');
alter table public.profile_permissions enable row level security;
select private.comment_standard_columns('public.profile_permissions');
revoke all on public.profiles, public.profile_permissions from anon;

create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function private.touch_updated_at();

create or replace function private.protect_system_profile()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.is_system then
      raise exception 'profile "%" is a system profile and cannot be deleted', old.name
        using errcode = '42501';
    end if;
    return old;
  end if;
  if old.is_system and (new.name, new.display_name, new.description, new.is_system)
       is distinct from (old.name, old.display_name, old.description, old.is_system) then
    raise exception 'profile "%" is a system profile: only its permissions can be changed', old.name
      using errcode = '42501';
  end if;
  if not old.is_system and new.is_system and private.is_api_caller() then
    raise exception 'only migrations can mark a profile as a system profile' using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function private.protect_system_profile() is
  'Trigger: system profiles cannot be deleted, renamed or re-described.';

create trigger profiles_protect_system
  before update or delete on public.profiles
  for each row execute function private.protect_system_profile();

insert into public.profiles (name, display_name, description, is_system) values
  ('system_admin', 'System Admin', 'Full access to everything.', true),
  ('sales_manager', 'Sales Manager', 'Runs the sales team: all sales features, reads users and teams.', true),
  ('sales_user', 'Sales User', 'Default for new users: proposals, booking orders, mockups, chat.', true),
  ('coordinator', 'Sales Coordinator', 'Processes booking orders; reads proposals.', true),
  ('head_of_sales', 'Head of Sales', 'Approves booking orders; reads proposals and mockups, AI costs.', true),
  ('finance', 'Finance', 'Reads booking orders and AI costs.', true),
  ('viewer', 'Viewer', 'Read-only access to proposals, booking orders and mockups.', true);

insert into public.profile_permissions (profile_id, permission)
select p.id, g.permission
from (values
  ('system_admin', '*:*:*'),
  ('sales_manager', 'sales:*:*'),
  ('sales_manager', 'core:users:read'),
  ('sales_manager', 'core:ai_costs:read'),
  ('sales_manager', 'core:teams:read'),
  ('sales_user', 'sales:proposals:create'),
  ('sales_user', 'sales:proposals:read'),
  ('sales_user', 'sales:proposals:update'),
  ('sales_user', 'sales:booking_orders:create'),
  ('sales_user', 'sales:booking_orders:read'),
  ('sales_user', 'sales:mockups:generate'),
  ('sales_user', 'sales:mockups:read'),
  ('sales_user', 'sales:templates:read'),
  ('sales_user', 'sales:chat:use'),
  ('coordinator', 'sales:booking_orders:*'),
  ('coordinator', 'sales:proposals:read'),
  ('head_of_sales', 'sales:booking_orders:*'),
  ('head_of_sales', 'sales:proposals:read'),
  ('head_of_sales', 'sales:mockups:read'),
  ('head_of_sales', 'core:ai_costs:read'),
  ('finance', 'sales:booking_orders:read'),
  ('finance', 'core:ai_costs:read'),
  ('viewer', 'sales:proposals:read'),
  ('viewer', 'sales:booking_orders:read'),
  ('viewer', 'sales:mockups:read')
) as g (profile, permission)
join public.profiles p on p.name = g.profile;

-- Audited from here on; the shipped grants above are part of the migration itself.
create trigger profile_permissions_audit
  after insert or update or delete on public.profile_permissions
  for each row execute function private.audit_grant_change('profile_permission', 'rbac', '');

create or replace function private.default_profile_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select id from public.profiles where name = 'sales_user'
$$;
comment on function private.default_profile_id() is 'Id of the sales_user profile, the default for new users.';
grant execute on function private.default_profile_id() to authenticated, service_role;

revoke execute on all functions in schema private from public;
