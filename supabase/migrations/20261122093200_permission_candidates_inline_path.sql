/*
 * private.permission_candidates without a SET clause. Every permission check calls it at run
 * time (has_permission, companies_with_permission, company_reach), and entering and leaving a
 * function that sets search_path cost more than building the twelve candidates. The body only
 * uses schema-qualified functions and operators, so it does not depend on the caller's
 * search_path; results are unchanged.
 */

create or replace function private.permission_candidates(wanted text)
returns text[]
language plpgsql
immutable
parallel safe
as $$
declare
  _m text := pg_catalog.split_part(wanted, ':', 1);
  _r text := pg_catalog.split_part(wanted, ':', 2);
  _a text := pg_catalog.split_part(wanted, ':', 3);
begin
  return array[
    _m operator(pg_catalog.||) ':' operator(pg_catalog.||) _r operator(pg_catalog.||) ':' operator(pg_catalog.||) _a,
    _m operator(pg_catalog.||) ':' operator(pg_catalog.||) _r operator(pg_catalog.||) ':*',
    _m operator(pg_catalog.||) ':' operator(pg_catalog.||) _r operator(pg_catalog.||) ':manage',
    _m operator(pg_catalog.||) ':*:' operator(pg_catalog.||) _a,
    _m operator(pg_catalog.||) ':*:*',
    _m operator(pg_catalog.||) ':*:manage',
    '*:' operator(pg_catalog.||) _r operator(pg_catalog.||) ':' operator(pg_catalog.||) _a,
    '*:' operator(pg_catalog.||) _r operator(pg_catalog.||) ':*',
    '*:' operator(pg_catalog.||) _r operator(pg_catalog.||) ':manage',
    '*:*:' operator(pg_catalog.||) _a,
    '*:*:*', '*:*:manage'];
end
$$;
comment on function private.permission_candidates(text) is
  'Every grant that covers the wanted permission: each position as wanted or *, and the action '
  'also as manage. The definition of matching; lets lookups compare strings instead of parsing.';
