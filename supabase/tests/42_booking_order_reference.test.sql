-- BO references: BO-YYYY-NNNN from a per-year counter advanced in one atomic upsert, assigned at
-- final approval; consecutive approvals get consecutive numbers and a new year starts at 0001.
begin;
select plan(9);

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
create function pg_temp.to_hos(_name text) returns void language plpgsql as $$
begin
  perform pg_temp.sign_in('dubai.rep1@mmg.demo');
  insert into pg_temp.bo values (_name, (public.create_booking_order('backlite_dubai',
    jsonb_build_object('client', 'Client ' || _name, 'net_pre_vat', 1000)) ->> 'id')::uuid);
  perform pg_temp.sign_in('coordinator@mmg.demo');
  perform public.coordinator_approve_booking_order(pg_temp.bo(_name));
end
$$;
create function pg_temp.ref(_name text) returns text language sql as $$ select bo_ref from public.booking_orders where id = pg_temp.bo(_name) $$;

-- This year's counter starts afresh inside the test transaction.
delete from private.booking_order_ref_counters
  where year = extract(year from now() at time zone 'Asia/Dubai')::integer;

do $$ begin perform pg_temp.to_hos('first'); perform pg_temp.to_hos('second'); perform pg_temp.to_hos('third'); end $$;
select pg_temp.sign_in('hos.backlite@mmg.demo');
select is(pg_temp.ref('first'), null, 'no reference before final approval');
select is((public.hos_approve_booking_order(pg_temp.bo('second')) ->> 'bo_ref'),
  'BO-' || extract(year from now() at time zone 'Asia/Dubai')::integer || '-0001',
  'the first approval of the year is BO-YYYY-0001 (the year in the company''s time zone)');
select is((public.hos_approve_booking_order(pg_temp.bo('first')) ->> 'bo_ref'),
  'BO-' || extract(year from now() at time zone 'Asia/Dubai')::integer || '-0002',
  'the next approval gets the next number, in approval order');
reset role;
select is((select last_number from private.booking_order_ref_counters where year = extract(year from now() at time zone 'Asia/Dubai')::integer), 2,
  'the year''s counter holds the last number issued');

select is(private.next_booking_order_ref(2031), 'BO-2031-0001', 'each year has its own counter');
select is(private.next_booking_order_ref(2031), 'BO-2031-0002', 'which advances by one');
select is(private.next_booking_order_ref(2032), 'BO-2032-0001', 'a new year restarts at 0001');
update private.booking_order_ref_counters set last_number = 9999 where year = 2031;
select is(private.next_booking_order_ref(2031), 'BO-2031-10000', 'after 9999 the number grows a digit instead of wrapping');
select ok(not has_function_privilege('authenticated', 'private.next_booking_order_ref(integer)', 'execute')
          and not has_table_privilege('authenticated', 'private.booking_order_ref_counters', 'update'),
  'only the approval function issues references');

select * from finish();
rollback;
