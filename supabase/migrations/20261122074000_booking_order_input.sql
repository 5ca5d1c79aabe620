/*
 * The booking-order input shape (spec §3.2) — the 19 extracted fields — checked in one place
 * for both the extraction (create_booking_order) and the coordinator's edits (JSON patch):
 *
 *   strings       bo_number, client, agency, brand_campaign, category, payment_terms,
 *                 sales_person, notes (trimmed; blank = null)
 *   date          bo_date: YYYY-MM-DD, DD/MM/YYYY (MM/DD/YYYY when the day-first reading is
 *                 impossible), DD-MM-YYYY or YYYY/MM/DD (§3.3); the date must exist
 *   asset         a string, an array of strings, or null → stored as a list
 *   currency      a code of public.currencies (null → AED); anything else 22023 listing them
 *   fractions     commission_pct, sla_pct: 0 to 1 (10 % is 0.10; 10 is refused, not guessed)
 *   money         municipality_fee, production_upload_fee, net_pre_vat, vat_value, gross_amount:
 *                 a JSON number or a digit string with optional thousands commas; not negative;
 *                 rounded half away from zero to 2 decimals (even splits give more)
 *   locations     an array (≤ 200) of {name, asset, start_date, end_date (YYYY-MM-DD or the
 *                 formats above), campaign_duration, net_amount (money)}; always the full list
 * Keys may be absent (= null on create, = unchanged in a patch); unknown keys, in the order or
 * in a location, are refused with 22023 naming them — a typo never disappears silently.
 * Computed figures (vat_calc, gross_calc, sla_deduction, net_excl_sla_calc, post_sla_amount)
 * are not input: they are refused with a message saying they are computed.
 */

create or replace function private.booking_order_input_fields()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['bo_number', 'bo_date', 'client', 'agency', 'brand_campaign', 'category', 'asset',
               'payment_terms', 'sales_person', 'currency', 'commission_pct', 'sla_pct',
               'municipality_fee', 'production_upload_fee', 'net_pre_vat', 'vat_value', 'gross_amount',
               'notes', 'locations']
$$;
comment on function private.booking_order_input_fields() is 'The 19 extracted fields of spec §3.2, in order.';

create or replace function private.bo_text(_value jsonb, _field text, _max integer)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  _text text := nullif(pg_catalog.btrim(private.json_text(_value, _field)), '');
begin
  if pg_catalog.length(_text) > _max then
    raise exception '%: at most % characters, got %', _field, _max, pg_catalog.length(_text) using errcode = '22023';
  end if;
  return _text;
end
$$;
comment on function private.bo_text(jsonb, text, integer) is
  'A JSON string field, trimmed (blank → null), at most _max characters; else 22023 naming the field.';

create or replace function private.bo_money(_value jsonb, _field text)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  _text text;
  _amount numeric;
