/*
 * Deployment settings the database itself needs, e.g. where the renderer listens and the
 * shared secret it expects (keys renderer_url, renderer_secret — see the render-job queue).
 * They differ per deployment, so they live in a table rather than in migrations: on hosted
 * Supabase an administrator sets them in Studio or with SQL; the local stack writes them on
 * start. Only the database owner and security-definer code read the table — no API role has
 * any access, so the secret never leaves the database through the API.
 */

create table private.app_settings (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  value text,
  updated_at timestamptz not null default now()
);
comment on table private.app_settings is
  'Deployment settings read by database code (renderer_url, renderer_secret, …). Set with SQL or '
  'Studio: insert into private.app_settings (key, value) values (…) on conflict (key) do update set value = excluded.value.';
comment on column private.app_settings.key is 'Setting name, lower-case, e.g. renderer_url.';
comment on column private.app_settings.value is 'Setting value; null or empty counts as not set.';
comment on column private.app_settings.updated_at is 'When the value was last changed.';

revoke all on private.app_settings from public, anon, authenticated, service_role;

create trigger app_settings_touch_updated_at
  before update on private.app_settings
  for each row execute function private.touch_updated_at();

create or replace function private.app_setting(_key text)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select nullif(pg_catalog.btrim(s.value), '') from private.app_settings s where s.key = _key);
end
$$;
comment on function private.app_setting(text) is
  'The value of a deployment setting, or null when it is missing or blank.';

revoke execute on all functions in schema private from public;
