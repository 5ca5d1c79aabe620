/*
 * The one permission matcher of the platform (spec §6.1). Matching is defined once, by
 * private.permission_candidates (every grant that would cover a wanted permission);
 * private.permission_matches and the fast has_permission() lookup both use it, so module
 * gating, policies and the "you cannot grant what you do not hold" guard cannot drift apart
 * as the original's three matchers did.
 *
 * Permissions are `module:resource:action`, lower-case words. A granted permission may use
 * `*` in any position; the action `manage` implies every action of the same module:resource.
 * A `*` in the wanted permission is literal: it is only covered by a `*` (or `manage` for the
 * action) in the granted one, so has_permission('*:*:*') is true only for super-admins and the
 * same function answers "does grant A cover grant B" for the escalation guard.
 */

create or replace function private.permission_candidates(wanted text)
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  _m text := pg_catalog.split_part(wanted, ':', 1);
  _r text := pg_catalog.split_part(wanted, ':', 2);
  _a text := pg_catalog.split_part(wanted, ':', 3);
begin
  return array[
    _m || ':' || _r || ':' || _a, _m || ':' || _r || ':*', _m || ':' || _r || ':manage',
    _m || ':*:' || _a,            _m || ':*:*',            _m || ':*:manage',
    '*:' || _r || ':' || _a,      '*:' || _r || ':*',      '*:' || _r || ':manage',
    '*:*:' || _a,                 '*:*:*',                 '*:*:manage'];
end
$$;
comment on function private.permission_candidates(text) is
  'Every grant that covers the wanted permission: each position as wanted or *, and the action '
  'also as manage. The definition of matching; lets lookups compare strings instead of parsing.';
grant execute on function private.permission_candidates(text) to authenticated, service_role;

create or replace function private.permission_matches(granted text, wanted text)
returns boolean
language sql
immutable
parallel safe
-- No SET clause so the planner can inline it; operators are schema-qualified instead.
as $$
  select granted operator(pg_catalog.=) any (private.permission_candidates(wanted))
$$;
comment on function private.permission_matches(text, text) is
  'True when the granted permission (may contain * and manage) covers the wanted one. '
  'The single matcher used by every permission check.';
grant execute on function private.permission_matches(text, text) to authenticated, service_role;

create or replace function private.is_permission_pattern(permission text)
returns boolean
language sql
immutable
parallel safe
-- Used in check constraints; inlinable, hence no SET clause and a qualified operator.
as $$
  select permission operator(pg_catalog.~) '^([a-z][a-z0-9_]*|\*):([a-z][a-z0-9_]*|\*):([a-z][a-z0-9_]*|\*)$'
$$;
comment on function private.is_permission_pattern(text) is
  'Format check for a grantable permission: module:resource:action, lower-case words or *.';
grant execute on function private.is_permission_pattern(text) to authenticated, service_role;

create or replace function private.assert_permission_pattern(permission text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if permission is null or not private.is_permission_pattern(permission) then
    raise exception 'malformed permission "%": expected module:resource:action (lower-case words or *)',
      coalesce(permission, 'null')
      using errcode = '22023';
  end if;
end
$$;
comment on function private.assert_permission_pattern(text) is
  'Raises 22023 naming the string when it is not a well-formed permission.';
grant execute on function private.assert_permission_pattern(text) to authenticated, service_role;

revoke execute on all functions in schema private from public;
