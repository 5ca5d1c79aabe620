-- The booking-order state machine: every transition checks its actor (RBAC + company + stage),
-- the current state, and leaves one event; rejections need a reason; cancelling keeps the order;
-- revisions; and direct table writes cannot skip any of it.
begin;
select plan(60);

-- A coordinator of Viola only, to prove company scoping of the coordinator stage.
insert into auth.users (id, email) values ('41414141-0000-0000-0000-000000000001', 'viola.coordinator@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'coordinator')
  where id = '41414141-0000-0000-0000-000000000001';
insert into public.user_companies (user_id, company_id)
  select '41414141-0000-0000-0000-000000000001', id from public.companies where slug = 'viola';

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo' or email like '%@mmg.test';
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
create function pg_temp.uid(_email text) returns uuid language sql as $$ select id from pg_temp.demo_user where email = _email $$;
create function pg_temp.bo(_name text) returns uuid language sql as $$ select id from pg_temp.bo where name = _name $$;
create function pg_temp.submit(_name text, _company text, _client text) returns void language plpgsql as $$
begin
  insert into pg_temp.bo values (_name, (public.create_booking_order(_company, jsonb_build_object(
    'client', _client, 'brand_campaign', _client || ' launch', 'sla_pct', 0.05,
    'locations', jsonb_build_array(jsonb_build_object('name', case _company when 'viola' then '01A' else 'Al Khail Road Megacom' end,
      'start_date', '2027-03-01', 'end_date', '2027-03-14', 'net_amount', 90000)))) ->> 'id')::uuid);
end
$$;
-- State as postgres sees it, whatever the caller may read.
create function pg_temp.state(_name text) returns text language sql security definer as $$
  select stage::text || '/' || status from public.booking_orders where id = pg_temp.bo(_name)
$$;

select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin perform pg_temp.submit('w', 'backlite_dubai', 'Emaar'); perform pg_temp.submit('c', 'backlite_dubai', 'Damac');
            perform pg_temp.submit('r', 'backlite_dubai', 'Aldar'); end $$;
select pg_temp.sign_in('viola.rep@mmg.demo');
do $$ begin perform pg_temp.submit('v', 'viola', 'Meraas'); end $$;

-- Coordinator stage: who may act ------------------------------------------------------------
select pg_temp.sign_in('dubai.rep2@mmg.demo');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$,
  '42501', 'only a coordinator of backlite_dubai may approve booking order ' || pg_temp.bo('w'),
  'a sales user cannot approve at the coordinator stage (§11.4)');
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, '42501', null,
  'nor can the submitter approve their own order');
select pg_temp.sign_in('viola.coordinator@mmg.test');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, '42501', null,
  'a coordinator of another company cannot approve');
select throws_ok($$ select public.coordinator_reject_booking_order(pg_temp.bo('w'), 'wrong dates') $$, '42501', null,
  'nor reject');
select throws_ok($$ select public.edit_booking_order(pg_temp.bo('w'), '{"client": "Hijacked"}') $$, '42501', null,
  'nor edit');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, '42501', null,
  'the head of sales does not act at the coordinator stage');
select throws_ok($$ select public.hos_approve_booking_order(pg_temp.bo('w')) $$,
  '55000', 'booking order ' || pg_temp.bo('w') || ' is no longer pending at the hos stage (it is coordinator/pending): cannot approve it',
  'and cannot skip it: final approval needs the order at the head-of-sales stage');
select is(pg_temp.state('w'), 'coordinator/pending', 'refused calls change nothing');
select is((select count(*)::int from public.booking_order_events where booking_order_id = pg_temp.bo('w')), 1,
  'and write no event (only "submitted")');

-- Coordinator approval ------------------------------------------------------------------------
select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ select public.hos_approve_booking_order(pg_temp.bo('w')) $$, '42501', null,
  'a coordinator cannot give final approval');
select is((select j ->> 'stage' || '/' || (j ->> 'status') from public.coordinator_approve_booking_order(pg_temp.bo('w')) j),
  'hos/pending', 'the coordinator approves: the order moves to the head of sales and the new state is returned');
select is((select row(event_type, from_stage, to_stage, from_status, to_status, actor_id = pg_temp.uid('coordinator@mmg.demo'))::text
           from public.booking_order_events where booking_order_id = pg_temp.bo('w') order by id desc limit 1),
  '(coordinator_approved,coordinator,hos,pending,pending,t)', 'one event records who moved it from where to where');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$,
  '55000', 'booking order ' || pg_temp.bo('w') || ' is no longer pending at the coordinator stage (it is hos/pending): cannot approve it',
  'approving twice: the second call finds it no longer pending');
