-- Slack: deliveries are claimed once, the service-role-only wrappers act as the linked platform
-- user through the very same workflow functions (a Slack user who is not the stage's actor is
-- refused and nothing changes; an unlinked or deactivated one is refused), a dry run changes
-- nothing, and the notifier gets each recipient's current buttons.
begin;
select plan(48);

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
create function pg_temp.as_service_role() returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
  perform set_config('role', 'service_role', true);
end
$$;
-- As postgres sees it, whoever is calling.
create function pg_temp.state(_name text) returns text language sql security definer as $$
  select stage::text || '/' || status from public.booking_orders where id = pg_temp.bo(_name)
$$;
create function pg_temp.events(_name text) returns integer language sql security definer as $$
  select count(*)::int from public.booking_order_events where booking_order_id = pg_temp.bo(_name)
$$;
create function pg_temp.notification_for(_name text, _email text, _event text) returns uuid language sql security definer as $$
  select n.id from public.notifications n join public.booking_order_events e on e.id = n.event_id
  where n.booking_order_id = pg_temp.bo(_name) and n.recipient_id = pg_temp.uid(_email) and e.event_type = _event
$$;
grant execute on function pg_temp.uid(text), pg_temp.bo(text), pg_temp.state(text), pg_temp.events(text),
  pg_temp.notification_for(text, text, text) to authenticated, service_role;

delete from private.app_settings where key in ('notifications_webhook_url', 'notifications_webhook_secret');
update public.users set slack_user_id = null where slack_user_id in ('UCOORD0001', 'UHOSBL0001', 'UHOSVI0001', 'UREP000001');
update public.users set slack_user_id = 'UCOORD0001' where id = pg_temp.uid('coordinator@mmg.demo');
update public.users set slack_user_id = 'UHOSBL0001' where id = pg_temp.uid('hos.backlite@mmg.demo');
update public.users set slack_user_id = 'UHOSVI0001' where id = pg_temp.uid('hos.viola@mmg.demo');
update public.users set slack_user_id = 'UREP000001' where id = pg_temp.uid('dubai.rep1@mmg.demo');

