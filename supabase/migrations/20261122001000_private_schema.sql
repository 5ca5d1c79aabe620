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

-- New functions here must be granted one by one; nobody inherits EXECUTE through PUBLIC.
alter default privileges for role postgres in schema private revoke execute on functions from public;

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
grant execute on function private.is_api_caller() to authenticated, anon, service_role;