select throws_ok($$ select public.coordinator_reject_booking_order(pg_temp.bo('w'), 'late') $$, '55000', null,
  'a late rejection loses the same way');

-- Head-of-sales stage -------------------------------------------------------------------------
select pg_temp.sign_in('hos.viola@mmg.demo');
select throws_ok($$ select public.hos_approve_booking_order(pg_temp.bo('w')) $$,
  '42501', 'only a head of sales of backlite_dubai may approve booking order ' || pg_temp.bo('w'),
  'the head of sales of another company cannot approve');
select throws_ok($$ select public.hos_reject_booking_order(pg_temp.bo('w'), 'no') $$, '42501', null, 'nor reject');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select throws_ok($$ select public.hos_reject_booking_order(pg_temp.bo('w'), '   ') $$,
  '22023', 'reason: a reason is required to reject a booking order', 'a head-of-sales rejection needs a reason (blank is none)');
select throws_ok($$ select public.hos_reject_booking_order(pg_temp.bo('w'), null) $$, '22023', null, 'null is no reason either');
select is(pg_temp.state('w'), 'hos/pending', 'still waiting for the head of sales');
select is((select j ->> 'stage' || '/' || (j ->> 'status') || ': ' || (j ->> 'status_reason')
           from public.hos_reject_booking_order(pg_temp.bo('w'), '  Rate below floor for December  ') j),
  'coordinator/hos_rejected: Rate below floor for December', 'the rejection goes back to the coordinator with the reason');
select is((select reason from public.booking_order_events where booking_order_id = pg_temp.bo('w') order by id desc limit 1),
  'Rate below floor for December', 'the reason is in the history');

select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, '55000', null,
  'after a head-of-sales rejection the coordinator edits and resubmits before approving again');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('w'), '{"locations": [{"name": "Al Khail Road Megacom", "start_date": "2027-03-01", "end_date": "2027-03-14", "net_amount": 110000}]}') $$,
  'the coordinator edits the rejected order');
select is((select j ->> 'status' from public.resubmit_booking_order(pg_temp.bo('w')) j), 'pending', 'and resubmits it');
select throws_ok($$ select public.coordinator_reject_booking_order(pg_temp.bo('w'), '') $$,
  '22023', 'reason: a reason is required to reject a booking order', 'a coordinator rejection needs a reason too');
select is((select j ->> 'status' from public.coordinator_reject_booking_order(pg_temp.bo('w'), 'Client wants two weeks more') j), 'editing',
  'a coordinator rejection opens editing');
select throws_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, '55000', null, 'an order in editing is not approved directly');
select lives_ok($$ select public.resubmit_booking_order(pg_temp.bo('w')) $$, 'resubmitted after editing');
select throws_ok($$ select public.resubmit_booking_order(pg_temp.bo('w')) $$, '55000', null, 'a pending order is not resubmitted');
select lives_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w')) $$, 'approved by the coordinator');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select is((select j ->> 'stage' || '/' || (j ->> 'status') from public.hos_approve_booking_order(pg_temp.bo('w')) j), 'finance/approved',
  'the head of sales gives final approval');
select ok((select bo_ref ~ '^BO-\d{4}-\d{4}$' and approved_by = pg_temp.uid('hos.backlite@mmg.demo') from public.booking_orders where id = pg_temp.bo('w')),
  'with a reference and the approver');
select throws_ok($$ select public.hos_reject_booking_order(pg_temp.bo('w'), 'changed my mind') $$, '55000', null,
  'an approved order cannot be rejected');
select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ select public.edit_booking_order(pg_temp.bo('w'), '{"client": "Emaar PJSC"}') $$, '55000', null,
  'nor edited');
select is((select string_agg(event_type, ' ' order by id) from public.booking_order_events where booking_order_id = pg_temp.bo('w')),
  'submitted coordinator_approved hos_rejected edited resubmitted coordinator_rejected resubmitted coordinator_approved hos_approved',
  'the whole path is in the history, one event per step');

-- Admins act at any stage ---------------------------------------------------------------------
select pg_temp.sign_in('admin@mmg.demo');
select is((select j ->> 'stage' from public.coordinator_approve_booking_order(pg_temp.bo('v')) j), 'hos', 'an administrator may act as coordinator');
select is((select j ->> 'status' from public.hos_approve_booking_order(pg_temp.bo('v')) j), 'approved', 'and as head of sales');

-- Cancelling keeps the order --------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ select public.cancel_booking_order(pg_temp.bo('c'), 'client withdrew') $$, '42501', null,
  'a sales user cannot cancel');
