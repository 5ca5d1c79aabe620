-- quote_proposal: the financial maths of separate and combined proposals (§1.4), fees, currency
-- display, descriptions (§1.7), dates (§1.8), location resolution within the caller's
-- companies, and the validation errors — as the demo users.
begin;
select plan(72);

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.error_hint(_sql text) returns text language plpgsql as $$
declare
  _hint text;
begin
  execute _sql;
  return null;
exception when others then
  get stacked diagnostics _hint = pg_exception_hint;
  return _hint;
end
$$;
create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;

-- Two digital screens with explicit fees: a stored 0 and a missing (null) one.
insert into backlite_dubai.locations (location_key, display_name, display_type, number_of_faces, upload_fee)
values ('t21_free_upload', 'T21 Free Upload Screen', 'digital', 1, 0),
       ('t21_default_upload', 'T21 Default Upload Screen', 'digital', 1, null);
-- A key that exists in two companies.
insert into viola.locations (location_key, display_name, display_type) values ('dubai_gateway', 'Viola Gateway', 'static');

create temp table q (name text primary key, quote jsonb) on commit drop;
grant all on q to authenticated;

select pg_temp.sign_in('dubai.rep1@mmg.demo');

-- Separate, one digital location, two options ------------------------------------------------
insert into q values ('separate', public.quote_proposal($${
  "client_name": "Emirates NBD",
  "items": [{ "location": "dubai_gateway", "options": [
    { "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1250000 },
    { "start_date": "2026-12-01", "duration_weeks": 8, "net_rate": "AED 2,300,000" } ] }]
}$$));
select is((select quote #> '{locations,0,fee}' from q where name = 'separate'),
  '{"aed": "3000.00", "amount": "3000", "display": "AED 3,000"}'::jsonb,
  'digital: the location upload fee');
select is((select quote #>> '{locations,0,fee_label}' from q where name = 'separate'), 'Upload Fee:', 'digital: labelled Upload Fee:');
select is((select quote #>> '{locations,0,options,0,subtotal,aed}' from q where name = 'separate'), '1253520.00',
  'subtotal = net rate + upload fee + municipality fee 520');
select is((select quote #>> '{locations,0,options,0,vat,aed}' from q where name = 'separate'), '62676.00', 'VAT 5 %');
select is((select quote #>> '{locations,0,options,0,total,display}' from q where name = 'separate'), 'AED 1,316,196',
  'total = subtotal + VAT, shown in whole dirhams');
select is((select quote #>> '{locations,0,options,1,net_rate,aed}' from q where name = 'separate'), '2300000.00',
  'rates may be strings with AED and thousands commas');
select is((select quote #>> '{locations,0,options,1,total,aed}' from q where name = 'separate'), '2418696.00',
  'each option is priced on its own');
select is((select quote -> 'totals' from q where name = 'separate'),
  (select jsonb_build_object('subtotal', quote #> '{locations,0,options,0,subtotal}', 'vat', quote #> '{locations,0,options,0,vat}',
                             'total', quote #> '{locations,0,options,0,total}') from q where name = 'separate'),
  'separate totals are the first option of each location');
select is((select quote -> 'package' from q where name = 'separate'), 'null'::jsonb, 'a separate proposal has no package');
select is((select quote #>> '{municipality_fee,display}' from q where name = 'separate'), 'AED 520', 'the municipality fee');
select is((select quote #>> '{locations,0,options,0,end_date}' from q where name = 'separate'), '2026-12-29',
  'end date = start + 4 weeks');
select is((select quote #>> '{locations,0,options,1,end_date}' from q where name = 'separate'), '2027-01-26',
  'end date = start + 8 weeks');
select is((select quote #>> '{locations,0,description}' from q where name = 'separate'),
  'The Landmark Series: The Dubai Gateway - Size (40m x 10m) - 2 faces - 1 spot - 16 Seconds - 16.7% SOV - 96 seconds loop',
  'digital description: series, size width first, faces, spot, seconds, SOV, loop');
select is((select quote #>> '{locations,0,photo_path}' from q where name = 'separate'),
  'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png', 'the primary photo of the location');
select is((select quote ->> 'proposal_date' from q where name = 'separate'),
  ((now() at time zone 'Asia/Dubai')::date)::text, 'proposal date is today in Dubai');
select is((select quote ->> 'valid_until' from q where name = 'separate'),
  ((now() at time zone 'Asia/Dubai')::date + 30)::text, 'valid for 30 days');
select is((select quote -> 'terms' ->> 0 from q where name = 'separate'), 'Payment terms: 100% upfront.', 'default payment terms');
select is((select quote -> 'terms' ->> -1 from q where name = 'separate'),
  format('Proposal valid until %s.', (now() at time zone 'Asia/Dubai')::date + 30),
  'the last AED term is the validity');
select is((select jsonb_array_length(quote -> 'terms') from q where name = 'separate'), 8, 'AED proposals have no conversion note');
select is((select provolatile from pg_proc where oid = 'public.quote_proposal(jsonb)'::regprocedure), 's'::"char",
  'quoting is stable: it never writes');

-- Spots, static locations and fees --------------------------------------------------------------
select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "dubai_gateway", "spots": 2,
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 2, "net_rate": 687500 }] }] }$$) #>> '{locations,0,description}',
  'The Landmark Series: The Dubai Gateway - Size (40m x 10m) - 2 faces - 2 spots - 32 Seconds - 33.3% SOV - 96 seconds loop',
  'two spots double the seconds and the share of voice');
select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "downtown_boulevard_pillars",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 2, "net_rate": 154000 }] }] }$$) #>> '{locations,0,description}',
  'Downtown Boulevard Pillars - Size (2m x 4m) - 12 faces - 1 spot - 10 Seconds - 12.5% SOV - 80 seconds loop',
  'no series: the name alone');

insert into q values ('static', public.quote_proposal($${ "client_name": "Nike", "items": [
  { "location": "szr_unipole_north", "production_fee": "8,500", "spots": 3,
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 195000 }] },
  { "location": "Al Safa Street Lamp Posts",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 85000 }] }] }$$));
