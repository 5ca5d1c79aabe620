/*
 * Shared by the request APIs (quote_proposal, request_proposal, request_mockup): reading
 * fields out of a JSON request with errors that name the field (22023), and resolving a
 * location the way a sales person names it.
 *
 * Location resolution (spec §1.2, fixed per §11.26): case-insensitive, trimmed; an exact key
 * (spaces and hyphens may stand for its underscores), else an exact display name — never a
 * "first substring hit". Only active locations of the
 * caller's companies are searched, and only when the caller may read inventory at all (the
 * same permissions as the company schemas' read policies), so a key of another company gives
 * exactly the answer an unknown key gives: `unknown location "x"`. The closest of the
 * caller's own locations go into the error's HINT. A key that exists in two of the caller's
 * companies must be disambiguated with the item's optional `company`.
 */

-- ---------------------------------------------------------------------------------------------
-- Request fields

create or replace function private.json_text(_value jsonb, _field text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if _value is null or jsonb_typeof(_value) = 'null' then
    return null;
  end if;
  if jsonb_typeof(_value) <> 'string' then
    raise exception '%: must be a string, got %', _field, jsonb_typeof(_value) using errcode = '22023';
  end if;
  return _value #>> '{}';
end
$$;
comment on function private.json_text(jsonb, text) is
  'A JSON string field as text (missing or null → null); anything else raises 22023 naming the field.';
grant execute on function private.json_text(jsonb, text) to authenticated;

create or replace function private.parse_integer(_value jsonb, _field text, _min integer, _max integer)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
declare
  _number numeric;
begin
  if _value is null or jsonb_typeof(_value) = 'null' then
    return null;
  end if;
  if jsonb_typeof(_value) = 'number' then
    _number := (_value #>> '{}')::numeric;
  elsif jsonb_typeof(_value) = 'string' and btrim(_value #>> '{}') ~ '^\d{1,9}$' then
    _number := btrim(_value #>> '{}')::numeric;
  end if;
  if _number is null or _number <> trunc(_number) or _number not between _min and _max then
    raise exception '%: must be a whole number from % to %, got %', _field, _min, _max, _value::text
      using errcode = '22023';
  end if;
  return _number::integer;
end
$$;
comment on function private.parse_integer(jsonb, text, integer, integer) is
  'A whole number (JSON number or digit string) within bounds; null when missing; else 22023 naming the field.';

create or replace function private.parse_iso_date(_value jsonb, _field text)
returns date
language plpgsql
immutable
set search_path = ''
as $$
declare
  _text text := private.json_text(_value, _field);
begin
  if _text is null then
    return null;
  end if;
  if btrim(_text) ~ '^\d{4}-\d{2}-\d{2}$' then
    begin
      return btrim(_text)::date;
    exception when datetime_field_overflow or invalid_datetime_format then
      null;
    end;
  end if;
  raise exception '%: must be an ISO date (YYYY-MM-DD), got "%"', _field, _text using errcode = '22023';
end
$$;
comment on function private.parse_iso_date(jsonb, text) is
  'An ISO calendar date (YYYY-MM-DD, must exist); null when missing; else 22023 naming the field.';

create or replace function private.parse_aed(_value jsonb, _field text)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  _text text;
  _amount numeric;
begin
  if _value is null or jsonb_typeof(_value) = 'null' then
    return null;
  end if;
  if jsonb_typeof(_value) = 'number' then
    -- jsonb numbers are numeric already: no float ever sits in between.
    _amount := (_value #>> '{}')::numeric;
  elsif jsonb_typeof(_value) = 'string' then
    _text := btrim(_value #>> '{}');
    if _text !~* '^(AED\s*)?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$' then
      raise exception '%: "%" is not an amount in AED (digits with optional thousands commas, an optional leading AED and up to 2 decimals)',
        _field, _value #>> '{}' using errcode = '22023';
    end if;
    _amount := replace(regexp_replace(_text, '^AED\s*', '', 'i'), ',', '')::numeric;
  else
    raise exception '%: must be an amount in AED (number or string), got %', _field, jsonb_typeof(_value)
      using errcode = '22023';
  end if;
  if _amount < 0 then
    raise exception '%: must not be negative, got %', _field, _amount using errcode = '22023';
  end if;
  if _amount <> round(_amount, 2) then
    raise exception '%: at most 2 decimals, got %', _field, _amount using errcode = '22023';
  end if;
  if _amount >= 10000000000 then
    raise exception '%: % is more than AED 9,999,999,999.99', _field, _amount using errcode = '22023';
  end if;
  return _amount;
end
$$;
comment on function private.parse_aed(jsonb, text) is
  'An AED amount from a JSON number or a string like "AED 1,250,000.50"; null when missing. '
  'Negative, malformed, over 2 decimals or absurdly large raises 22023 naming the field.';

-- ---------------------------------------------------------------------------------------------
-- Locations

create or replace function private.text_similarity(_a text, _b text)
returns real
language sql
immutable
set search_path = ''
as $$
  with a as (
    select distinct substr(x.s, i, 3) as gram
    from (select '  ' || lower(regexp_replace(coalesce(_a, ''), '[^[:alnum:]]+', ' ', 'g')) || ' ' as s) x,
         generate_series(1, length(x.s) - 2) i
  ), b as (
    select distinct substr(x.s, i, 3) as gram
    from (select '  ' || lower(regexp_replace(coalesce(_b, ''), '[^[:alnum:]]+', ' ', 'g')) || ' ' as s) x,
         generate_series(1, length(x.s) - 2) i
  )
  select coalesce((count(*) filter (where a.gram is not null and b.gram is not null))::real
                  / nullif(count(*), 0)::real, 0)
  from a full join b on a.gram = b.gram
$$;
comment on function private.text_similarity(text, text) is
  'Share of common letter trigrams of two names, 0–1 (punctuation and underscores count as spaces); '
  'ranks "did you mean" suggestions.';

create or replace function private.find_location(_query text, _company text default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _needle text := lower(btrim(coalesce(_query, '')));
  _companies text[];
  _matches jsonb[];
  _hint text;
  _location jsonb;
begin
  if _needle = '' then
    raise exception 'location: required' using errcode = '22023';
  end if;

  -- Companies whose inventory the caller may read (the company schemas' read policies).
  if private.has_permission('assets:locations:read') or private.has_permission('sales:proposals:read')
     or private.has_permission('sales:proposals:create') or private.has_permission('sales:mockups:read')
     or private.has_permission('sales:mockups:generate') or private.has_permission('sales:mockups:setup')
     or private.has_permission('sales:booking_orders:read') then
    _companies := private.accessible_companies();
  else
    _companies := '{}';
  end if;
  if _company is not null then
    _companies := array(select c from unnest(_companies) c where c = lower(btrim(_company)));
  end if;

  select array_agg(pg_catalog.to_jsonb(l) order by l.company) into _matches
  from public.all_locations l
  where l.company = any (_companies) and l.is_active
    and l.location_key in (_needle, regexp_replace(_needle, '[\s-]+', '_', 'g'));
  if _matches is null then
    select array_agg(pg_catalog.to_jsonb(l) order by l.company) into _matches
    from public.all_locations l
    where l.company = any (_companies) and l.is_active and lower(btrim(l.display_name)) = _needle;
  end if;

  if _matches is null then
    select string_agg(pg_catalog.format('%s (%s)', s.location_key, s.display_name), ', ' order by s.score desc, s.location_key)
      into _hint
    from (
      select l.location_key, l.display_name,
             greatest(private.text_similarity(_needle, l.location_key),
                      private.text_similarity(_needle, l.display_name)) as score
      from public.all_locations l
      where l.company = any (_companies) and l.is_active
      order by 3 desc, l.location_key
      limit 3
    ) s
    where s.score >= 0.3;
    raise exception 'unknown location "%"', btrim(_query)
      using errcode = '22023',
            hint = coalesce('closest matches: ' || _hint, 'no similar location in your companies');
  end if;
  if cardinality(_matches) > 1 then
    raise exception 'location "%" exists in several of your companies (%): add "company" to choose one',
      btrim(_query), (select string_agg(m ->> 'company', ', ') from unnest(_matches) m)
      using errcode = '22023';
  end if;

  _location := _matches[1];
  return _location || pg_catalog.jsonb_build_object('photo_path', (
    select p.storage_path
    from public.all_location_photos p
    where p.company = _location ->> 'company' and p.location_id = (_location ->> 'id')::uuid
    order by p.is_primary desc, (p.environment = 'outdoor' and p.time_of_day = 'day') desc, p.created_at, p.storage_path
    limit 1));
end
$$;
comment on function private.find_location(text, text) is
  'Resolves a location key or display name (case-insensitive, exact) among the active locations '
  'of the caller''s companies, optionally within one company. Returns the location row as JSON '
  'plus company and photo_path (primary photo). Unknown and foreign keys raise the same 22023 '
  '"unknown location" with the closest of the caller''s own locations in the hint.';
grant execute on function private.find_location(text, text) to authenticated;

revoke execute on all functions in schema private from public;
