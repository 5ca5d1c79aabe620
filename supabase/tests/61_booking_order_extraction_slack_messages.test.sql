-- Slack DMs of a booking order that moved on (slack_booking_order_messages): only the service
-- role asks; it lists the delivered to-review DMs of EARLIER events of that order — never
-- undelivered ones, status news, other orders, or the current event's own DMs — each with the
-- buttons its recipient may press now (slack_notification's rule), so a stale DM loses them.
begin;
select plan(9);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated, service_role;
create temp table bo (name text primary key, id uuid) on commit drop;
grant all on bo to authenticated, service_role;
create function pg_temp.uid(_email text) returns uuid language sql as $$ select id from pg_temp.demo_user where email = _email $$;
create function pg_temp.bo(_name text) returns uuid language sql as $$ select id from pg_temp.bo where name = _name $$;
create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', json_build_object('sub', pg_temp.uid(_email), 'role', 'authenticated')::text, true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.event_of(_name text, _type text) returns bigint language sql security definer as $$
  select max(id) from public.booking_order_events where booking_order_id = pg_temp.bo(_name) and event_type = _type
$$;
-- The listed DM of one recipient.
create function pg_temp.dm(_name text, _before bigint, _email text) returns jsonb language sql as $$
  select m from jsonb_array_elements(public.slack_booking_order_messages(pg_temp.bo(_name), _before)) m
  where m -> 'recipient' ->> 'user_id' = pg_temp.uid(_email)::text
$$;
grant execute on function pg_temp.uid(text), pg_temp.bo(text), pg_temp.event_of(text, text),
  pg_temp.dm(text, bigint, text) to authenticated, service_role;

delete from private.app_settings where key in ('notifications_webhook_url', 'notifications_webhook_secret');

select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin
  insert into pg_temp.bo values ('a', (public.create_booking_order('backlite_dubai',
    '{"client": "Emaar", "net_pre_vat": 1000}') ->> 'id')::uuid);
  insert into pg_temp.bo values ('other', (public.create_booking_order('backlite_dubai',
    '{"client": "Other", "net_pre_vat": 1000}') ->> 'id')::uuid);
end $$;
reset role;

-- The coordinator's DMs of both orders were delivered; the rep's status note was too.
update public.notifications n set slack_channel = 'DCOORD', slack_ts = '1.000' || n.id::text, delivered_at = now()
where n.booking_order_id in (pg_temp.bo('a'), pg_temp.bo('other'));

select pg_temp.sign_in('coordinator@mmg.demo');
do $$ begin perform public.coordinator_approve_booking_order(pg_temp.bo('a')); end $$;
reset role;

select ok(not has_function_privilege('authenticated', 'public.slack_booking_order_messages(uuid, bigint)', 'execute')
          and not has_function_privilege('anon', 'public.slack_booking_order_messages(uuid, bigint)', 'execute'),
  'signed-in users and anon cannot list Slack messages');
select ok(has_function_privilege('service_role', 'public.slack_booking_order_messages(uuid, bigint)', 'execute'),
  'the service role can');

set local role service_role;
-- Coordinators of backlite_dubai: the coordinator and the sales manager (sales:*:*).
select is(
  (select array_agg(m -> 'recipient' ->> 'name' order by m -> 'recipient' ->> 'name')
   from jsonb_array_elements(public.slack_booking_order_messages(pg_temp.bo('a'), pg_temp.event_of('a', 'coordinator_approved'))) m),
  array['Omar Farouk', 'Rania Khalil'],
  'the earlier to-review DMs of the order: not the status news to the rep, not the other order');
select is(pg_temp.dm('a', pg_temp.event_of('a', 'coordinator_approved'), 'coordinator@mmg.demo') ->> 'slack_channel', 'DCOORD',
  'with the channel it was posted to');
select is(pg_temp.dm('a', pg_temp.event_of('a', 'coordinator_approved'), 'coordinator@mmg.demo') -> 'actions', '[]'::jsonb,
  'the coordinator''s DM has no buttons now that the order is with the head of sales');
select is(pg_temp.dm('a', pg_temp.event_of('a', 'coordinator_approved'), 'sales.manager@mmg.demo') ->> 'action_stage', 'hos',
  'the sales manager, also a head of sales of the company, may act at the new stage');
select is(public.slack_booking_order_messages(pg_temp.bo('other'), 9223372036854775807) -> 0 -> 'actions',
  '["approve", "reject", "cancel"]'::jsonb, 'an order still pending keeps its buttons');
select is(jsonb_array_length(public.slack_booking_order_messages(pg_temp.bo('a'), pg_temp.event_of('a', 'submitted'))), 0,
  'nothing from the event itself or later');
reset role;

update public.notifications set slack_ts = null, slack_channel = null where booking_order_id = pg_temp.bo('a');
set local role service_role;
select is(jsonb_array_length(public.slack_booking_order_messages(pg_temp.bo('a'), 9223372036854775807)), 0,
  'undelivered DMs are not listed');
reset role;

select * from finish();
rollback;
