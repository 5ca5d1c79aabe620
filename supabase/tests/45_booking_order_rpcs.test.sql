-- The SPA's booking-order reads: what is pending for my role and companies, one order as JSON,
-- and its history — readable by exactly those who can see the order.
begin;
select plan(15);

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
create function pg_temp.pending() returns text language sql as $$
  select coalesce(string_agg(b.name || ':' || p.stage || '/' || p.status || ':' || array_to_string(p.actions, ','), ' ' order by b.name), '')
  from public.pending_booking_orders() p join pg_temp.bo b on b.id = p.booking_order_id
$$;

select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin
  insert into pg_temp.bo values ('dubai', (public.create_booking_order('backlite_dubai', '{"client": "Emaar", "net_pre_vat": 1000}') ->> 'id')::uuid);
  insert into pg_temp.bo values ('dubai2', (public.create_booking_order('backlite_dubai', '{"client": "Damac", "net_pre_vat": 2000}') ->> 'id')::uuid);
end $$;
select pg_temp.sign_in('viola.rep@mmg.demo');
do $$ begin
  insert into pg_temp.bo values ('viola', (public.create_booking_order('viola', '{"client": "Meraas", "net_pre_vat": 3000}') ->> 'id')::uuid);
end $$;
select pg_temp.sign_in('coordinator@mmg.demo');
do $$ begin
  perform public.coordinator_approve_booking_order(pg_temp.bo('dubai2'));
  perform public.coordinator_approve_booking_order(pg_temp.bo('viola'));
end $$;

select is(pg_temp.pending(), 'dubai:coordinator/pending:approve,reject,edit,cancel',
  'a coordinator sees what waits at the coordinator stage in their companies, with the actions open to them');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select is(pg_temp.pending(), 'dubai2:hos/pending:approve,reject,cancel', 'the Backlite head of sales sees the Backlite order waiting for them');
select pg_temp.sign_in('hos.viola@mmg.demo');
select is(pg_temp.pending(), 'viola:hos/pending:approve,reject,cancel', 'the Viola head of sales only the Viola one');
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select is(pg_temp.pending(), '', 'a sales person has nothing to act on');
select pg_temp.sign_in('admin@mmg.demo');
select is(pg_temp.pending(),
  'dubai:coordinator/pending:approve,reject,edit,cancel dubai2:hos/pending:approve,reject,cancel viola:hos/pending:approve,reject,cancel',
  'an administrator sees everything pending');
select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.coordinator_reject_booking_order(pg_temp.bo('dubai'), 'Missing the DM fee') $$, 'the coordinator rejects one');
select is(pg_temp.pending(), 'dubai:coordinator/editing:edit,resubmit,cancel', 'it stays on their list, to edit and resubmit');

-- One order, its history -----------------------------------------------------------------------
select is((public.get_booking_order(pg_temp.bo('dubai')) #>> '{fields,client}'), 'Emaar', 'the coordinator reads the order');
select is((select string_agg(event_type || ':' || actor_name || coalesce(':' || reason, ''), ' ' order by event_id) from public.booking_order_history(pg_temp.bo('dubai'))),
  'submitted:Karim Saleh coordinator_rejected:Rania Khalil:Missing the DM fee', 'and its history with names and reasons');
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select is((select count(*)::int from public.booking_order_history(pg_temp.bo('dubai'))), 2, 'the submitter reads the history of their order');
select pg_temp.sign_in('dubai.rep2@mmg.demo');
select throws_ok($$ select * from public.booking_order_history(pg_temp.bo('dubai')) $$,
  'P0002', 'booking order ' || pg_temp.bo('dubai') || ' not found', 'a colleague who cannot see the order cannot read its history');
select throws_ok($$ select public.get_booking_order(pg_temp.bo('dubai')) $$, 'P0002', null, 'nor the order');
select pg_temp.sign_in('hos.viola@mmg.demo');
select throws_ok($$ select * from public.booking_order_history(pg_temp.bo('dubai')) $$, 'P0002', null,
  'nor does the head of sales of another company');
select pg_temp.sign_in('finance@mmg.demo');
select throws_ok($$ select public.get_booking_order(pg_temp.bo('dubai')) $$, 'P0002', null,
  'finance does not see orders before final approval');
select pg_temp.sign_in('hos.backlite@mmg.demo');
do $$ begin perform public.hos_approve_booking_order(pg_temp.bo('dubai2')); end $$;
select pg_temp.sign_in('finance@mmg.demo');
select is((select count(*)::int from public.booking_order_history(pg_temp.bo('dubai2'))), 3,
  'and reads an approved one with its history');

select * from finish();
rollback;
