/*
 * User profiles. Supabase Auth owns identities (auth.users); public.users is the platform's
 * view of a person: display name, avatar, Slack link, active flag, profile and manager.
 * A row is created by a trigger when GoTrue inserts into auth.users, kept in sync when the
 * auth email or metadata change, and removed with the auth user (on delete cascade).
 *
 * Who may change which column is enforced by policies and a guard trigger added with the
 * other identity rules once the permission helpers exist.
 */

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  name text not null,
  avatar_url text,
  slack_user_id text unique check (slack_user_id ~ '^[A-Z0-9]{6,20}$'),
  is_active boolean not null default true,
  profile_id uuid not null default private.default_profile_id()
    references public.profiles (id) on delete restrict,
  manager_id uuid references public.users (id) on delete set null,
  primary_company_id uuid references public.companies (id) on delete set null,
  last_login_at timestamptz,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (manager_id is distinct from id)
);

comment on table public.users is
  'Platform profile of each auth user: name, avatar, Slack link, active flag, RBAC profile. '
  'Created automatically when an auth user is created.';
comment on column public.users.id is 'Same id as auth.users.';
comment on column public.users.email is 'Copy of the auth email, kept in sync by trigger.';
comment on column public.users.name is 'Display name: auth metadata name, else the email''s local part.';
comment on column public.users.avatar_url is 'Picture URL from auth metadata.';
comment on column public.users.slack_user_id is 'Linked Slack member id (e.g. U04ABCDEF); unique.';
comment on column public.users.is_active is 'Inactive users get no permissions, companies or record access at all.';
comment on column public.users.profile_id is 'RBAC level 1 profile; sales_user for new users.';
comment on column public.users.manager_id is 'Line manager, informational. Record visibility follows teams, not this column.';
comment on column public.users.primary_company_id is 'Default company, maintained from user_companies.is_primary.';
comment on column public.users.last_login_at is 'Last sign-in, copied from auth.users.last_sign_in_at.';
comment on column public.users.metadata is 'Free-form per-user settings.';

create index users_profile_idx on public.users (profile_id);
create index users_manager_idx on public.users (manager_id) where manager_id is not null;
create index users_email_idx on public.users (lower(email));

alter table public.users enable row level security;
select private.comment_standard_columns('public.users');
revoke all on public.users from anon;

create trigger users_touch_updated_at
  before update on public.users
  for each row execute function private.touch_updated_at();

create or replace function private.display_name_for(email text, meta jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(
    nullif(btrim(meta ->> 'name'), ''),
    nullif(btrim(meta ->> 'full_name'), ''),
    nullif(pg_catalog.split_part(email, '@', 1), ''),
    'user'
  )
$$;
comment on function private.display_name_for(text, jsonb) is
  'Display name from auth metadata (name, full_name) or the email''s local part.';

create or replace function private.create_user_for_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.users (id, email, name, avatar_url)
  values (
    new.id,
    coalesce(new.email, new.id::text || '@users.invalid'),
    private.display_name_for(new.email, new.raw_user_meta_data),
    nullif(new.raw_user_meta_data ->> 'avatar_url', '')
  )
  on conflict (id) do nothing;
  return new;
end
$$;
comment on function private.create_user_for_auth_user() is
  'Trigger on auth.users insert: creates the public.users row (profile sales_user).';

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.create_user_for_auth_user();

create or replace function private.sync_user_from_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users u
  set email = coalesce(new.email, u.email),
      name = case
        when new.raw_user_meta_data is distinct from old.raw_user_meta_data
          or new.email is distinct from old.email and u.name = private.display_name_for(old.email, old.raw_user_meta_data)
        then private.display_name_for(new.email, new.raw_user_meta_data)
        else u.name end,
      avatar_url = case
        when new.raw_user_meta_data is distinct from old.raw_user_meta_data
        then nullif(new.raw_user_meta_data ->> 'avatar_url', '')
        else u.avatar_url end,
      last_login_at = coalesce(new.last_sign_in_at, u.last_login_at)
  where u.id = new.id;
  return new;
end
$$;
comment on function private.sync_user_from_auth_user() is
  'Trigger on auth.users update: copies email, name, avatar and last sign-in to public.users.';

create trigger on_auth_user_updated
  after update of email, raw_user_meta_data, last_sign_in_at on auth.users
  for each row execute function private.sync_user_from_auth_user();

create or replace function private.audit_user_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    perform private.write_audit('user.deleted', 'user_management', 'public.users', old.id::text,
      old.id, pg_catalog.to_jsonb(old), null);
    return null;
  end if;
  if new.profile_id is distinct from old.profile_id then
    perform private.write_audit('user.profile_changed', 'rbac', 'public.users', new.id::text, new.id,
      pg_catalog.jsonb_build_object('profile_id', old.profile_id,
        'profile', (select name from public.profiles where id = old.profile_id)),
      pg_catalog.jsonb_build_object('profile_id', new.profile_id,
        'profile', (select name from public.profiles where id = new.profile_id)));
  end if;
  if new.is_active is distinct from old.is_active then
    perform private.write_audit(
      case when new.is_active then 'user.activated' else 'user.deactivated' end,
      'user_management', 'public.users', new.id::text, new.id,
      pg_catalog.jsonb_build_object('is_active', old.is_active),
      pg_catalog.jsonb_build_object('is_active', new.is_active));
  end if;
  return null;
end
$$;
comment on function private.audit_user_change() is
  'Trigger: audits profile changes, (de)activation and deletion of users.';

create trigger users_audit_changes
  after update of profile_id, is_active or delete on public.users
  for each row execute function private.audit_user_change();

-- Auth users that existed before this migration (hosted projects) get their rows now.
insert into public.users (id, email, name, avatar_url)
select a.id, coalesce(a.email, a.id::text || '@users.invalid'),
  private.display_name_for(a.email, a.raw_user_meta_data),
  nullif(a.raw_user_meta_data ->> 'avatar_url', '')
from auth.users a
on conflict (id) do nothing;

revoke execute on all functions in schema private from public;
