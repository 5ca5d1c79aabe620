/*
 * public.held_permissions(permissions text[]): which of these permissions does the caller
 * hold? One round trip for a server that must decide many things at once — the chat agent
 * offers each tool only when its permission is held — answered by the platform's single
 * matcher (wildcards, manage), so no second matcher is written in TypeScript (§6.1).
 */

create or replace function public.held_permissions(permissions text[])
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _permission text;
begin
  if permissions is null then
    return '{}';
  end if;
  if pg_catalog.cardinality(permissions) > 200 then
    raise exception 'permissions: at most 200 at a time, got %', pg_catalog.cardinality(permissions)
      using errcode = '22023';
  end if;
  foreach _permission in array permissions loop
    perform private.assert_permission_pattern(_permission);
  end loop;
  return array(
    select p.permission
    from pg_catalog.unnest(permissions) with ordinality as p (permission, position)
    where private.user_has_permission(auth.uid(), p.permission)
    group by p.permission
    order by min(p.position));
end
$$;
comment on function public.held_permissions(text[]) is
  'The subset of the given permissions (module:resource:action) the signed-in user holds, in the '
  'order given, without duplicates. Same matching as has_permission; malformed strings raise 22023.';
revoke execute on function public.held_permissions(text[]) from public, anon;
grant execute on function public.held_permissions(text[]) to authenticated, service_role;
