/*
 * public.quote_proposal(request jsonb): the whole financial proposal, computed once, in SQL
 * (spec §1.1–§1.8; contract docs/contracts/proposals-and-render-jobs.md §1). The SPA calls it
 * for live totals, request_proposal stores it, and the renderer only lays it out.
 *
 *   fee         digital → location upload_fee ("Upload Fee:"), a production fee is ignored;
 *               static  → production_fee when given ("Production Fee:"), else upload_fee
 *               upload_fee null → the platform default 3000; a stored 0 is a real 0 (§11.15)
 *   separate    per option: subtotal = net_rate + fee + 520, vat = round(subtotal × 5 %, 2),
 *               total = subtotal + vat; totals = Σ over locations of their FIRST option
 *   combined    subtotal = combined_net_rate + Σ fees + 520 (municipality fee once), vat, total;
 *               label Upload / Production / Upload/Production Fee: by the display types
 *   dates       end = start + weeks × 7 days; proposal date = today in Asia/Dubai, valid 30 days
 *
 * Everything is numeric AED; each money value is converted for display on its own from its
 * exact AED (private.proposal_money). It never writes, so it is `stable`.
 */

create or replace function private.location_description(_location jsonb, _spots integer)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  _name text := _location ->> 'display_name';
  _series text := nullif(btrim(_location ->> 'series'), '');
  _width text := nullif(btrim(_location ->> 'width'), '');
  _height text := nullif(btrim(_location ->> 'height'), '');
  _spot_seconds integer := coalesce((_location ->> 'spot_duration')::integer, 16);
  _loop_seconds integer := coalesce((_location ->> 'loop_duration')::integer, 96);
  _sov numeric := coalesce((_location ->> 'sov_percent')::numeric, 16.6);
  _parts text[];
begin
  _parts := array[case when _series is null then _name else _series || ': ' || _name end];
  if _width is not null and _height is not null then
    if _width ~* 'multiple sizes' or _height ~* 'multiple sizes' then
      _parts := _parts || 'Multiple Sizes'::text;
    else
      _parts := _parts || pg_catalog.format('Size (%sm x %sm)',
        regexp_replace(_width, '\s*m$', '', 'i'), regexp_replace(_height, '\s*m$', '', 'i'));
    end if;
  end if;
  _parts := _parts || pg_catalog.format('%s faces', coalesce((_location ->> 'number_of_faces')::integer, 1));
  if _location ->> 'display_type' = 'digital' then
    _parts := _parts
      || pg_catalog.format('%s %s', _spots, case when _spots = 1 then 'spot' else 'spots' end)
      || pg_catalog.format('%s Seconds', _spot_seconds * _spots)
      || pg_catalog.format('%s%% SOV', round(_sov * _spots, 1))
      || pg_catalog.format('%s seconds loop', _loop_seconds);
  end if;
  return array_to_string(_parts, ' - ');
end
$$;
comment on function private.location_description(jsonb, integer) is
  'The location line of a proposal (§1.7): "<series>: <name> - Size (<w>m x <h>m) - <n> faces" and, '
  'for digital, "- <s> spot(s) - <spot×s> Seconds - <sov×s, 1 dp>% SOV - <loop> seconds loop".';

create or replace function public.quote_proposal(request jsonb)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _dm_fee constant numeric := 520;
  _vat_rate constant numeric := 0.05;
  _default_upload_fee constant numeric := 3000;
  _today date := (pg_catalog.now() at time zone 'Asia/Dubai')::date;
  _type text;
  _client text;
  _payment_terms text;
  _currency public.currencies;
  _combined_rate numeric;
  _items jsonb;
  _item jsonb;
  _item_field text;
  _options jsonb;
  _option jsonb;
  _option_field text;
  _location jsonb;
  _digital boolean;
  _spots integer;
  _production_fee numeric;
  _fee numeric;
  _fee_label text;
  _start date;
  _weeks integer;
  _net numeric;
  _subtotal numeric;
  _vat numeric;
  _location_options jsonb;
  _locations jsonb := '[]';
  _total_fees numeric := 0;
  _any_digital boolean := false;
  _any_static boolean := false;
  _first_subtotal numeric := 0;
  _first_vat numeric := 0;
  _package jsonb;
  _totals jsonb;
  _terms jsonb;
  _company_name text;
  _guidelines_url text := private.app_setting('dm_guidelines_url');