select is((select quote #>> '{locations,0,description}' from q where name = 'static'),
  'Sheikh Zayed Road Unipole North - Size (14m x 5m) - 2 faces', 'static description: no spots, SOV or loop');
select is((select quote #>> '{locations,1,description}' from q where name = 'static'),
  'Al Safa Street Lamp Posts - Size (1.2m x 1.8m) - 40 faces', 'decimal sizes keep their digits');
select is((select quote #>> '{locations,0,fee_label}' || ' ' || (quote #>> '{locations,0,fee,aed}') from q where name = 'static'),
  'Production Fee: 8500.00', 'static with a production fee: Production Fee:');
select is((select quote #>> '{locations,1,fee_label}' || ' ' || (quote #>> '{locations,1,fee,aed}') from q where name = 'static'),
  'Upload Fee: 3000.00', 'static without a production fee and no upload fee set: Upload Fee: 3000');
select is((select quote #>> '{locations,0,options,0,subtotal,aed}' from q where name = 'static'), '204020.00',
  'static subtotal = net rate + production fee + 520');
select is((select quote -> 'totals' -> 'subtotal' ->> 'aed' from q where name = 'static'), '292540.00',
  'separate totals add the first option of every location');

select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "dubai_gateway", "production_fee": 9999,
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 2, "net_rate": 687500 }] }] }$$) #>> '{locations,0,fee,aed}',
  '3000.00', 'a production fee on a digital location is ignored');
select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "t21_free_upload",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 2, "net_rate": 1000 }] }] }$$) #>> '{locations,0,options,0,subtotal,aed}',
  '1520.00', 'a stored upload fee of 0 is a real zero (§11.15)');
select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "t21_default_upload",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 2, "net_rate": 1000 }] }] }$$) #>> '{locations,0,fee,aed}',
  '3000.00', 'an upload fee that was never set is the default 3000');

-- Half-up display in real quotes: 1010 + 3000 + 520 = 4530, VAT 226.50, total 4756.50.
insert into q values ('halves', public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "dubai_gateway",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 1, "net_rate": 1010 },
                { "start_date": "2026-12-01", "duration_weeks": 1, "net_rate": "5174.50" }] }] }$$));
