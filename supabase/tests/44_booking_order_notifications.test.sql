-- Notifications from the database: each workflow step notifies the next actors of the order's
-- company and the submitter (never the actor), each person reads and marks only their own, and
-- every notification is posted to the Slack-notifier webhook when one is configured.
begin;
select plan(22);

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
-- Who got what for an order's last event, as postgres sees it: "email:kind" sorted.
create function pg_temp.told(_name text, _event text) returns text language sql security definer as $$
  select coalesce(string_agg(split_part(u.email, '@', 1) || ':' || replace(n.kind::text, 'booking_order_', ''), ' ' order by u.email), '')
  from public.notifications n
  join public.booking_order_events e on e.id = n.event_id
  join pg_temp.demo_user u on u.id = n.recipient_id
  where n.booking_order_id = pg_temp.bo(_name) and e.event_type = _event
$$;

delete from private.app_settings where key in ('notifications_webhook_url', 'notifications_webhook_secret');

select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin insert into pg_temp.bo values ('n', (public.create_booking_order('backlite_dubai', '{
  "client": "Emaar", "brand_campaign": "Dubai Hills", "bo_number": "EM-77", "net_pre_vat": 100000,
  "locations": [{"name": "The Dubai Gateway", "start_date": "2027-04-01", "end_date": "2027-04-14", "net_amount": 60000},
                {"name": "JBR Beachfront Screen", "start_date": "2027-04-01", "end_date": "2027-04-14", "net_amount": 20000},
                {"name": "Business Bay Crossing", "start_date": "2027-04-01", "end_date": "2027-04-14", "net_amount": 10000},
                {"name": "marina_mega_screen", "start_date": "2027-04-01", "end_date": "2027-04-14", "net_amount": 10000}]}') ->> 'id')::uuid); end $$;
select is(pg_temp.told('n', 'submitted'), 'coordinator:to_review sales.manager:to_review',
  'a submission goes to the coordinators of the company (the coordinator, and the sales manager who holds sales:*:*), not to the submitter who acted');
reset role;
select is((select title from public.notifications n join demo_user u on u.id = n.recipient_id where u.email = 'coordinator@mmg.demo' and n.booking_order_id = pg_temp.bo('n')),
  'Booking order to review: Emaar (BACKLITE_DUBAI)', 'the title says what to do and for whom');
select is((select body from public.notifications n join demo_user u on u.id = n.recipient_id where u.email = 'coordinator@mmg.demo' and n.booking_order_id = pg_temp.bo('n')),
  E'Company: BACKLITE_DUBAI\nClient: Emaar\nCampaign: Dubai Hills\nBO number: EM-77\nNet (pre-VAT): 100,000.00 AED\nVAT (5%): 5,000.00 AED\nGross total: 105,000.00 AED\nLocations:\nThe Dubai Gateway: 1st April 2027 to 14th April 2027\nJBR Beachfront Screen: 1st April 2027 to 14th April 2027\nBusiness Bay Crossing: 1st April 2027 to 14th April 2027\n…and 1 more',
  'the body is the approver summary of §3.5: amounts in the order''s currency, three locations and "…and N more"');
select is((select data ->> 'event_type' || ' ' || (data ->> 'company') from public.notifications where booking_order_id = pg_temp.bo('n') limit 1),
  'submitted backlite_dubai', 'data carries the machine-readable context');

select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('n')) $$, 'the coordinator approves');
select is(pg_temp.told('n', 'coordinator_approved'), 'dubai.rep1:status hos.backlite:to_review sales.manager:to_review',
  'the heads of sales of the company must act; the submitter hears about it; not hos.viola, not the coordinator');

select pg_temp.sign_in('hos.backlite@mmg.demo');
select lives_ok($$ select public.hos_reject_booking_order(pg_temp.bo('n'), 'Gateway rate too low') $$, 'the head of sales rejects');
select is(pg_temp.told('n', 'hos_rejected'), 'coordinator:to_review dubai.rep1:status sales.manager:to_review',
  'the rejection goes back to the coordinators and to the submitter');
