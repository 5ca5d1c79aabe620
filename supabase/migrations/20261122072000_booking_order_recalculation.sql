/*
 * THE booking-order arithmetic (spec §3.3, §3.4, §3.6; fixes §11.14): one function,
 * private.recalculate_booking_order, applied after extraction, after every edit and after any
 * change of an input column — triggers call it, so no path can leave stale figures behind.
 *
 *   rental_total    = Σ item net_amount                          (0 without items)
 *   net_pre_vat     = rental_total + municipality_fee + production_upload_fee   (fees null → 0)
 *                     when the order has items; else the stated net of the document
 *   vat_amount      = round(net_pre_vat × 0.05, 2)
 *   gross_amount    = net_pre_vat + vat_amount
 *   sla_deduction   = round(rental_total × sla_pct, 2)            (sla_pct null → 0)
 *   net_excl_sla    = net_pre_vat − sla_deduction
 *   item post_sla   = round(net_amount × (1 − sla_pct), 2)
 * Rounding is numeric half away from zero, to 2 decimals (§11.16).
 *
 * VAT base — decided: 5 % of the FULL net before VAT, municipality and production/upload fees
 * included. The invoice is one taxable supply by the media owner, and it is what the original
 * computed in every path. Documents that print VAT on rentals only are not silently "corrected":
 * a stated VAT that differs from ours by more than 0.01 is a warning for the coordinator.
 *
 * SLA base — decided: rentals only (the parse-time rule of §3.3). The original switched to the
 * full net after an edit and forgot the per-location post-SLA amounts; here edits go through the
 * same function, so before and after an edit the rule is the same.
 *
 * Warnings (messages as §3.4, amounts in the order's currency):
 *   - stated gross ≠ net_pre_vat × 1.05 by more than 0.01 (the original compared the stated gross
 *     with itself, so this never fired)
 *   - stated VAT ≠ computed VAT by more than 0.01
 *   - items present and rentals + fees ≠ stated net by more than 0.01 (lists the components)
 *   - an item that matches no location of the order's company, or several (occupancy at approval
 *     only covers matched items, so they are listed rather than dropped)
 * Missing fields: client and net_pre_vat globally; name, start_date, end_date and net_amount per
 * item. A value of 0 is a value — only null (or blank text) is missing (§3.4's falsy bug).
 *
 * Item → location: within the order's company only, active locations, case-insensitive and
 * exact (no first-substring guess, §11.26): the item's name as a location key (spaces and
 * hyphens may stand for underscores), then as a display name, then the same for its asset code.
 */

create or replace function private.booking_order_vat_rate()
returns numeric
language sql
immutable
set search_path = ''
as $$
  select 0.05::numeric
$$;
comment on function private.booking_order_vat_rate() is 'UAE VAT rate applied to booking orders: 0.05, on the full net before VAT.';

create or replace function private.match_booking_order_location(_company text, _name text, _asset text)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _needle text;
  _keys text[];
