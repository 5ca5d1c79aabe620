-- Booking-order arithmetic: the 19-field input shape, the one recalculation rule set (SLA on
-- rentals, VAT 5 % of the full net, post-SLA splits), the same rule after an edit, warnings and
-- missing fields, and a currency change that converts every amount.
begin;
select plan(44);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;
create temp table bo (name text primary key, id uuid) on commit drop;
grant all on bo to authenticated;

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.bo(_name text) returns uuid language sql as $$ select id from pg_temp.bo where name = _name $$;
create function pg_temp.submit(_name text, _company text, _data jsonb) returns jsonb language plpgsql as $$
declare
  _result jsonb := public.create_booking_order(_company, _data);
begin
  insert into pg_temp.bo values (_name, (_result ->> 'id')::uuid);
  return _result;
end
$$;
create function pg_temp.figures(_name text) returns text language sql as $$
  select concat_ws(' ', b.rental_total, b.net_pre_vat, b.vat_amount, b.gross_amount, b.sla_deduction, b.net_excl_sla)
  from public.booking_orders b where b.id = pg_temp.bo(_name)
$$;
create function pg_temp.splits(_name text) returns text language sql as $$
  select string_agg(coalesce(i.post_sla_amount::text, 'null'), ' ' order by i.position)
  from public.booking_order_items i where i.booking_order_id = pg_temp.bo(_name)
$$;

-- A three-location order with SLA, municipality and production fees ------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select lives_ok($$ select pg_temp.submit('emaar', 'backlite_dubai', '{
    "bo_number": "EM-2026-118", "bo_date": "15/11/2026", "client": "Emaar Properties", "agency": null,
    "brand_campaign": "Dubai Hills", "category": "Real Estate", "asset": ["DXB-GW", "DXB-MM"],
    "payment_terms": "60 days PDC", "sales_person": "Karim Saleh", "currency": "aed",
    "commission_pct": 0.15, "sla_pct": 0.10, "municipality_fee": 1040, "production_upload_fee": "3,000",
    "net_pre_vat": 508040, "vat_value": 25402, "gross_amount": 533442, "notes": "Launch flight",
    "locations": [
      {"name": "The Dubai Gateway", "asset": "DXB-GW", "start_date": "2026-12-01", "end_date": "2026-12-14", "campaign_duration": "2 weeks", "net_amount": 250000},
      {"name": "marina mega screen", "asset": null, "start_date": "2026-12-01", "end_date": "2026-12-28", "campaign_duration": "1 month", "net_amount": 180000.50},
      {"name": "Business Bay Crossing", "asset": null, "start_date": "01/01/2027", "end_date": "2027-01-14", "campaign_duration": "2 weeks", "net_amount": "73,999.50"}
    ]}'::jsonb) $$,
  'a sales person submits an extracted booking order in the 19-field shape');
select is(pg_temp.figures('emaar'), '504000.00 508040.00 25402.00 533442.00 50400.00 457640.00',
  'rentals 504,000; net = rentals + DM 1,040 + production 3,000; VAT 5 % of the full net; gross; SLA 10 % of rentals; net excl. SLA');
select is(pg_temp.splits('emaar'), '225000.00 162000.45 66599.55', 'each location''s post-SLA amount is net × (1 − SLA), to the cent');
select is((select jsonb_build_object('w', warnings, 'm', missing_fields, 'r', needs_review) from public.booking_orders where id = pg_temp.bo('emaar')),
  '{"w": [], "m": [], "r": false}'::jsonb, 'consistent figures give no warnings, nothing missing, no review flag');
select is((select row(bo_date, currency, assets, commission_pct, sla_pct, stated_net_pre_vat)::text from public.booking_orders where id = pg_temp.bo('emaar')),
  '(2026-11-15,AED,"{DXB-GW,DXB-MM}",0.1500,0.1000,508040.00)',
  'dates are normalised (day-first), the currency upper-cased, fractions and stated figures kept as typed columns');
select is((select string_agg(coalesce(location_key, '-'), ' ' order by position) from public.booking_order_items where booking_order_id = pg_temp.bo('emaar')),
  'dubai_gateway marina_mega_screen business_bay_bridge',
  'items are matched to the company''s locations by display name or key, case-insensitively');
select is((select start_date::text from public.booking_order_items where booking_order_id = pg_temp.bo('emaar') and position = 3), '2027-01-01',
  'a DD/MM/YYYY location date is read day-first');
