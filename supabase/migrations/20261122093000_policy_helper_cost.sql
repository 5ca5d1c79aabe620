/*
 * Cheaper policy helpers, same answers. Every list query on a business table calls the
 * per-statement helpers of its policy once each (visible_owner_ids, companies_with_permission,
 * shared_record_ids, is_admin), and on a page of 50 rows that fixed cost is a large share of
 * what RLS adds (measured with `npm run bench:rls` and instruction counts of the backend). Most of a
 * helper's cost is per call, not per row: entering a security-definer function with its own
 * search_path, parsing the JWT claims behind auth.uid(), and starting the executor for each SQL
 * statement inside it. So the helpers below
 *   - read the caller's id once into a variable (auth.uid() parses request.jwt.claims), then
 *     look the row up by that plain value,
 *   - read private.user_access once and decide from the arrays in hand instead of calling
 *     user_has_permission / accessible_companies / user_is_admin, each a security-definer call
 *     that read the same row again (companies_with_permission read it three times).
 * The grant rule itself (a grant covers the permission, expiring grants only while live) now
 * lives in private.grants_cover, which user_has_permission uses as well.
 */

create or replace function private.live_expiring_grant(
  _expiring_grants text[], _expiring_until timestamptz[], _candidates text[])
returns boolean
language plpgsql
stable
-- No SET clause: entering and leaving one costs more than the loop. Only security-definer
-- helpers with search_path = '' call it, and every operator is schema-qualified.
as $$
begin
  for i in 1 .. pg_catalog.cardinality(_expiring_grants) loop
    if _expiring_grants[i] operator(pg_catalog.=) any (_candidates)
       and _expiring_until[i] operator(pg_catalog.>) pg_catalog.now() then
      return true;
    end if;
  end loop;
  return false;
end
$$;
comment on function private.live_expiring_grant(text[], timestamptz[], text[]) is
  'True when one of the expiring grants is among the candidates and has not expired yet.';

create or replace function private.grants_cover(
  _grants text[], _expiring_grants text[], _expiring_until timestamptz[], _candidates text[])
returns boolean
language sql
stable
-- No SET clause so PL/pgSQL callers get it inlined into their expression (no call per check);
-- operators and functions are schema-qualified instead. The loop only runs when an expiring
-- grant could match.
as $$
  select _grants operator(pg_catalog.&&) _candidates
      or (_expiring_grants operator(pg_catalog.&&) _candidates
          and private.live_expiring_grant(_expiring_grants, _expiring_until, _candidates))
$$;
comment on function private.grants_cover(text[], text[], timestamptz[], text[]) is
  'The grant rule on one user_access row: a permanent grant among the candidates '
  '(private.permission_candidates of the wanted permission), or a live expiring one.';

create or replace function private.user_has_permission(_user uuid, _wanted text)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _candidates text[] := private.permission_candidates(_wanted);
  _grants text[];
  _expiring_grants text[];
  _expiring_until timestamptz[];
begin
  select a.grants, a.expiring_grants, a.expiring_until
    into _grants, _expiring_grants, _expiring_until
  from private.user_access a where a.user_id = _user;
  return found and private.grants_cover(_grants, _expiring_grants, _expiring_until, _candidates);
end
$$;
comment on function private.user_has_permission(uuid, text) is
  'True when the user is active and a profile or live permission-set grant covers the permission.';

create or replace function private.is_admin()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _grants text[];
  _expiring_grants text[];
  _expiring_until timestamptz[];
begin
  select a.grants, a.expiring_grants, a.expiring_until
    into _grants, _expiring_grants, _expiring_until
  from private.user_access a where a.user_id = _uid;
  -- The candidates of a constant are folded once when PL/pgSQL plans this expression.
  return found and private.grants_cover(_grants, _expiring_grants, _expiring_until,
                                        private.permission_candidates('core:system:admin'));
end
$$;
comment on function private.is_admin() is 'Policy helper: the caller is an administrator.';

create or replace function private.visible_owner_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _owners uuid[];
begin
  select a.visible_owner_ids into _owners from private.user_access a where a.user_id = _uid;
  return coalesce(_owners, '{}');
end
$$;
comment on function private.visible_owner_ids() is
  'Policy helper: owners whose records the caller sees by ownership or leadership. Use as '
  'owner_id in (select unnest((select private.visible_owner_ids()))): evaluated once per '
  'statement and probed through a hash.';

create or replace function private.companies_with_permission(_permission text)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _candidates text[] := private.permission_candidates(_permission);
  _grants text[];
  _expiring_grants text[];
  _expiring_until timestamptz[];
  _leaves text[];
begin
  select a.grants, a.expiring_grants, a.expiring_until, a.leaf_companies
    into _grants, _expiring_grants, _expiring_until, _leaves
  from private.user_access a where a.user_id = _uid;
  if not found or not private.grants_cover(_grants, _expiring_grants, _expiring_until, _candidates) then
    return '{}';
  end if;
  -- As private.accessible_companies: administrators act for every leaf company.
  if private.grants_cover(_grants, _expiring_grants, _expiring_until,
                          private.permission_candidates('core:system:admin')) then
    return array(select c.slug from public.companies c where not c.is_group order by c.slug);
  end if;
  return _leaves;
end
$$;
comment on function private.companies_with_permission(text) is
  'Policy helper: the caller''s leaf companies if the caller holds the permission, else none.';

revoke execute on all functions in schema private from public;
grant execute on function private.is_admin() to authenticated, service_role;
grant execute on function private.visible_owner_ids() to authenticated, service_role;
grant execute on function private.companies_with_permission(text) to authenticated, service_role;
