/*
 * The `private` schema: helpers that policies, triggers and the public API call, never exposed
 * over the REST API (config.toml lists only public and graphql_public).
 *
 * API roles get USAGE so row-level-security policies can call the few argument-free helpers
 * that only ever answer questions about the caller; every other private function stays
 * unexecutable by them (functions here are revoked from PUBLIC by default).
 */
create schema if not exists private;
comment on schema private is
  'Internal helpers for policies, triggers and the public API. Not exposed over REST.';

revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Postgres grants EXECUTE to PUBLIC on every new function and per-schema default privileges
-- cannot take that away, so each migration that adds private functions ends by revoking it;
-- API roles get EXECUTE only where a grant below says so.

/*
 * `updated_at` maintenance shared by every table that has the column.
 */
create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
comment on function private.touch_updated_at() is
  'Trigger: stamps updated_at with the transaction time on every update.';

/*
 * Columns every table has mean the same everywhere; this writes their Studio comments once,
 * so each migration only describes the columns that carry business meaning.
 */
create or replace function private.comment_standard_columns(_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
declare
  _column record;
begin
  for _column in
    select a.attname, a.attnum, d.description
    from pg_catalog.pg_attribute a
    join (values
      ('id', 'Primary key.'),
      ('created_at', 'When the row was created.'),
      ('updated_at', 'When the row was last changed (set by trigger).'),
      ('created_by', 'User who created the row; null when created by the system.')
    ) as d (name, description) on d.name = a.attname
    where a.attrelid = _table and a.attnum > 0 and not a.attisdropped
      and pg_catalog.col_description(_table, a.attnum) is null
  loop
    execute pg_catalog.format('comment on column %s.%I is %L', _table, _column.attname, _column.description);
  end loop;
end
$$;
comment on function private.comment_standard_columns(regclass) is
  'Writes the shared comments of id, created_at, updated_at and created_by on a table.';

/*
 * Guard triggers must tell apart the API roles from trusted code: migrations, seeds and the
 * service role run as themselves; our own security-definer functions run as their owner after
 * doing their own checks. Guard triggers are security invoker so current_user is the caller.
 */
create or replace function private.is_api_caller()
returns boolean
language sql
stable
set search_path = ''
as $$
  select current_user in ('authenticated', 'anon')
$$;
comment on function private.is_api_caller() is
  'True when the statement runs as an end-user API role (authenticated/anon) rather than as '
  'the service role, a migration, or a security-definer function acting after its own checks.';
grant execute on function private.is_api_caller() to authenticated, service_role;

revoke execute on all functions in schema private from public;