begin
  if _value is null or pg_catalog.jsonb_typeof(_value) = 'null' then
    return null;
  end if;
  if pg_catalog.jsonb_typeof(_value) = 'number' then
    _amount := (_value #>> '{}')::numeric;
  elsif pg_catalog.jsonb_typeof(_value) = 'string' then
    _text := pg_catalog.btrim(_value #>> '{}');
    if _text !~ '^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$' then
      raise exception '%: "%" is not an amount (digits, optional thousands commas and decimals, no currency sign)',
        _field, _value #>> '{}' using errcode = '22023';
    end if;
    _amount := pg_catalog.replace(_text, ',', '')::numeric;
  else
    raise exception '%: must be an amount (number or string), got %', _field, pg_catalog.jsonb_typeof(_value)
      using errcode = '22023';
  end if;
  if _amount < 0 then
    raise exception '%: must not be negative, got %', _field, _amount using errcode = '22023';
  end if;
  _amount := pg_catalog.round(_amount, 2);
  if _amount >= 1000000000000 then
    raise exception '%: % is too large (at most 999,999,999,999.99)', _field, _amount using errcode = '22023';
  end if;
  return _amount;
end
$$;
comment on function private.bo_money(jsonb, text) is
  'A non-negative amount from a JSON number or digit string (thousands commas allowed), rounded to 2 decimals; null when missing.';

create or replace function private.bo_fraction(_value jsonb, _field text)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  _fraction numeric;
begin
  if _value is null or pg_catalog.jsonb_typeof(_value) = 'null' then
    return null;
  end if;
  if pg_catalog.jsonb_typeof(_value) = 'number' then
    _fraction := (_value #>> '{}')::numeric;
  elsif pg_catalog.jsonb_typeof(_value) = 'string' and pg_catalog.btrim(_value #>> '{}') ~ '^\d+(\.\d+)?$' then
    _fraction := pg_catalog.btrim(_value #>> '{}')::numeric;
  else
    raise exception '%: must be a fraction (number), got %', _field, _value::text using errcode = '22023';
  end if;
  if _fraction < 0 or _fraction > 1 then
    raise exception '%: must be a fraction from 0 to 1 (10 %% is 0.10), got %', _field, _fraction using errcode = '22023';
  end if;
  if _fraction <> pg_catalog.round(_fraction, 4) then
    raise exception '%: at most 4 decimals (0.1250 = 12.5 %%), got %', _field, _fraction using errcode = '22023';
  end if;
  return _fraction;
end
$$;
comment on function private.bo_fraction(jsonb, text) is 'A fraction 0–1 with at most 4 decimals (0.10 = 10 %); null when missing; else 22023.';

create or replace function private.bo_date(_value jsonb, _field text)
returns date
language plpgsql
immutable
set search_path = ''
as $$
declare
  _text text := pg_catalog.btrim(private.json_text(_value, _field));
  _p text[];
begin
  if _text is null or _text = '' then
    return null;
  end if;
  begin
    if _text ~ '^\d{4}-\d{1,2}-\d{1,2}$' then
      _p := pg_catalog.string_to_array(_text, '-');
      return pg_catalog.make_date(_p[1]::integer, _p[2]::integer, _p[3]::integer);
    elsif _text ~ '^\d{4}/\d{1,2}/\d{1,2}$' then
      _p := pg_catalog.string_to_array(_text, '/');
      return pg_catalog.make_date(_p[1]::integer, _p[2]::integer, _p[3]::integer);
    elsif _text ~ '^\d{1,2}-\d{1,2}-\d{4}$' then
      _p := pg_catalog.string_to_array(_text, '-');
      return pg_catalog.make_date(_p[3]::integer, _p[2]::integer, _p[1]::integer);
    elsif _text ~ '^\d{1,2}/\d{1,2}/\d{4}$' then
      _p := pg_catalog.string_to_array(_text, '/');
      if _p[2]::integer <= 12 then
        return pg_catalog.make_date(_p[3]::integer, _p[2]::integer, _p[1]::integer);
      end if;
      return pg_catalog.make_date(_p[3]::integer, _p[1]::integer, _p[2]::integer);
    end if;
  exception when datetime_field_overflow or invalid_datetime_format or numeric_value_out_of_range then
    null;
  end;
  raise exception '%: "%" is not a date (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY or YYYY/MM/DD)', _field, _text
    using errcode = '22023';
end
$$;
comment on function private.bo_date(jsonb, text) is
  'A date in one of the §3.3 formats (day-first before month-first); null when missing; else 22023 naming the field.';

create or replace function private.booking_order_input(_data jsonb, _what text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _computed constant text[] := array['vat_calc', 'gross_calc', 'sla_deduction', 'net_excl_sla_calc', 'net_excl_sla',
                                     'rental_total', 'post_sla_amount', 'warnings', 'missing_fields', 'needs_review'];
  _location_fields constant text[] := array['name', 'asset', 'start_date', 'end_date', 'campaign_duration', 'net_amount'];
  _out jsonb := '{}'::jsonb;
  _unknown text;
  _asset jsonb;
  _location jsonb;
  _locations jsonb := '[]'::jsonb;
  _n integer := 0;
  _start date;
  _end date;
begin
  if _data is null or pg_catalog.jsonb_typeof(_data) <> 'object' then
    raise exception '%: must be a JSON object', _what using errcode = '22023';
  end if;
  select pg_catalog.string_agg(pg_catalog.format('"%s"', k), ', ' order by k) into _unknown
  from pg_catalog.jsonb_object_keys(_data) k where k = any (_computed);
  if _unknown is not null then
    raise exception '%: % computed by the platform (net, VAT, gross, SLA), not input', _what, _unknown
      using errcode = '22023', hint = 'send the stated figures net_pre_vat, vat_value, gross_amount, sla_pct or fees instead';
  end if;
  select pg_catalog.string_agg(pg_catalog.format('"%s"', k), ', ' order by k) into _unknown
  from pg_catalog.jsonb_object_keys(_data) k where not (k = any (private.booking_order_input_fields()));
  if _unknown is not null then
    raise exception '%: unknown field(s) %', _what, _unknown
      using errcode = '22023', hint = 'allowed: ' || pg_catalog.array_to_string(private.booking_order_input_fields(), ', ');
  end if;

  if _data ? 'bo_number' then _out := _out || pg_catalog.jsonb_build_object('bo_number', private.bo_text(_data -> 'bo_number', 'bo_number', 100)); end if;
  if _data ? 'bo_date' then _out := _out || pg_catalog.jsonb_build_object('bo_date', private.bo_date(_data -> 'bo_date', 'bo_date')); end if;
  if _data ? 'client' then _out := _out || pg_catalog.jsonb_build_object('client', private.bo_text(_data -> 'client', 'client', 200)); end if;
  if _data ? 'agency' then _out := _out || pg_catalog.jsonb_build_object('agency', private.bo_text(_data -> 'agency', 'agency', 200)); end if;
  if _data ? 'brand_campaign' then _out := _out || pg_catalog.jsonb_build_object('brand_campaign', private.bo_text(_data -> 'brand_campaign', 'brand_campaign', 200)); end if;
  if _data ? 'category' then _out := _out || pg_catalog.jsonb_build_object('category', private.bo_text(_data -> 'category', 'category', 100)); end if;
  if _data ? 'payment_terms' then _out := _out || pg_catalog.jsonb_build_object('payment_terms', private.bo_text(_data -> 'payment_terms', 'payment_terms', 200)); end if;
  if _data ? 'sales_person' then _out := _out || pg_catalog.jsonb_build_object('sales_person', private.bo_text(_data -> 'sales_person', 'sales_person', 200)); end if;
  if _data ? 'notes' then _out := _out || pg_catalog.jsonb_build_object('notes', private.bo_text(_data -> 'notes', 'notes', 5000)); end if;
  if _data ? 'currency' then
    _out := _out || pg_catalog.jsonb_build_object('currency',
      (private.currency(private.bo_text(_data -> 'currency', 'currency', 10))).code);
  end if;
  if _data ? 'commission_pct' then _out := _out || pg_catalog.jsonb_build_object('commission_pct', private.bo_fraction(_data -> 'commission_pct', 'commission_pct')); end if;
  if _data ? 'sla_pct' then _out := _out || pg_catalog.jsonb_build_object('sla_pct', private.bo_fraction(_data -> 'sla_pct', 'sla_pct')); end if;
  if _data ? 'municipality_fee' then _out := _out || pg_catalog.jsonb_build_object('municipality_fee', private.bo_money(_data -> 'municipality_fee', 'municipality_fee')); end if;
  if _data ? 'production_upload_fee' then _out := _out || pg_catalog.jsonb_build_object('production_upload_fee', private.bo_money(_data -> 'production_upload_fee', 'production_upload_fee')); end if;
  if _data ? 'net_pre_vat' then _out := _out || pg_catalog.jsonb_build_object('net_pre_vat', private.bo_money(_data -> 'net_pre_vat', 'net_pre_vat')); end if;
  if _data ? 'vat_value' then _out := _out || pg_catalog.jsonb_build_object('vat_value', private.bo_money(_data -> 'vat_value', 'vat_value')); end if;
  if _data ? 'gross_amount' then _out := _out || pg_catalog.jsonb_build_object('gross_amount', private.bo_money(_data -> 'gross_amount', 'gross_amount')); end if;

  if _data ? 'asset' then
    _asset := _data -> 'asset';
    case pg_catalog.jsonb_typeof(_asset)
      when 'null' then _out := _out || '{"asset": []}'::jsonb;
      when 'string' then
        _out := _out || pg_catalog.jsonb_build_object('asset',
          case when private.bo_text(_asset, 'asset', 100) is null then '[]'::jsonb
               else pg_catalog.jsonb_build_array(private.bo_text(_asset, 'asset', 100)) end);
      when 'array' then
        _out := _out || pg_catalog.jsonb_build_object('asset', (
          select coalesce(pg_catalog.jsonb_agg(t.code order by t.ord), '[]'::jsonb)
          from (select private.bo_text(e.value, pg_catalog.format('asset[%s]', e.ord - 1), 100) as code, e.ord
                from pg_catalog.jsonb_array_elements(_asset) with ordinality e (value, ord)) t
          where t.code is not null));
      else
        raise exception 'asset: must be a string, a list of strings or null, got %', pg_catalog.jsonb_typeof(_asset)
          using errcode = '22023';
    end case;
  end if;

  if _data ? 'locations' then
    if pg_catalog.jsonb_typeof(_data -> 'locations') = 'null' then
      _out := _out || '{"locations": []}'::jsonb;
    elsif pg_catalog.jsonb_typeof(_data -> 'locations') <> 'array' then
      raise exception 'locations: must be a list of locations (always the full list), got %', pg_catalog.jsonb_typeof(_data -> 'locations')
        using errcode = '22023';
    elsif pg_catalog.jsonb_array_length(_data -> 'locations') > 200 then
      raise exception 'locations: at most 200, got %', pg_catalog.jsonb_array_length(_data -> 'locations') using errcode = '22023';
    else
      for _location in select value from pg_catalog.jsonb_array_elements(_data -> 'locations') loop
        _n := _n + 1;
        if pg_catalog.jsonb_typeof(_location) <> 'object' then
          raise exception 'locations[%]: must be an object', _n - 1 using errcode = '22023';
        end if;
        select pg_catalog.string_agg(pg_catalog.format('"%s"', k), ', ' order by k) into _unknown
        from pg_catalog.jsonb_object_keys(_location) k where not (k = any (_location_fields));
        if _unknown is not null then
          raise exception 'locations[%]: unknown field(s) %', _n - 1, _unknown
            using errcode = '22023', hint = 'allowed: ' || pg_catalog.array_to_string(_location_fields, ', ');
        end if;
        _start := private.bo_date(_location -> 'start_date', pg_catalog.format('locations[%s].start_date', _n - 1));
        _end := private.bo_date(_location -> 'end_date', pg_catalog.format('locations[%s].end_date', _n - 1));
        if _end < _start then
          raise exception 'locations[%]: end_date % is before start_date %', _n - 1, _end, _start using errcode = '22023';
        end if;
        _locations := _locations || pg_catalog.jsonb_build_object(
          'name', private.bo_text(_location -> 'name', pg_catalog.format('locations[%s].name', _n - 1), 200),
          'asset', private.bo_text(_location -> 'asset', pg_catalog.format('locations[%s].asset', _n - 1), 100),
          'start_date', _start,
          'end_date', _end,
          'campaign_duration', private.bo_text(_location -> 'campaign_duration', pg_catalog.format('locations[%s].campaign_duration', _n - 1), 100),
          'net_amount', private.bo_money(_location -> 'net_amount', pg_catalog.format('locations[%s].net_amount', _n - 1)));
      end loop;
      _out := _out || pg_catalog.jsonb_build_object('locations', _locations);
    end if;
  end if;
  return _out;
end
$$;
comment on function private.booking_order_input(jsonb, text) is
  'Checks extracted fields or a patch against the 19-field shape and returns them normalised (dates ISO, '
  'money rounded, asset as a list, currency code checked); only the keys given. 22023 names the bad field.';

create or replace function private.apply_booking_order_input(_id uuid, _input jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('app.booking_order_bulk_write', 'on', true);
  update public.booking_orders b set
    bo_number = case when _input ? 'bo_number' then _input ->> 'bo_number' else b.bo_number end,
    bo_date = case when _input ? 'bo_date' then (_input ->> 'bo_date')::date else b.bo_date end,
    client_name = case when _input ? 'client' then _input ->> 'client' else b.client_name end,
    agency = case when _input ? 'agency' then _input ->> 'agency' else b.agency end,
    brand_campaign = case when _input ? 'brand_campaign' then _input ->> 'brand_campaign' else b.brand_campaign end,
    category = case when _input ? 'category' then _input ->> 'category' else b.category end,
    assets = case when _input ? 'asset'
                  then array(select pg_catalog.jsonb_array_elements_text(_input -> 'asset')) else b.assets end,
    payment_terms = case when _input ? 'payment_terms' then _input ->> 'payment_terms' else b.payment_terms end,
    sales_person = case when _input ? 'sales_person' then _input ->> 'sales_person' else b.sales_person end,
    currency = case when _input ? 'currency' then _input ->> 'currency' else b.currency end,
    commission_pct = case when _input ? 'commission_pct' then (_input ->> 'commission_pct')::numeric else b.commission_pct end,
    sla_pct = case when _input ? 'sla_pct' then (_input ->> 'sla_pct')::numeric else b.sla_pct end,
    municipality_fee = case when _input ? 'municipality_fee' then (_input ->> 'municipality_fee')::numeric else b.municipality_fee end,
    production_upload_fee = case when _input ? 'production_upload_fee' then (_input ->> 'production_upload_fee')::numeric else b.production_upload_fee end,
    stated_net_pre_vat = case when _input ? 'net_pre_vat' then (_input ->> 'net_pre_vat')::numeric else b.stated_net_pre_vat end,
    stated_vat = case when _input ? 'vat_value' then (_input ->> 'vat_value')::numeric else b.stated_vat end,
    stated_gross = case when _input ? 'gross_amount' then (_input ->> 'gross_amount')::numeric else b.stated_gross end,
    notes = case when _input ? 'notes' then _input ->> 'notes' else b.notes end
  where b.id = _id;

  if _input ? 'locations' then
    delete from public.booking_order_items where booking_order_id = _id;
    insert into public.booking_order_items
      (booking_order_id, position, name, asset, start_date, end_date, campaign_duration, net_amount)
    select _id, l.ord, l.value ->> 'name', l.value ->> 'asset', (l.value ->> 'start_date')::date,
           (l.value ->> 'end_date')::date, l.value ->> 'campaign_duration', (l.value ->> 'net_amount')::numeric
    from pg_catalog.jsonb_array_elements(_input -> 'locations') with ordinality l (value, ord);
  end if;
  perform pg_catalog.set_config('app.booking_order_bulk_write', '', true);
  perform private.recalculate_booking_order(_id);
end
$$;
comment on function private.apply_booking_order_input(uuid, jsonb) is
  'Writes normalised input (private.booking_order_input) to the order''s columns — only the keys given; '
  '"locations" replaces every item — then recalculates once.';

create or replace function private.booking_order_fields(_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (
    select pg_catalog.jsonb_build_object(
      'bo_number', b.bo_number, 'bo_date', b.bo_date, 'client', b.client_name, 'agency', b.agency,
      'brand_campaign', b.brand_campaign, 'category', b.category, 'asset', pg_catalog.to_jsonb(b.assets),
      'payment_terms', b.payment_terms, 'sales_person', b.sales_person, 'currency', b.currency,
      'commission_pct', b.commission_pct, 'sla_pct', b.sla_pct, 'municipality_fee', b.municipality_fee,
      'production_upload_fee', b.production_upload_fee, 'net_pre_vat', b.stated_net_pre_vat,
      'vat_value', b.stated_vat, 'gross_amount', b.stated_gross, 'notes', b.notes,
      'locations', (
        select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                 'name', i.name, 'asset', i.asset, 'start_date', i.start_date, 'end_date', i.end_date,
                 'campaign_duration', i.campaign_duration, 'net_amount', i.net_amount) order by i.position), '[]'::jsonb)
        from public.booking_order_items i where i.booking_order_id = b.id))
    from public.booking_orders b where b.id = _id);
end
$$;
comment on function private.booking_order_fields(uuid) is
  'The order as the 19 input fields (same shape as create_booking_order''s data): for diffs, revisions and edits.';

revoke execute on all functions in schema private from public;