reset role;
select ok((select body like E'Reason: Gateway rate too low\nCompany: BACKLITE_DUBAI%' from public.notifications n
           join demo_user u on u.id = n.recipient_id join public.booking_order_events e on e.id = n.event_id
           where u.email = 'coordinator@mmg.demo' and e.event_type = 'hos_rejected'),
  'with the reason first');

select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.resubmit_booking_order(pg_temp.bo('n')); select public.coordinator_approve_booking_order(pg_temp.bo('n')) $$,
  'resubmitted and approved again');

-- The webhook, from here on.
reset role;
insert into private.app_settings (key, value) values
  ('notifications_webhook_url', 'http://127.0.0.1:54321/functions/v1/slack-notifier'), ('notifications_webhook_secret', 't44-secret');
select pg_temp.sign_in('hos.backlite@mmg.demo');
select lives_ok($$ select public.hos_approve_booking_order(pg_temp.bo('n')) $$, 'the head of sales approves');
select is(pg_temp.told('n', 'hos_approved'), 'coordinator:status dubai.rep1:status finance:approved sales.manager:approved',
  'final approval tells finance (approved: finance and the sales manager, who holds sales:*:*), the submitter and the coordinators');
reset role;
select is((select title from public.notifications n join demo_user u on u.id = n.recipient_id where u.email = 'finance@mmg.demo'),
  (select 'Booking order approved: ' || bo_ref || ' — Emaar (BACKLITE_DUBAI)' from public.booking_orders where id = pg_temp.bo('n')),
  'finance sees the reference');
select results_eq(
  $$ select q.url, q.headers, convert_from(q.body, 'UTF8')::jsonb, q.timeout_milliseconds
     from net.http_request_queue q join public.notifications n on n.id::text = q.headers ->> 'X-Notification-Id'
     join demo_user u on u.id = n.recipient_id where u.email = 'finance@mmg.demo' $$,
  $$ select 'http://127.0.0.1:54321/functions/v1/slack-notifier',
            jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer t44-secret', 'X-Notification-Id', n.id::text),
            jsonb_build_object('notification_id', n.id), 5000
     from public.notifications n join demo_user u on u.id = n.recipient_id where u.email = 'finance@mmg.demo' $$,
  'each notification is posted to the webhook: {notification_id}, bearer secret, 5 s timeout');
select is((select count(*)::int from public.notifications n join public.booking_order_events e on e.id = n.event_id
           where e.event_type = 'hos_approved' and n.booking_order_id = pg_temp.bo('n') and n.dispatched_at is not null), 4,
  'and marked dispatched');
select is((select count(*)::int from public.notifications n join public.booking_order_events e on e.id = n.event_id
           where e.event_type = 'submitted' and n.booking_order_id = pg_temp.bo('n') and n.dispatched_at is null), 2,
  'without a webhook URL nothing was posted (and nothing failed)');

-- Inbox privacy ------------------------------------------------------------------------------------
select pg_temp.sign_in('coordinator@mmg.demo');
select is((select count(*)::int from public.notifications where recipient_id <> (select id from demo_user where email = 'coordinator@mmg.demo')), 0,
  'people read only their own notifications');
select is((select count(*)::int from public.notifications), 3, 'the coordinator has three');
select throws_ok($$ update public.notifications set title = 'spoofed' $$, '42501', null, 'only read_at can be changed');
select throws_ok($$ insert into public.notifications (recipient_id, kind, title, body) select id, 'booking_order_status', 'x', 'y' from demo_user where email = 'finance@mmg.demo' $$,
  '42501', null, 'nobody writes notifications through the API');
select is(public.mark_notifications_read(), 3, 'the coordinator marks their inbox read');
select pg_temp.sign_in('finance@mmg.demo');
select is((select count(*)::int from public.notifications where read_at is null), 1, 'which does not touch anyone else''s');

select * from finish();
rollback;
