/*
 * One guard for every business table (proposals, booking orders, mockups, …), so API writes
 * fail with a message that names the problem instead of a bare RLS violation:
 *   - a record is created for the caller (owner_id = caller), in a company the caller can
 *     access, and only with the table's create permission (trigger argument 1, may be '');
 *   - ownership moves only by an admin; a record moves company only into one the caller can
 *     access.
 * The policies on each table say the same thing again; the trigger just explains it first.
 * Service role, seeds and security-definer functions are trusted and pass through.
 */

create or replace function private.check_record_write()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _noun text := tg_argv[0];
  _create_permission text := nullif(tg_argv[1], '');
  _new jsonb := pg_catalog.to_jsonb(new);
  _old jsonb;
begin
  if not private.is_api_caller() then
    return new;
  end if;

  if tg_op = 'INSERT' then
    if (_new ->> 'owner_id')::uuid is distinct from auth.uid() then
      raise exception 'a % can only be created with yourself as owner', _noun using errcode = '42501';
    end if;
    if _create_permission is not null and not private.has_permission(_create_permission) then
      raise exception 'creating a % needs %', _noun, _create_permission using errcode = '42501';
    end if;
    if _new ? 'company' and _new ->> 'company' is not null
       and not ((_new ->> 'company') = any (private.accessible_companies())) then
      raise exception 'you have no access to company "%"', _new ->> 'company' using errcode = '42501';
    end if;
    return new;
  end if;

  _old := pg_catalog.to_jsonb(old);
  if _new -> 'owner_id' is distinct from _old -> 'owner_id' and not private.is_admin() then
    raise exception 'only administrators can give a % to another owner', _noun using errcode = '42501';
  end if;
  if _new ? 'company' and _new -> 'company' is distinct from _old -> 'company'
     and not coalesce((_new ->> 'company') = any (private.accessible_companies()), false) then
    raise exception 'you have no access to company "%"', coalesce(_new ->> 'company', 'null')
      using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function private.check_record_write() is
  'Trigger (args: noun, create permission): clear errors for creating records for others, '
  'without the create permission, in foreign companies, or re-owning them.';

revoke execute on all functions in schema private from public;