select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin insert into pg_temp.bo values ('s', (public.create_booking_order('backlite_dubai', '{
  "client": "Emaar", "brand_campaign": "Dubai Hills", "bo_number": "EM-60", "net_pre_vat": 60000,
  "locations": [{"name": "The Dubai Gateway", "start_date": "2027-05-01", "end_date": "2027-05-14", "net_amount": 60000}]}') ->> 'id')::uuid); end $$;
reset role;

-- Who may call the wrappers ---------------------------------------------------------------------
select ok(not has_function_privilege('authenticated', 'public.slack_act(text, text, uuid, text, boolean)', 'execute')
          and not has_function_privilege('anon', 'public.slack_act(text, text, uuid, text, boolean)', 'execute'),
  'slack_act is not executable by signed-in users or anon');
select ok(has_function_privilege('service_role', 'public.slack_act(text, text, uuid, text, boolean)', 'execute'),
  'slack_act is executable by the service role');
select ok(not has_function_privilege('authenticated', 'public.slack_identity(text)', 'execute')
          and not has_function_privilege('authenticated', 'public.slack_claim_event(text, text)', 'execute')
          and not has_function_privilege('authenticated', 'public.slack_release_event(text)', 'execute')
          and not has_function_privilege('authenticated', 'public.slack_notification(uuid)', 'execute')
          and not has_function_privilege('authenticated', 'public.slack_record_delivery(uuid, text, text, text)', 'execute')
          and not has_function_privilege('authenticated', 'public.notifications_webhook_secret()', 'execute'),
  'neither are the other Slack functions');
select ok(not has_function_privilege('authenticated', 'private.act_as(uuid)', 'execute')
          and not has_function_privilege('service_role', 'private.act_as(uuid)', 'execute'),
  'private.act_as is reachable only from inside the wrappers');

select pg_temp.sign_in('coordinator@mmg.demo');
select throws_ok($$ select public.slack_act('UCOORD0001', 'coordinator_approve', pg_temp.bo('s')) $$, '42501', null,
  'a signed-in user calling slack_act directly is refused, even as the right actor');
select throws_ok($$ select public.slack_act('UHOSBL0001', 'cancel', pg_temp.bo('s'), 'spoofed') $$, '42501', null,
  'and cannot act as someone else through it');
select is(pg_temp.state('s'), 'coordinator/pending', 'nothing changed');
reset role;

-- Identity ---------------------------------------------------------------------------------------
select pg_temp.as_service_role();
select is(public.slack_identity('UCOORD0001') ->> 'status', 'linked', 'a linked Slack member resolves');
select is((public.slack_identity('UCOORD0001') ->> 'user_id')::uuid, pg_temp.uid('coordinator@mmg.demo'), 'to its platform user');
select is(public.slack_identity('UNKNOWN001') ->> 'status', 'not_linked', 'an unknown member is not linked');
select throws_ok($$ select public.slack_act('UNKNOWN001', 'coordinator_approve', pg_temp.bo('s')) $$, '42501',
  'Slack user UNKNOWN001 is not linked to a platform user', 'an unlinked Slack user cannot act');
select is(pg_temp.state('s'), 'coordinator/pending', 'and nothing changed');
select throws_ok($$ select public.slack_act(null, 'coordinator_approve', pg_temp.bo('s')) $$, '42501', null,
  'no Slack user at all is refused too (never fail open)');

-- Non-actors -------------------------------------------------------------------------------------
select throws_ok($$ select public.slack_act('UHOSVI0001', 'coordinator_approve', pg_temp.bo('s')) $$, '42501', null,
  'the head of sales of another company is not the coordinator stage''s actor');
select throws_ok($$ select public.slack_act('UREP000001', 'coordinator_approve', pg_temp.bo('s')) $$, '42501', null,
  'the submitter cannot approve their own order');
select throws_ok($$ select public.slack_act('UHOSBL0001', 'hos_approve', pg_temp.bo('s')) $$, '55000', null,
  'the head of sales cannot skip the coordinator stage');
select is(pg_temp.state('s'), 'coordinator/pending', 'state unchanged after the refusals');
select is(pg_temp.events('s'), 1, 'and no event written (only the submission)');
select throws_ok($$ select public.slack_act('UCOORD0001', 'delete_everything', pg_temp.bo('s')) $$, '22023', null,
  'an unknown action is refused');

-- Dry run ----------------------------------------------------------------------------------------
select is(public.slack_act('UCOORD0001', 'coordinator_reject', pg_temp.bo('s'), null, true) ->> 'dry_run', 'true',
  'a dry run says the coordinator may reject now');
select is(pg_temp.state('s') || ' ' || pg_temp.events('s'), 'coordinator/pending 1', 'and changes nothing');
select throws_ok($$ select public.slack_act('UHOSVI0001', 'cancel', pg_temp.bo('s'), null, true) $$, '42501', null,
  'a dry run refuses a non-actor like the real thing');
select is(current_setting('request.jwt.claims', true), '{"role":"service_role"}', 'the caller''s claims are back after a dry run');

-- The actor ---------------------------------------------------------------------------------------
select is(public.slack_act('UCOORD0001', 'coordinator_approve', pg_temp.bo('s')) #>> '{booking_order,stage}', 'hos',
  'the linked coordinator approves from Slack');
select is(pg_temp.state('s'), 'hos/pending', 'the order moved to the head of sales');
select is((select actor_id from public.booking_order_events where booking_order_id = pg_temp.bo('s') and event_type = 'coordinator_approved'),
  pg_temp.uid('coordinator@mmg.demo'), 'the event names the Slack user''s platform account as the actor');
select is(current_setting('request.jwt.claims', true), '{"role":"service_role"}', 'and the caller''s claims are restored');
select throws_ok($$ select public.slack_act('UCOORD0001', 'coordinator_approve', pg_temp.bo('s')) $$, '55000', null,
  'pressing Approve again finds the order no longer pending');
select throws_ok($$ select public.slack_act('UHOSBL0001', 'hos_reject', pg_temp.bo('s'), '   ') $$, '22023', null,
  'a blank rejection reason is refused');
select is(public.slack_act('UHOSBL0001', 'hos_reject', pg_temp.bo('s'), 'Rate too low') #>> '{booking_order,status}', 'hos_rejected',
  'the head of sales rejects with a reason');
select is((select status_reason from public.booking_orders where id = pg_temp.bo('s')), 'Rate too low', 'the reason is kept');

-- Deactivated users -------------------------------------------------------------------------------
reset role;
update public.users set is_active = false where id = pg_temp.uid('hos.viola@mmg.demo');
select pg_temp.as_service_role();
select is(public.slack_identity('UHOSVI0001') ->> 'status', 'inactive', 'a deactivated linked user resolves as inactive');
select throws_ok($$ select public.slack_act('UHOSVI0001', 'cancel', pg_temp.bo('s'), 'x') $$, '42501', null,
  'and cannot act');

-- Notifier ---------------------------------------------------------------------------------------
select is(public.slack_notification(pg_temp.notification_for('s', 'coordinator@mmg.demo', 'hos_rejected')) -> 'actions',
  '["cancel"]'::jsonb, 'a coordinator told about a rejection may only cancel from Slack (editing happens in a thread or the web app)');
select is(public.slack_notification(pg_temp.notification_for('s', 'hos.backlite@mmg.demo', 'coordinator_approved')) -> 'actions',
  '[]'::jsonb, 'the head of sales'' older request has no buttons any more: the order left that stage');
select is(public.slack_notification(pg_temp.notification_for('s', 'hos.backlite@mmg.demo', 'coordinator_approved')) #>> '{recipient,slack_user_id}',
  'UHOSBL0001', 'the notification names the recipient''s Slack member id');
select is(public.slack_notification(pg_temp.notification_for('s', 'dubai.rep1@mmg.demo', 'coordinator_approved')) -> 'actions',
  '[]'::jsonb, 'status news for the submitter has no buttons');
select ok(public.slack_act('UCOORD0001', 'cancel', pg_temp.bo('s'), 'Client withdrew') is not null, 'the coordinator cancels');
reset role;
select pg_temp.sign_in('dubai.rep1@mmg.demo');
do $$ begin insert into pg_temp.bo values ('t', (public.create_booking_order('backlite_dubai', '{"client": "Nakheel", "net_pre_vat": 1000}') ->> 'id')::uuid); end $$;
reset role;
select pg_temp.as_service_role();
select is(public.slack_notification(pg_temp.notification_for('t', 'coordinator@mmg.demo', 'submitted')) - array['id', 'kind', 'title', 'body', 'data', 'created_at', 'recipient', 'booking_order'],
  '{"actions": ["approve", "reject", "cancel"], "action_stage": "coordinator", "slack_ts": null, "delivered_at": null}'::jsonb,
  'a coordinator with a pending order gets Approve, Reject and Cancel at the coordinator stage');
select lives_ok($$ select public.slack_record_delivery(pg_temp.notification_for('t', 'coordinator@mmg.demo', 'submitted'), 'D0COORD', '1700000000.000100') $$,
  'the delivery is recorded');
select is((select slack_channel || ' ' || slack_ts || ' ' || (delivered_at is not null) from public.notifications
           where id = pg_temp.notification_for('t', 'coordinator@mmg.demo', 'submitted')),
  'D0COORD 1700000000.000100 true', 'with channel, ts and delivered_at');
reset role;
insert into private.app_settings (key, value) values ('notifications_webhook_secret', 't60-secret');
select pg_temp.as_service_role();
select is(public.notifications_webhook_secret(), 't60-secret', 'the service role reads the webhook secret to compare it');
reset role;
delete from private.app_settings where key = 'notifications_webhook_secret';

-- Deduplication ----------------------------------------------------------------------------------
select pg_temp.as_service_role();
select is(public.slack_claim_event('Ev060TEST', 'message'), true, 'the first delivery of an event is claimed');
select is(public.slack_claim_event('Ev060TEST', 'message'), false, 'a retry of the same event is not');
select is(public.slack_release_event('Ev060TEST') and public.slack_claim_event('Ev060TEST'), true,
  'a released key can be claimed again');
reset role;
insert into private.slack_events_seen (event_id, received_at) values ('Ev060OLD', now() - interval '8 days');
select is(private.prune_slack_events_seen(), 1, 'the daily prune removes keys older than seven days');
select is((select count(*)::int from private.slack_events_seen where event_id in ('Ev060TEST', 'Ev060OLD')), 1, 'and keeps recent ones');
create function pg_temp.prune_scheduled() returns boolean language plpgsql as $$
declare
  _scheduled boolean;
begin
  if to_regnamespace('cron') is null then
    return private.schedule_slack_events_prune() like 'pg_cron is not installed%';
  end if;
  perform private.schedule_slack_events_prune();
  execute 'select count(*) = 1 from cron.job where jobname = ''slack-events-seen-prune''' into strict _scheduled;
  return _scheduled;
end
$$;
select ok(pg_temp.prune_scheduled(), 'the prune is scheduled once with pg_cron, or says pg_cron is missing');

select * from finish();
rollback;