select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ select public.cancel_booking_order(pg_temp.bo('c'), '') $$, '22023',
  'reason: a reason is required to cancel a booking order', 'cancelling needs a reason');
select is((select j ->> 'status' from public.cancel_booking_order(pg_temp.bo('c'), 'Client withdrew the campaign') j), 'cancelled',
  'the coordinator cancels with a reason');
select is((select row(stage, status, status_reason)::text from public.booking_orders where id = pg_temp.bo('c')),
  '(coordinator,cancelled,"Client withdrew the campaign")', 'the order is kept, marked cancelled with its reason (§11.13)');
select is((select row(event_type, to_status, reason)::text from public.booking_order_events where booking_order_id = pg_temp.bo('c') order by id desc limit 1),
  '(cancelled,cancelled,"Client withdrew the campaign")', 'and the cancellation is in its history');
select throws_ok($$ select public.cancel_booking_order(pg_temp.bo('c'), 'again') $$, '55000',
  'booking order ' || pg_temp.bo('c') || ' is already cancelled', 'a cancelled order stays cancelled');
select throws_ok($$ select public.cancel_booking_order(pg_temp.bo('w'), 'too late') $$, '42501', null,
  'an approved order is cancelled only by a head of sales or an admin');

-- Revisions ---------------------------------------------------------------------------------------
select throws_ok($$ select public.revise_booking_order(pg_temp.bo('w')) $$, '42501', null,
  'revising needs sales:booking_orders:manage');
select pg_temp.sign_in('sales.manager@mmg.demo');
select throws_ok($$ select public.revise_booking_order(pg_temp.bo('r')) $$, '55000', null, 'only approved orders are revised');
do $$ begin insert into pg_temp.bo values ('w2', (public.revise_booking_order(pg_temp.bo('w'), 'Extend by a week') ->> 'id')::uuid); end $$;
select is((select row(stage, status, revision_of = pg_temp.bo('w'), owner_id = pg_temp.uid('dubai.rep1@mmg.demo'), client_name)::text
           from public.booking_orders where id = pg_temp.bo('w2')),
  '(coordinator,pending,t,t,Emaar)', 'a revision is a new order at the coordinator, linked to the original, owned by the submitter');
select is((select net_pre_vat from public.booking_orders where id = pg_temp.bo('w2')), 110000.00::numeric, 'with the original''s data');
select throws_ok($$ select public.revise_booking_order(pg_temp.bo('w')) $$, '55000', null, 'one open revision at a time');
select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('w2')) $$, 'the revision goes through the coordinator');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select lives_ok($$ select public.hos_approve_booking_order(pg_temp.bo('w2')) $$, 'and the head of sales');
select is(pg_temp.state('w'), 'finance/superseded', 'the approved revision supersedes the original');
select isnt((select bo_ref from public.booking_orders where id = pg_temp.bo('w2')), (select bo_ref from public.booking_orders where id = pg_temp.bo('w')),
  'the revision has its own reference');

-- Direct writes cannot bypass the workflow ---------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ update public.booking_orders set stage = 'finance', status = 'approved' where id = pg_temp.bo('r') $$,
  '42501', null, 'the owner cannot approve by updating the row');
select throws_ok($$ update public.booking_orders set client_name = 'Changed' where id = pg_temp.bo('r') $$,
  '42501', 'booking order ' || pg_temp.bo('r') || ' is submitted: change it with public.edit_booking_order',
  'a submitted order is not edited behind the coordinator''s back');
select throws_ok($$ insert into public.booking_order_items (booking_order_id, position, name, net_amount) values (pg_temp.bo('r'), 9, 'Extra', 1) $$,
  '42501', null, 'nor are its locations');
select throws_ok($$ insert into public.booking_order_events (booking_order_id, event_type, to_status) values (pg_temp.bo('r'), 'hos_approved', 'approved') $$,
  '42501', null, 'history other than notes cannot be forged');
select throws_ok($$ delete from public.booking_orders where id = pg_temp.bo('w') $$,
  '42501', null, 'an approved order cannot be deleted by its owner');
select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ update public.booking_orders set stage = 'coordinator', status = 'editing' where id = pg_temp.bo('r') $$,
  '42501', null, 'rejecting needs the function (and its reason)');
select throws_ok($$ update public.booking_orders set bo_ref = 'BO-2026-9999' where id = pg_temp.bo('r') $$,
  '42501', 'bo_ref changes only through the booking-order workflow functions', 'references are never set by hand');

select * from finish();
rollback;