select is((select stage::text || '/' || status from public.booking_orders where id = pg_temp.bo('emaar')), 'coordinator/pending',
  'a submitted order waits for the coordinator');

-- The same rule after an edit ------------------------------------------------------------------
select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"sla_pct": 0.15, "municipality_fee": 2080}') $$,
  'the coordinator edits SLA and the municipality fee');
select is(pg_temp.figures('emaar'), '504000.00 509080.00 25454.00 534534.00 75600.00 433480.00',
  'after the edit: SLA still on rentals only (75,600, not 15 % of the full net), VAT and gross from the new net');
select is(pg_temp.splits('emaar'), '212500.00 153000.43 62899.58', 'post-SLA splits are recomputed after the edit, half-up to the cent');
select is((select jsonb_array_length(warnings) from public.booking_orders where id = pg_temp.bo('emaar')), 3,
  'the stated net, VAT and gross no longer match: three warnings');
select ok((select warnings ->> 0 like 'Gross amount mismatch: stated 533,442.00 AED vs calculated 534,534.00 AED%' from public.booking_orders where id = pg_temp.bo('emaar')),
  'the gross warning compares the stated gross with net × 1.05 (it can fire, unlike §3.4''s)');
select ok((select warnings ->> 2 like 'Net amount mismatch: stated 508,040.00 AED vs calculated 509,080.00 AED (locations 504,000.00 AED + municipality fee 2,080.00 AED + production/upload fee 3,000.00 AED)' from public.booking_orders where id = pg_temp.bo('emaar')),
  'the net warning lists the components');
select ok((select needs_review from public.booking_orders where id = pg_temp.bo('emaar')), 'warnings set needs_review');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"municipality_fee": 1040, "sla_pct": 0.1}') $$, 'the coordinator reverts the edit');
select is(pg_temp.figures('emaar') || ' | ' || pg_temp.splits('emaar'),
  '504000.00 508040.00 25402.00 533442.00 50400.00 457640.00 | 225000.00 162000.45 66599.55',
  'reverting gives back exactly the figures of the submission: one rule set, before and after edits');
select is((select jsonb_array_length(warnings) from public.booking_orders where id = pg_temp.bo('emaar')), 0, 'and the warnings go away');

select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"locations": [
    {"name": "The Dubai Gateway", "start_date": "2026-12-01", "end_date": "2026-12-14", "net_amount": 250000},
    {"name": "JBR Beachfront Screen", "start_date": "2026-12-01", "end_date": "2026-12-14", "net_amount": 120000}]}') $$,
  'locations are replaced as a full list');
select is(pg_temp.figures('emaar') || ' | ' || pg_temp.splits('emaar'),
  '370000.00 374040.00 18702.00 392742.00 37000.00 337040.00 | 225000.00 108000.00',
  'the new locations drive rentals, net, VAT, gross, SLA and splits');

-- Currency change converts every amount -------------------------------------------------------
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"locations": [
    {"name": "The Dubai Gateway", "start_date": "2026-12-01", "end_date": "2026-12-14", "net_amount": 250000},
    {"name": "marina mega screen", "start_date": "2026-12-01", "end_date": "2026-12-28", "net_amount": 180000.50},
    {"name": "Business Bay Crossing", "start_date": "2027-01-01", "end_date": "2027-01-14", "net_amount": 73999.50}]}') $$,
  'back to the three locations');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"currency": "USD"}') $$, 'the coordinator switches the order to USD');
select is((select row(currency, municipality_fee, production_upload_fee, stated_net_pre_vat, stated_vat, stated_gross)::text
           from public.booking_orders where id = pg_temp.bo('emaar')),
  '(USD,283.19,816.88,138336.28,6916.81,145253.10)',
  'fees and stated figures are converted at 3.6725 AED per USD, to the cent');
select is((select string_agg(net_amount::text, ' ' order by position) from public.booking_order_items where booking_order_id = pg_temp.bo('emaar')),
  '68073.52 49013.07 20149.63', 'every location''s net amount is converted');
select is(pg_temp.figures('emaar') || ' | ' || pg_temp.splits('emaar'),
  '137236.22 138336.29 6916.81 145253.10 13723.62 124612.67 | 61266.17 44111.76 18134.67',
  'and the computed figures follow from the converted amounts by the same rule');
select is((select jsonb_array_length(warnings) from public.booking_orders where id = pg_temp.bo('emaar')), 0,
  'a one-cent conversion difference is within the 0.01 tolerance: no warning');