select is((select quote #>> '{locations,0,options,0,vat,display}' || ' / ' || (quote #>> '{locations,0,options,0,total,display}') from q where name = 'halves'),
  'AED 227 / AED 4,757', 'half dirhams round up in VAT and totals');
select is((select quote #>> '{locations,0,options,1,net_rate,display}' from q where name = 'halves'),
  'AED 5,175', 'AED 5174.50 is shown as AED 5,175');
select is((select quote #>> '{locations,0,options,0,end_date}' from q where name = 'halves'), '2026-12-08', 'one week');
select is(public.quote_proposal($${ "client_name": "Nike", "items": [{ "location": "dubai_gateway",
    "options": [{ "start_date": "2028-02-22", "duration_weeks": 1, "net_rate": 1 }] }] }$$) #>> '{locations,0,options,0,end_date}',
  '2028-02-29', 'end dates are calendar dates (leap day)');

-- Combined ---------------------------------------------------------------------------------------
insert into q values ('combined', public.quote_proposal($${
  "client_name": "Emaar", "proposal_type": "combined", "combined_net_rate": "2,000,000", "payment_terms": "50% upfront, 50% on posting",
  "items": [
    { "location": "dubai_gateway", "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] },
    { "location": "szr_unipole_north", "production_fee": 8500, "options": [{ "start_date": "2027-01-01", "duration_weeks": 2 }] }]
}$$));
select is((select quote #>> '{package,total_fees,aed}' from q where name = 'combined'), '11500.00', 'combined fees add every location''s fee');
select is((select quote #>> '{package,subtotal,aed}' from q where name = 'combined'), '2012020.00',
  'combined subtotal = combined rate + fees + ONE municipality fee');
select is((select quote #>> '{package,vat,aed}' || ' ' || (quote #>> '{package,total,aed}') from q where name = 'combined'),
  '100601.00 2112621.00', 'combined VAT and total');
select is((select quote #>> '{package,fee_label}' from q where name = 'combined'), 'Upload/Production Fee:', 'mixed digital and static: Upload/Production Fee:');
select is((select quote -> 'totals' from q where name = 'combined'),
  (select jsonb_build_object('subtotal', quote #> '{package,subtotal}', 'vat', quote #> '{package,vat}', 'total', quote #> '{package,total}') from q where name = 'combined'),
  'combined totals are the package');
select is((select quote #> '{locations,1,options,0}' from q where name = 'combined'),
  '{"start_date": "2027-01-01", "end_date": "2027-01-15", "duration_weeks": 2}'::jsonb,
  'combined locations carry dates only, no money rows');
select is((select quote #>> '{locations,1,fee,aed}' from q where name = 'combined'), '8500.00', 'and their own fee');
select is((select quote -> 'terms' ->> 0 from q where name = 'combined'), 'Payment terms: 50% upfront, 50% on posting.', 'payment terms as given');
select is(public.quote_proposal($${ "client_name": "Emaar", "proposal_type": "combined", "combined_net_rate": 300000, "items": [
    { "location": "szr_unipole_north", "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] },
    { "location": "al_khail_megacom", "production_fee": 8500, "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] }] }$$) #>> '{package,fee_label}',
  'Production Fee:', 'all static: Production Fee:');
select is((public.quote_proposal($${ "client_name": "Emaar", "proposal_type": "combined", "combined_net_rate": 1000000, "items": [
    { "location": "dubai_gateway", "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] },
    { "location": "jumeirah_beach_screen", "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] }] }$$) -> 'package')
    - array['net_rate', 'vat', 'subtotal', 'total_fees'],
  '{"fee_label": "Upload Fee:", "total": {"aed": "1056846.00", "amount": "1056846", "display": "AED 1,056,846"}}'::jsonb,
  'all digital: Upload Fee:, 1,000,000 + 6,000 + 520 + 5 % VAT');

-- Other currencies --------------------------------------------------------------------------------
insert into q values ('usd', public.quote_proposal($${ "client_name": "Emirates NBD", "currency": "USD", "items": [{ "location": "dubai_gateway",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1250000 }] }] }$$));
select is((select quote #>> '{locations,0,options,0,net_rate,display}' || ' ' || (quote #>> '{locations,0,fee,display}')
           || ' ' || (quote #>> '{municipality_fee,display}') from q where name = 'usd'),
  '$340,367.60 $816.88 $141.59', 'every money cell is converted: rate, fee, municipality fee');
select is((select quote #>> '{locations,0,options,0,total,aed}' from q where name = 'usd'), '1316196.00', 'the maths stays in AED');
select is((select quote -> 'terms' ->> -1 from q where name = 'usd'),
  'All amounts are shown in USD, converted from AED at the current exchange rate (1 USD = 3.6725 AED).',
  'non-AED proposals add the conversion note');
select is((select quote -> 'currency' from q where name = 'usd'),
  '{"code": "USD", "symbol": "$", "symbol_position": "prefix", "decimals": 2, "aed_per_unit": "3.6725"}'::jsonb,
  'the currency used');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "currency": "SAR", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'unsupported currency "SAR"; supported: AED, EUR, GBP, USD', 'an unsupported currency is refused');

-- Locations -----------------------------------------------------------------------------------------
select is(public.quote_proposal($${ "client_name": "X", "items": [{ "location": "  THE DUBAI gateway ",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1 }] }] }$$) #>> '{locations,0,location_key}',
  'dubai_gateway', 'display names resolve case-insensitively');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "cromwell_road_screen", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'unknown location "cromwell_road_screen"', 'another company''s location is unknown to a Dubai rep');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'unknown location "dubai"', 'no substring matching: "dubai" is not a location');
select ok(
  pg_temp.error_hint($$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "cromwell road scren", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$)
    not like '%cromwell%',
  'suggestions never reveal other companies'' locations');
select alike(
  pg_temp.error_hint($$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai gateway screen", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$),
  'closest matches: dubai_gateway (The Dubai Gateway)%', 'an unknown location suggests the closest of the caller''s own first');

select pg_temp.sign_in('uk.rep@mmg.demo');
select is(public.quote_proposal($${ "client_name": "X", "items": [{ "location": "cromwell_road_screen",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 68000 }] }] }$$) #>> '{locations,0,fee,aed}',
  '600.00', 'a UK rep quotes UK locations');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'unknown location "dubai_gateway"', 'and not Dubai ones');

select pg_temp.sign_in('admin@mmg.demo');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'location "dubai_gateway" exists in several of your companies (backlite_dubai, viola): add "company" to choose one',
  'a key in two of the caller''s companies must be disambiguated');
select is(public.quote_proposal($${ "client_name": "X", "items": [{ "location": "dubai_gateway", "company": "viola",
    "options": [{ "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1 }] }] }$$) #>> '{locations,0,display_name}',
  'Viola Gateway', 'with "company" it resolves');

select pg_temp.sign_in('viewer@mmg.demo');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '42501', 'quoting a proposal needs sales:proposals:create', 'a viewer cannot quote');

-- Validation ------------------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok(
  $$ select public.quote_proposal('{"items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'client_name: required, 1 to 200 characters', 'a client is required');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": -5}]}]}') $$,
  '22023', 'items[1].options[1].net_rate: must not be negative, got -5', 'a negative rate is refused, naming the field');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": "1.250.000"}]}]}') $$,
  '22023', 'items[1].options[1].net_rate: "1.250.000" is not an amount in AED (digits with optional thousands commas, an optional leading AED and up to 2 decimals)',
  'a malformed rate is refused');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "proposal_type": "combined", "combined_net_rate": 1, "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}]}]}') $$,
  '22023', 'items: a combined proposal needs at least 2 locations, got 1', 'combined needs two locations');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "proposal_type": "combined", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}]}, {"location": "szr_unipole_north", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}]}]}') $$,
  '22023', 'combined_net_rate: required for a combined proposal', 'combined needs its net rate');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "proposal_type": "combined", "combined_net_rate": 1, "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}, {"start_date": "2027-01-01", "duration_weeks": 4}]}, {"location": "szr_unipole_north", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}]}]}') $$,
  '22023', 'items[1].options: a combined proposal takes exactly one option per location, got 2', 'combined: one option per location');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": []}]}') $$,
  '22023', 'items[1].options: at least one option (start_date, duration_weeks, net_rate) is required', 'separate: at least one option');
select throws_ok(
  $$ select public.quote_proposal(jsonb_build_object('client_name', 'X', 'items', jsonb_build_array(jsonb_build_object('location', 'dubai_gateway',
       'options', (select jsonb_agg(jsonb_build_object('start_date', '2026-12-01', 'duration_weeks', n, 'net_rate', 1)) from generate_series(1, 11) n))))) $$,
  '22023', 'items[1].options: at most 10 options, got 11', 'separate: at most 10 options');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4}]}]}') $$,
  '22023', 'items[1].options[1].net_rate: required', 'separate options need a net rate');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'items[1].options[1].start_date: required', 'no default start date (§11.17)');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-02-30", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'items[1].options[1].start_date: must be an ISO date (YYYY-MM-DD), got "2026-02-30"', 'impossible dates are refused');
select throws_ok(
  $$ select public.quote_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "spots": 21, "options": [{"start_date": "2026-12-01", "duration_weeks": 0, "net_rate": 1}]}]}') $$,
  '22023', 'items[1].spots: must be a whole number from 1 to 20, got 21', 'spots are 1 to 20');

select * from finish();
rollback;