begin
  if _company is null or pg_catalog.to_regclass(pg_catalog.format('%I.locations', _company)) is null then
    return '{}';
  end if;
  foreach _needle in array array[_name, _asset] loop
    _needle := pg_catalog.lower(pg_catalog.btrim(_needle));
    continue when _needle is null or _needle = '';
    execute pg_catalog.format(
      'select array_agg(l.location_key order by l.location_key) from %I.locations l
       where l.is_active and l.location_key in ($1, pg_catalog.regexp_replace($1, ''[\s-]+'', ''_'', ''g''))', _company)
      into _keys using _needle;
    if _keys is null then
      execute pg_catalog.format(
        'select array_agg(l.location_key order by l.location_key) from %I.locations l
         where l.is_active and pg_catalog.lower(pg_catalog.btrim(l.display_name)) = $1', _company)
        into _keys using _needle;
    end if;
    if _keys is not null then
      return _keys;
    end if;
  end loop;
  return '{}';
end
$$;
comment on function private.match_booking_order_location(text, text, text) is
  'Location keys of the company an order line names: name as key, name as display name, asset as key, '
  'asset as display name (case-insensitive, exact, active locations); the first that matches wins. '
  'Empty = no match; more than one = ambiguous.';

create or replace function private.recalculate_booking_order(_id uuid)
returns public.booking_orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _currency text;
  _sla numeric;
  _has_items boolean;
  _rental numeric;
  _net numeric;
  _vat numeric;
  _gross numeric;
  _sla_deduction numeric;
  _components numeric;
  _warnings jsonb := '[]'::jsonb;
  _missing jsonb := '[]'::jsonb;
  _item record;
  _keys text[];
begin
  select * into _bo from public.booking_orders where id = _id;
  if not found then
    return null;
  end if;
  _currency := _bo.currency;
  _sla := coalesce(_bo.sla_pct, 0);

  -- Items first: their location match and post-SLA amount, in position order.
  for _item in
    select i.id, i.position, i.name, i.asset, i.start_date, i.end_date, i.net_amount,
           i.location_key, i.location_company, i.post_sla_amount
    from public.booking_order_items i
    where i.booking_order_id = _id
    order by i.position
  loop
    _keys := private.match_booking_order_location(_bo.company, _item.name, _item.asset);
    update public.booking_order_items i
    set location_key = case when cardinality(_keys) = 1 then _keys[1] end,
        location_company = case when cardinality(_keys) = 1 then _bo.company end,
        post_sla_amount = pg_catalog.round(_item.net_amount * (1 - _sla), 2)
    where i.id = _item.id
      and (i.location_key, i.location_company, i.post_sla_amount) is distinct from
          (case when cardinality(_keys) = 1 then _keys[1] end,
           case when cardinality(_keys) = 1 then _bo.company end,
           pg_catalog.round(_item.net_amount * (1 - _sla), 2));

    if nullif(pg_catalog.btrim(_item.name), '') is null then
      _missing := _missing || pg_catalog.to_jsonb(pg_catalog.format('Location %s: name', _item.position));
    end if;
    if _item.start_date is null then
      _missing := _missing || pg_catalog.to_jsonb(pg_catalog.format('Location %s: start_date', _item.position));
    end if;
    if _item.end_date is null then
      _missing := _missing || pg_catalog.to_jsonb(pg_catalog.format('Location %s: end_date', _item.position));
    end if;
    if _item.net_amount is null then
      _missing := _missing || pg_catalog.to_jsonb(pg_catalog.format('Location %s: net_amount', _item.position));
    end if;
    if cardinality(_keys) = 0 and coalesce(nullif(pg_catalog.btrim(_item.name), ''), nullif(pg_catalog.btrim(_item.asset), '')) is not null then
      _warnings := _warnings || pg_catalog.to_jsonb(pg_catalog.format(
        'Location %s "%s" does not match any location of %s: it will not be booked in the availability calendar',
        _item.position, coalesce(nullif(pg_catalog.btrim(_item.name), ''), _item.asset), _bo.company));
    elsif cardinality(_keys) > 1 then
      _warnings := _warnings || pg_catalog.to_jsonb(pg_catalog.format(
        'Location %s "%s" matches several locations of %s (%s): it will not be booked in the availability calendar',
        _item.position, coalesce(nullif(pg_catalog.btrim(_item.name), ''), _item.asset), _bo.company,
        pg_catalog.array_to_string(_keys, ', ')));
    end if;
  end loop;

  select count(*) > 0, coalesce(sum(i.net_amount), 0)
    into _has_items, _rental
  from public.booking_order_items i
  where i.booking_order_id = _id;

  _components := _rental + coalesce(_bo.municipality_fee, 0) + coalesce(_bo.production_upload_fee, 0);
  _net := case when _has_items then _components else _bo.stated_net_pre_vat end;
  _vat := pg_catalog.round(_net * private.booking_order_vat_rate(), 2);
  _gross := _net + _vat;
  _sla_deduction := pg_catalog.round(_rental * _sla, 2);

  if _bo.stated_gross is not null and _net is not null
     and pg_catalog.abs(_bo.stated_gross - pg_catalog.round(_net * (1 + private.booking_order_vat_rate()), 2)) > 0.01 then
    _warnings := _warnings || pg_catalog.to_jsonb(pg_catalog.format(
      'Gross amount mismatch: stated %s vs calculated %s (net %s + 5%% VAT)',
      public.format_currency(_bo.stated_gross, _currency),
      public.format_currency(pg_catalog.round(_net * (1 + private.booking_order_vat_rate()), 2), _currency),
      public.format_currency(_net, _currency)));
  end if;
  if _bo.stated_vat is not null and _vat is not null and pg_catalog.abs(_bo.stated_vat - _vat) > 0.01 then
    _warnings := _warnings || pg_catalog.to_jsonb(pg_catalog.format(
      'VAT mismatch: stated %s vs calculated %s (5%% of the net %s, fees included)',
      public.format_currency(_bo.stated_vat, _currency), public.format_currency(_vat, _currency),
      public.format_currency(_net, _currency)));
  end if;
  if _has_items and _bo.stated_net_pre_vat is not null and pg_catalog.abs(_components - _bo.stated_net_pre_vat) > 0.01 then
    _warnings := _warnings || pg_catalog.to_jsonb(pg_catalog.format(
      'Net amount mismatch: stated %s vs calculated %s (locations %s + municipality fee %s + production/upload fee %s)',
      public.format_currency(_bo.stated_net_pre_vat, _currency), public.format_currency(_components, _currency),
      public.format_currency(_rental, _currency), public.format_currency(coalesce(_bo.municipality_fee, 0), _currency),
      public.format_currency(coalesce(_bo.production_upload_fee, 0), _currency)));
  end if;
  if not _has_items then
    _warnings := _warnings || pg_catalog.to_jsonb('The booking order has no locations: nothing will be booked'::text);
  end if;

  -- Global fields first, then the items' (already collected in position order).
  _missing := (case when nullif(pg_catalog.btrim(_bo.client_name), '') is null
                    then '["Global field: client"]'::jsonb else '[]'::jsonb end)
           || (case when _net is null then '["Global field: net_pre_vat"]'::jsonb else '[]'::jsonb end)
           || _missing;

  update public.booking_orders b
  set rental_total = _rental,
      net_pre_vat = _net,
      vat_amount = _vat,
      gross_amount = _gross,
      sla_deduction = _sla_deduction,
      net_excl_sla = _net - _sla_deduction,
      warnings = _warnings,
      missing_fields = _missing,
      needs_review = pg_catalog.jsonb_array_length(_warnings) > 0 or pg_catalog.jsonb_array_length(_missing) > 0,
      recalculated_at = pg_catalog.now()
  where b.id = _id
    and (b.rental_total, b.net_pre_vat, b.vat_amount, b.gross_amount, b.sla_deduction, b.net_excl_sla,
         b.warnings, b.missing_fields, b.needs_review)
        is distinct from
        (_rental, _net, _vat, _gross, _sla_deduction, _net - _sla_deduction, _warnings, _missing,
         pg_catalog.jsonb_array_length(_warnings) > 0 or pg_catalog.jsonb_array_length(_missing) > 0)
  returning * into _bo;
  if not found then
    select * into _bo from public.booking_orders where id = _id;
  end if;
  return _bo;
end
$$;
comment on function private.recalculate_booking_order(uuid) is
  'THE booking-order rule set (see the migration header): rentals, net, VAT (5 % of the full net), gross, '
  'SLA on rentals, net excl. SLA, per-item post-SLA amounts and location match, warnings, missing fields, '
  'needs_review. Idempotent; writes only what changed. Called by triggers on every input change.';

-- ---------------------------------------------------------------------------------------------
-- Keeping it applied

create or replace function private.booking_order_recalculation_suspended()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.current_setting('app.booking_order_bulk_write', true), '') = 'on'
$$;
comment on function private.booking_order_recalculation_suspended() is
  'True while a workflow function writes many rows of one order and recalculates once at the end.';

create or replace function private.recalculate_booking_order_on_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.booking_order_recalculation_suspended() then
    return null;
  end if;
  if tg_table_name = 'booking_order_items' then
    if tg_op in ('UPDATE', 'DELETE') then
      perform private.recalculate_booking_order(old.booking_order_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.booking_order_id <> old.booking_order_id) then
      perform private.recalculate_booking_order(new.booking_order_id);
    end if;
  else
    perform private.recalculate_booking_order(new.id);
  end if;
  return null;
end
$$;
comment on function private.recalculate_booking_order_on_change() is
  'Trigger: an input of a booking order or of one of its items changed — recalculate the order.';

create trigger booking_order_items_recalculate
  after insert or delete or update of booking_order_id, position, name, asset, start_date, end_date, net_amount,
    location_key, location_company, post_sla_amount
  on public.booking_order_items
  for each row execute function private.recalculate_booking_order_on_change();

-- Computed columns are in the list too: a direct write to one of them is simply recomputed.
create trigger booking_orders_recalculate
  after insert or update of company, currency, client_name, sla_pct, municipality_fee, production_upload_fee,
    stated_net_pre_vat, stated_vat, stated_gross, rental_total, net_pre_vat, vat_amount, gross_amount,
    sla_deduction, net_excl_sla, warnings, missing_fields, needs_review
  on public.booking_orders
  for each row execute function private.recalculate_booking_order_on_change();

-- Orders that exist already get their figures once.
select private.recalculate_booking_order(id) from public.booking_orders;

revoke execute on all functions in schema private from public;