select is((select data -> 'currency_converted' from public.booking_order_events where booking_order_id = pg_temp.bo('emaar') and event_type = 'edited' order by id desc limit 1),
  '{"to": "USD", "from": "AED"}'::jsonb, 'the edit event records the conversion');
select is((select data #> '{changes,currency}' from public.booking_order_events where booking_order_id = pg_temp.bo('emaar') and event_type = 'edited' order by id desc limit 1),
  '{"after": "USD", "before": "AED"}'::jsonb, 'and the changed fields before and after');

-- Warnings and missing fields ------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $do$ begin perform pg_temp.submit('gaps', 'backlite_dubai', '{"client": null, "locations": [
    {"name": "Nowhere Tower", "start_date": null, "end_date": "2026-12-10", "net_amount": 0},
    {"name": null, "asset": "DUBAI_GATEWAY", "start_date": "2026-12-01", "end_date": "2026-12-07", "net_amount": null}]}'); end $do$;
select is((select missing_fields from public.booking_orders where id = pg_temp.bo('gaps')),
  '["Global field: client", "Location 1: start_date", "Location 2: name", "Location 2: net_amount"]'::jsonb,
  'missing: client, and per location name/start/end/net — a net amount of 0 is a value, not missing');
select is((select warnings from public.booking_orders where id = pg_temp.bo('gaps')),
  '["Location 1 \"Nowhere Tower\" does not match any location of backlite_dubai: it will not be booked in the availability calendar"]'::jsonb,
  'an item that matches no location of the company is a warning');
select is((select location_key from public.booking_order_items where booking_order_id = pg_temp.bo('gaps') and position = 2), 'dubai_gateway',
  'an item without a name is matched by its asset code');
select is((select needs_review from public.booking_orders where id = pg_temp.bo('gaps')), true, 'gaps need review');

do $do$ begin perform pg_temp.submit('bare', 'backlite_dubai', '{"client": "Nakheel", "net_pre_vat": 100000, "gross_amount": 110000}'); end $do$;
select is(pg_temp.figures('bare'), '0.00 100000.00 5000.00 105000.00 0.00 100000.00',
  'without locations the net is the stated net; VAT, gross and SLA follow');
select ok((select warnings @> '["Gross amount mismatch: stated 110,000.00 AED vs calculated 105,000.00 AED (net 100,000.00 AED + 5% VAT)"]'::jsonb
           from public.booking_orders where id = pg_temp.bo('bare')),
  'a stated gross that is not net × 1.05 is flagged');
do $do$ begin perform pg_temp.submit('empty', 'backlite_dubai', '{"client": "Nakheel"}'); end $do$;
select is((select missing_fields from public.booking_orders where id = pg_temp.bo('empty')), '["Global field: net_pre_vat"]'::jsonb,
  'no locations and no stated net: net_pre_vat is missing');

-- Input shape -----------------------------------------------------------------------------------
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"client": "X", "clinet": "typo"}') $$,
  '22023', 'data: unknown field(s) "clinet"', 'unknown keys are refused, by name');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"client": 42}') $$,
  '22023', 'client: must be a string, got number', 'types are checked');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"currency": "SAR"}') $$,
  '22023', 'unsupported currency "SAR"; supported: AED, EUR, GBP, USD', 'only supported currencies');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"sla_pct": 10}') $$,
  '22023', 'sla_pct: must be a fraction from 0 to 1 (10 % is 0.10), got 10', 'percentages are fractions, not guessed');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"vat_calc": 5}') $$,
  '22023', 'data: "vat_calc" computed by the platform (net, VAT, gross, SLA), not input', 'computed figures are not input');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"locations": [{"name": "A", "start_date": "2026-02-30"}]}') $$,
  '22023', 'locations[0].start_date: "2026-02-30" is not a date (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY or YYYY/MM/DD)',
  'impossible dates are refused, naming the location');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"locations": [{"name": "A", "spots": 2}]}') $$,
  '22023', 'locations[0]: unknown field(s) "spots"', 'unknown location keys are refused');
select throws_ok($$ select public.create_booking_order('viola', '{"client": "X"}') $$,
  '42501', 'you have no access to company "viola"', 'a sales person submits only for their companies');
select pg_temp.sign_in('viewer@mmg.demo');
select throws_ok($$ select public.create_booking_order('backlite_dubai', '{"client": "X"}') $$,
  '42501', 'submitting a booking order needs sales:booking_orders:create', 'submitting needs sales:booking_orders:create');

select * from finish();
rollback;
