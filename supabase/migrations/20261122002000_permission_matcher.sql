/*
 * The one permission matcher of the platform (spec §6.1). Every check — has_permission(),
 * module gating, the "you cannot grant what you do not hold" guard — goes through
 * private.permission_matches so the rules cannot drift apart as they did in the original.
 *
 * Permissions are `module:resource:action`, lower-case words. A granted permission may use
 * `*` in any position; the action `manage` implies every action of the same module:resource.
 * A `*` in the wanted permission is literal: it is only covered by a `*` (or `manage` for the
 * action) in the granted one, so has_permission('*:*:*') is true only for super-admins and the
 * same function answers "does grant A cover grant B" for the escalation guard.
 */

create or replace function private.permission_matches(granted text, wanted text)
returns boolean
language sql
immutable
parallel safe
-- No SET clause on purpose: it would stop the planner from inlining this into callers.
as $$
  select granted = wanted
      or granted = '*:*:*'
      or (
            (pg_catalog.split_part(granted, ':', 1) in ('*', pg_catalog.split_part(wanted, ':', 1)))
        and (pg_catalog.split_part(granted, ':', 2) in ('*', pg_catalog.split_part(wanted, ':', 2)))
        and (pg_catalog.split_part(granted, ':', 3) in ('*', 'manage', pg_catalog.split_part(wanted, ':', 3)))
      )
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
as $$
  select permission ~ '^([a-z][a-z0-9_]*|\*):([a-z][a-z0-9_]*|\*):([a-z][a-z0-9_]*|\*)$'
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
