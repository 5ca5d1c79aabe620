-- Occupancy at final approval: matched items become confirmed occupations with the location's
-- share of voice; unmatched items are reported; share of voice above 100 % on any day is refused
-- with the conflicts listed and nothing written; cancelling an approved order frees its slots.
begin;
select plan(17);

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
create function pg_temp.to_hos(_name text, _client text, _locations jsonb) returns void language plpgsql as $$
begin
  perform pg_temp.sign_in('dubai.rep1@mmg.demo');
  insert into pg_temp.bo values (_name, (public.create_booking_order('backlite_dubai',
    jsonb_build_object('client', _client, 'locations', _locations)) ->> 'id')::uuid);
  perform pg_temp.sign_in('coordinator@mmg.demo');
  perform public.coordinator_approve_booking_order(pg_temp.bo(_name));
  perform pg_temp.sign_in('hos.backlite@mmg.demo');
end
$$;
-- The calendar as postgres sees it.
create function pg_temp.occupations(_name text) returns text language sql security definer as $$
  select coalesce(string_agg(concat_ws(' ', l.location_key, o.start_date, o.end_date, o.sov_percent, o.status, o.net_rate), ' | '
                             order by l.location_key, o.start_date), '')
  from backlite_dubai.location_occupations o join backlite_dubai.locations l on l.id = o.location_id
  where o.booking_order_id = pg_temp.bo(_name)
$$;
create function pg_temp.error_of(_sql text) returns jsonb language plpgsql as $$
declare
  _state text; _message text; _detail text;
begin
  execute _sql;
  return null;
exception when others then
  get stacked diagnostics _state = returned_sqlstate, _message = message_text, _detail = pg_exception_detail;
  return jsonb_build_object('state', _state, 'message', _message, 'detail', _detail::jsonb);
end
$$;
create function pg_temp.state(_name text) returns text language sql security definer as $$
  select concat_ws('/', stage, status, coalesce(bo_ref, 'no ref')) from public.booking_orders where id = pg_temp.bo(_name)
$$;

do $$ begin perform pg_temp.to_hos('first', 'Emaar', '[
  {"name": "The Dubai Gateway", "start_date": "2027-02-01", "end_date": "2027-02-14", "net_amount": 250000},
  {"name": "Sheikh Zayed Road Unipole North", "start_date": "2027-02-01", "end_date": "2027-02-28", "net_amount": 95000},
  {"name": "Unknown Tower", "start_date": "2027-02-01", "end_date": "2027-02-28", "net_amount": 5000}]'); end $$;