begin
  if not private.has_permission('sales:proposals:create') then
    raise exception 'quoting a proposal needs sales:proposals:create' using errcode = '42501';
  end if;
  if request is null or jsonb_typeof(request) <> 'object' then
    raise exception 'request: must be a JSON object' using errcode = '22023';
  end if;

  _type := coalesce(private.json_text(request -> 'proposal_type', 'proposal_type'), 'separate');
  if _type not in ('separate', 'combined') then
    raise exception 'proposal_type: must be separate or combined, got "%"', _type using errcode = '22023';
  end if;

  _client := btrim(private.json_text(request -> 'client_name', 'client_name'));
  if _client is null or length(_client) not between 1 and 200 then
    raise exception 'client_name: required, 1 to 200 characters' using errcode = '22023';
  end if;

  _payment_terms := coalesce(btrim(private.json_text(request -> 'payment_terms', 'payment_terms')), '100% upfront');
  if length(_payment_terms) not between 1 and 500 then
    raise exception 'payment_terms: 1 to 500 characters' using errcode = '22023';
  end if;

  _currency := private.currency(coalesce(private.json_text(request -> 'currency', 'currency'), 'AED'));

  _combined_rate := private.parse_aed(request -> 'combined_net_rate', 'combined_net_rate');
  if _type = 'combined' and _combined_rate is null then
    raise exception 'combined_net_rate: required for a combined proposal' using errcode = '22023';
  end if;
  if _type = 'separate' and _combined_rate is not null then
    raise exception 'combined_net_rate: only combined proposals have one; separate options carry their own net_rate'
      using errcode = '22023';
  end if;

  _items := request -> 'items';
  if jsonb_typeof(_items) is distinct from 'array' or jsonb_array_length(_items) = 0 then
    raise exception 'items: at least one location is required' using errcode = '22023';
  end if;
  if jsonb_array_length(_items) > 50 then
    raise exception 'items: at most 50 locations, got %', jsonb_array_length(_items) using errcode = '22023';
  end if;
  if _type = 'combined' and jsonb_array_length(_items) < 2 then
    raise exception 'items: a combined proposal needs at least 2 locations, got %', jsonb_array_length(_items)
      using errcode = '22023';
  end if;

  for _i in 0 .. jsonb_array_length(_items) - 1 loop
    _item := _items -> _i;
    _item_field := pg_catalog.format('items[%s]', _i + 1);
    if jsonb_typeof(_item) <> 'object' then
      raise exception '%: must be an object', _item_field using errcode = '22023';
    end if;
    if private.json_text(_item -> 'location', _item_field || '.location') is null then
      raise exception '%.location: required', _item_field using errcode = '22023';
    end if;

    _location := private.find_location(_item ->> 'location',
                                       private.json_text(_item -> 'company', _item_field || '.company'));
    _digital := _location ->> 'display_type' = 'digital';
    _spots := coalesce(private.parse_integer(_item -> 'spots', _item_field || '.spots', 1, 20), 1);
    _production_fee := private.parse_aed(_item -> 'production_fee', _item_field || '.production_fee');

    if _digital then
      _fee := coalesce((_location ->> 'upload_fee')::numeric, _default_upload_fee);
      _fee_label := 'Upload Fee:';
      _any_digital := true;
    else
      _spots := 1;
      if _production_fee is not null then
        _fee := _production_fee;
        _fee_label := 'Production Fee:';
      else
        _fee := coalesce((_location ->> 'upload_fee')::numeric, _default_upload_fee);
        _fee_label := 'Upload Fee:';
      end if;
      _any_static := true;
    end if;
    _total_fees := _total_fees + _fee;
    _company_name := coalesce(_company_name,
      (select c.name from public.companies c where c.slug = _location ->> 'company'));

    _options := _item -> 'options';
    if jsonb_typeof(_options) is distinct from 'array' or jsonb_array_length(_options) = 0 then
      raise exception '%.options: at least one option (start_date, duration_weeks%) is required',
        _item_field, case when _type = 'separate' then ', net_rate' else '' end using errcode = '22023';
    end if;
    if _type = 'combined' and jsonb_array_length(_options) <> 1 then
      raise exception '%.options: a combined proposal takes exactly one option per location, got %',
        _item_field, jsonb_array_length(_options) using errcode = '22023';
    end if;
    if jsonb_array_length(_options) > 10 then
      raise exception '%.options: at most 10 options, got %', _item_field, jsonb_array_length(_options)
        using errcode = '22023';
    end if;

    _location_options := '[]';
    for _j in 0 .. jsonb_array_length(_options) - 1 loop
      _option := _options -> _j;
      _option_field := pg_catalog.format('%s.options[%s]', _item_field, _j + 1);
      if jsonb_typeof(_option) <> 'object' then
        raise exception '%: must be an object', _option_field using errcode = '22023';
      end if;
      _start := private.parse_iso_date(_option -> 'start_date', _option_field || '.start_date');
      if _start is null then
        raise exception '%.start_date: required', _option_field using errcode = '22023';
      end if;
      _weeks := private.parse_integer(_option -> 'duration_weeks', _option_field || '.duration_weeks', 1, 104);
      if _weeks is null then
        raise exception '%.duration_weeks: required', _option_field using errcode = '22023';
      end if;
      _net := private.parse_aed(_option -> 'net_rate', _option_field || '.net_rate');

      if _type = 'combined' then
        if _net is not null then
          raise exception '%.net_rate: a combined proposal has one combined_net_rate, not a rate per location',
            _option_field using errcode = '22023';
        end if;
        _location_options := _location_options || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
          'start_date', _start, 'end_date', _start + _weeks * 7, 'duration_weeks', _weeks));
      else
        if _net is null then
          raise exception '%.net_rate: required', _option_field using errcode = '22023';
        end if;
        _subtotal := _net + _fee + _dm_fee;
        _vat := round(_subtotal * _vat_rate, 2);
        _location_options := _location_options || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
          'start_date', _start,
          'end_date', _start + _weeks * 7,
          'duration_weeks', _weeks,
          'net_rate', private.proposal_money(_net, _currency),
          'subtotal', private.proposal_money(_subtotal, _currency),
          'vat', private.proposal_money(_vat, _currency),
          'total', private.proposal_money(_subtotal + _vat, _currency)));
        if _j = 0 then
          _first_subtotal := _first_subtotal + _subtotal;
          _first_vat := _first_vat + _vat;
        end if;
      end if;
    end loop;

    _locations := _locations || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
      'company', _location ->> 'company',
      'location_key', _location ->> 'location_key',
      'display_name', _location ->> 'display_name',
      'display_type', _location ->> 'display_type',
      'series', _location ->> 'series',
      'description', private.location_description(_location, _spots),
      'photo_path', _location ->> 'photo_path',
      'template_path', _location ->> 'template_path',
      'specs', pg_catalog.jsonb_build_object(
        'width', _location ->> 'width',
        'height', _location ->> 'height',
        'number_of_faces', (_location ->> 'number_of_faces')::integer,
        'spot_duration', (_location ->> 'spot_duration')::integer,
        'loop_duration', (_location ->> 'loop_duration')::integer,
        'sov_percent', _location -> 'sov_percent',
        'city', _location ->> 'city',
        'area', _location ->> 'area',
        'address', _location ->> 'address'),
      'spots', _spots,
      'fee_label', _fee_label,
      'fee', private.proposal_money(_fee, _currency),
      'options', _location_options));
  end loop;

  if _type = 'combined' then
    _subtotal := _combined_rate + _total_fees + _dm_fee;
    _vat := round(_subtotal * _vat_rate, 2);
    _package := pg_catalog.jsonb_build_object(
      'net_rate', private.proposal_money(_combined_rate, _currency),
      'fee_label', case when _any_digital and _any_static then 'Upload/Production Fee:'
                        when _any_static then 'Production Fee:'
                        else 'Upload Fee:' end,
      'total_fees', private.proposal_money(_total_fees, _currency),
      'subtotal', private.proposal_money(_subtotal, _currency),
      'vat', private.proposal_money(_vat, _currency),
      'total', private.proposal_money(_subtotal + _vat, _currency));
    _totals := pg_catalog.jsonb_build_object(
      'subtotal', _package -> 'subtotal', 'vat', _package -> 'vat', 'total', _package -> 'total');
  else
    _totals := pg_catalog.jsonb_build_object(
      'subtotal', private.proposal_money(_first_subtotal, _currency),
      'vat', private.proposal_money(_first_vat, _currency),
      'total', private.proposal_money(_first_subtotal + _first_vat, _currency));
  end if;

  _terms := pg_catalog.jsonb_build_array(
    pg_catalog.format('Payment terms: %s.', rtrim(_payment_terms, '. ')),
    'A Dubai Municipality (DM) fee of AED 520 per image/message applies; the final fee is confirmed once the final artwork is received.',
    'An official booking order is required to secure the location/spot.',
    'Once the booking is confirmed, no cancellation is allowed, even if the authorities reject the artwork; the client must then submit a revised artwork.',
    pg_catalog.format('All artworks require the approval of %s and Dubai Municipality.', _company_name),
    'Location availability is subject to change.',
    'Artworks must follow the Dubai Municipality guidelines'
      || case when _guidelines_url is null then '.' else pg_catalog.format(' (%s).', _guidelines_url) end,
    pg_catalog.format('Proposal valid until %s.', _today + 30));
  if _currency.code <> 'AED' then
    _terms := _terms || pg_catalog.jsonb_build_array(pg_catalog.format(
      'All amounts are shown in %s, converted from AED at the current exchange rate (1 %s = %s AED).',
      _currency.code, _currency.code, _currency.aed_per_unit));
  end if;

  return pg_catalog.jsonb_build_object(
    'proposal_type', _type,
    'client_name', _client,
    'payment_terms', _payment_terms,
    'currency', pg_catalog.jsonb_build_object(
      'code', _currency.code, 'symbol', _currency.symbol, 'symbol_position', _currency.symbol_position,
      'decimals', _currency.decimals, 'aed_per_unit', _currency.aed_per_unit::text),
    'proposal_date', _today,
    'valid_until', _today + 30,
    'vat_rate', _vat_rate::text,
    'municipality_fee', private.proposal_money(_dm_fee, _currency),
    'locations', _locations,
    'package', _package,
    'totals', _totals,
    'terms', _terms);
end
$$;
comment on function public.quote_proposal(jsonb) is
  'The full structured quote of a separate or combined proposal (contract §1): per-location fees, '
  'descriptions and options, the package for combined, totals, currency conversion and T&C. '
  'Needs sales:proposals:create; locations resolve among the caller''s companies only. Never '
  'writes. Bad input raises 22023 naming the field; access 42501.';
revoke execute on function public.quote_proposal(jsonb) from public, anon;
grant execute on function public.quote_proposal(jsonb) to authenticated;

revoke execute on all functions in schema private from public;
