/*
 * Adding and deleting a location through the API (the chat agent's admin tools, later the
 * SPA). Company schemas are not exposed over REST (config.toml [api] schemas), so these two
 * functions in public route a write to <company>.locations. They run as the caller
 * (security invoker): the row goes through that schema's own policies
 * (assets:locations:create / :delete in that company), so the functions grant nothing — they
 * pick the schema after checking the company exists, accept only known columns, and turn
 * failures into errors that name the problem.
 *
 * Deleting cascades to the location's photos, frames, rate cards and occupations, so a location
 * with a booking that is not over yet is refused: deactivate it instead (is_active = false).
 */

create or replace function private.assert_company_schema(_company text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if _company is null or not exists (
    select 1 from public.companies c
    where c.slug = _company and not c.is_group and c.schema_provisioned_at is not null
  ) then
    raise exception 'unknown company "%"', coalesce(_company, 'null')
      using errcode = '22023', hint = 'Use the slug of a company, e.g. backlite_dubai.';
  end if;
end
$$;
comment on function private.assert_company_schema(text) is
  'Raises 22023 unless the slug names a provisioned leaf company (so it is safe as a schema name).';
grant execute on function private.assert_company_schema(text) to authenticated, service_role;

create or replace function private.open_location_bookings(_company text, _location_id uuid)
returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _count integer;
begin
  perform private.assert_company_schema(_company);
  -- Counted past RLS: a deleter who may not read occupations must still be stopped by them.
  execute pg_catalog.format(
    'select count(*)::integer from %I.location_occupations
     where location_id = $1 and status not in (''cancelled'', ''completed'') and end_date >= current_date',
    _company)
    using _location_id into _count;
  return _count;
end
$$;
comment on function private.open_location_bookings(text, uuid) is
  'Number of occupations of a location that are neither cancelled nor completed and not over yet.';
grant execute on function private.open_location_bookings(text, uuid) to authenticated, service_role;

create or replace function public.add_location(company text, location jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  _allowed constant text[] := array[
    'location_key', 'display_name', 'display_type', 'series', 'height', 'width', 'number_of_faces',
    'sov_percent', 'spot_duration', 'loop_duration', 'upload_fee', 'city', 'area', 'country',
    'address', 'gps_lat', 'gps_lng', 'is_active', 'template_path', 'notes'];
  _unknown text;
  _columns text;
  _values text;
  _row jsonb;
begin
  perform private.assert_company_schema(company);
  if location is null or pg_catalog.jsonb_typeof(location) <> 'object' then
    raise exception 'location: must be a JSON object of location fields' using errcode = '22023';
  end if;
  select pg_catalog.string_agg(k, ', ' order by k) into _unknown
  from pg_catalog.jsonb_object_keys(location) k
  where not (k = any (_allowed));
  if _unknown is not null then
    raise exception 'location: unknown field(s) %', _unknown
      using errcode = '22023', hint = 'Known fields: ' || pg_catalog.array_to_string(_allowed, ', ');
  end if;
  if not private.company_permits(company, array['assets:locations:create']) then
    raise exception 'adding a location to % needs assets:locations:create in that company', company
      using errcode = '42501';
  end if;
  if location ? 'location_key' then
    location := location || pg_catalog.jsonb_build_object('location_key', pg_catalog.lower(location ->> 'location_key'));
  end if;

  select pg_catalog.string_agg(pg_catalog.format('%I', k), ', ' order by k),
         pg_catalog.string_agg(pg_catalog.format('r.%I', k), ', ' order by k)
    into _columns, _values
  from pg_catalog.jsonb_object_keys(location) k;
  if _columns is null then
    raise exception 'location: location_key, display_name and display_type are required' using errcode = '22023';
  end if;

  begin
    execute pg_catalog.format(
      'insert into %1$I.locations (%2$s) select %3$s from pg_catalog.jsonb_populate_record(null::%1$I.locations, $1) r
       returning pg_catalog.to_jsonb(locations.*)',
      company, _columns, _values)
      using location into _row;
  exception
    when unique_violation then
      raise exception 'location "%" already exists in %', location ->> 'location_key', company using errcode = '23505';
    when not_null_violation then
      raise exception 'location: %', sqlerrm
        using errcode = '22023', hint = 'location_key, display_name and display_type are required.';
    when check_violation or invalid_text_representation or numeric_value_out_of_range then
      raise exception 'location: %', sqlerrm using errcode = '22023';
  end;
  return pg_catalog.jsonb_build_object('company', company) || _row;
end
$$;
comment on function public.add_location(text, jsonb) is
  'Adds a location to a company''s inventory as the caller (RLS: assets:locations:create in that '
  'company). location holds location_key, display_name, display_type and optional fields of '
  '<company>.locations. Returns the new row with its company. 22023 bad input, 23505 duplicate key, '
  '42501 not allowed.';
revoke execute on function public.add_location(text, jsonb) from public, anon;
grant execute on function public.add_location(text, jsonb) to authenticated;

create or replace function public.delete_location(company text, location_key text)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  _row jsonb;
  _open integer;
begin
  perform private.assert_company_schema(company);
  if not private.company_permits(company, array['assets:locations:delete']) then
    raise exception 'deleting a location of % needs assets:locations:delete in that company', company
      using errcode = '42501';
  end if;
  execute pg_catalog.format('select pg_catalog.to_jsonb(l) from %I.locations l where l.location_key = $1', company)
    using pg_catalog.lower(location_key) into _row;
  if _row is null then
    raise exception 'unknown location "%" in %', coalesce(location_key, 'null'), company using errcode = '22023';
  end if;
  _open := private.open_location_bookings(company, (_row ->> 'id')::uuid);
  if _open > 0 then
    raise exception 'location "%" has % current or upcoming booking(s) and cannot be deleted', location_key, _open
      using errcode = '22023', hint = 'Deactivate it instead (is_active = false), or cancel the bookings first.';
  end if;
  execute pg_catalog.format('delete from %I.locations where id = $1 returning pg_catalog.to_jsonb(locations.*)', company)
    using (_row ->> 'id')::uuid into _row;
  if _row is null then
    raise exception 'deleting a location of % needs assets:locations:delete in that company', company
      using errcode = '42501';
  end if;
  return pg_catalog.jsonb_build_object('company', company) || _row;
end
$$;
comment on function public.delete_location(text, text) is
  'Deletes a location (and its photos, frames, rate cards, occupations) as the caller (RLS: '
  'assets:locations:delete in that company); refused while it has bookings that are not over. '
  'Returns the deleted row. Audited by the locations deletion trigger.';
revoke execute on function public.delete_location(text, text) from public, anon;
grant execute on function public.delete_location(text, text) to authenticated;

revoke execute on all functions in schema private from public;