select is((public.hos_approve_booking_order(pg_temp.bo('first')) #> '{occupancy,unbooked}'),
  '[{"name": "Unknown Tower", "reason": "no matching location of backlite_dubai", "position": 3}]'::jsonb,
  'final approval reports the items it could not book instead of dropping them');
select is(pg_temp.occupations('first'),
  'dubai_gateway 2027-02-01 2027-02-14 16.67 confirmed 250000.00 | szr_unipole_north 2027-02-01 2027-02-28 100.00 confirmed 95000.00',
  'each matched item is a confirmed occupation with the location''s SOV (a static board without SOV is sold whole: 100)');
select ok((select warnings::text like '%Unknown Tower%' from public.booking_orders where id = pg_temp.bo('first')),
  'the unmatched item is also a warning on the order');
select is((select count(*)::int from backlite_dubai.location_occupations where booking_order_id = pg_temp.bo('first')), 2,
  'the head of sales reads the calendar rows');

-- Overbooking ----------------------------------------------------------------------------------
do $$ begin perform pg_temp.to_hos('clash', 'Damac', '[
  {"name": "The Dubai Gateway", "start_date": "2027-02-10", "end_date": "2027-02-20", "net_amount": 100000},
  {"name": "szr unipole north", "start_date": "2027-02-20", "end_date": "2027-03-05", "net_amount": 90000}]'); end $$;
create temp table clash on commit drop as select pg_temp.error_of(format('select public.hos_approve_booking_order(%L)', pg_temp.bo('clash'))) as e;
select is((select e ->> 'state' from clash), '23P01', 'an approval that would take a location above 100 % share of voice is refused');
select is((select e ->> 'message' from clash),
  format('booking order %s would overbook: share of voice above 100 %% — Sheikh Zayed Road Unipole North (szr_unipole_north) on 2027-02-20: 200.00 %% share of voice — %s Emaar 2027-02-01 to 2027-02-28 (100.00 %%); this booking order Damac 2027-02-20 to 2027-03-05 (100.00 %%)',
         pg_temp.bo('clash'), (select bo_ref from public.booking_orders where id = pg_temp.bo('first'))),
  'the error names the location, the day, the SOV sum and the overlapping bookings with their dates');
select is((select jsonb_path_query_array(e -> 'detail', '$[*].location_key') from clash), '["szr_unipole_north"]'::jsonb,
  'DETAIL carries the conflicts as JSON; the Gateway (16.67 % + 16.67 %) is not one');
select is(pg_temp.occupations('clash'), '', 'nothing is written for the refused order');
select is(pg_temp.state('clash'), 'hos/pending/no ref', 'which stays with the head of sales, without a reference');

-- Share of voice adds up per day ---------------------------------------------------------------
do $$ begin perform pg_temp.to_hos('loop', 'Nakheel', '[
  {"name": "dubai_gateway", "start_date": "2027-02-05", "end_date": "2027-02-12", "net_amount": 1},
  {"name": "dubai_gateway", "start_date": "2027-02-05", "end_date": "2027-02-12", "net_amount": 1},
  {"name": "dubai_gateway", "start_date": "2027-02-05", "end_date": "2027-02-12", "net_amount": 1},
  {"name": "dubai_gateway", "start_date": "2027-02-05", "end_date": "2027-02-12", "net_amount": 1},
  {"name": "dubai_gateway", "start_date": "2027-02-12", "end_date": "2027-02-18", "net_amount": 1}]'); end $$;
select lives_ok(format('select public.hos_approve_booking_order(%L)', pg_temp.bo('loop')),
  'six 16.67 % spots of one screen on the same days fill its loop (100.02 %, rounding) and are accepted');
do $$ begin perform pg_temp.to_hos('seventh', 'Aldar', '[
  {"name": "The Dubai Gateway", "start_date": "2027-02-13", "end_date": "2027-02-13", "net_amount": 1}]'); end $$;
select lives_ok(format('select public.hos_approve_booking_order(%L)', pg_temp.bo('seventh')),
  'a seventh spot on a day with only two others is accepted: the check is per day, not per period');
do $$ begin perform pg_temp.to_hos('eighth', 'Meraas', '[
  {"name": "The Dubai Gateway", "start_date": "2027-02-10", "end_date": "2027-02-12", "net_amount": 1}]'); end $$;
create temp table eighth on commit drop as select pg_temp.error_of(format('select public.hos_approve_booking_order(%L)', pg_temp.bo('eighth'))) as e;
select is((select (e -> 'detail' -> 0 ->> 'day') || ' ' || (e -> 'detail' -> 0 ->> 'sov_total') || ' ' || jsonb_array_length(e -> 'detail' -> 0 -> 'bookings') from eighth),
  '2027-02-12 116.69 7',
  'a booking that fits on its first day but would be the seventh spot on a later one is refused, reporting that day, its SOV and all seven bookings');

-- Cancelling an approved order frees its slots -------------------------------------------------
select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok(format('select public.cancel_booking_order(%L, %L)', pg_temp.bo('first'), 'client cancelled'), '42501', null,
  'a coordinator cannot cancel an approved order');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select is((public.cancel_booking_order(pg_temp.bo('first'), 'Client cancelled the February flight') ->> 'status'), 'cancelled',
  'the head of sales cancels the approved order');
select is((select string_agg(status::text, ' ') from backlite_dubai.location_occupations where booking_order_id = pg_temp.bo('first')),
  'cancelled cancelled', 'its occupations are released, not deleted');
select is((public.hos_approve_booking_order(pg_temp.bo('clash')) ->> 'status'), 'approved',
  'and the refused order now fits');
select is((select string_agg(l.location_key || ' ' || o.sov_percent, ', ' order by l.location_key)
           from backlite_dubai.location_occupations o join backlite_dubai.locations l on l.id = o.location_id
           where o.booking_order_id = pg_temp.bo('clash')),
  'dubai_gateway 16.67, szr_unipole_north 100.00', 'with its occupations written');

select * from finish();
rollback;
