/*
 * Slack delivers events at least once: when an acknowledgement is slow or lost it retries the
 * same event (same event_id, header X-Slack-Retry-Num) up to three times within about an hour
 * (spec §5 had no deduplication at all, §11.21). The slack-events function claims every
 * delivery here before it does anything, in one insert, so a retry — or a second process that
 * received the same event — finds the key taken and stops:
 *
 *   event_callback    key = event_id            ("Ev0123…")
 *   interactivity     key = 'interaction:' || trigger_id   (unique per click or submission)
 *   a shared file     key = 'file:' || file_id   (a DM upload arrives as a message AND as
 *                                                 file_shared; whichever comes first handles it)
 *   a notification DM key = 'notification:' || id  (released again when the DM failed)
 *
 * Only the service role (the edge functions) reaches the table, through the functions below.
 * Keys older than seven days are useless (Slack stops retrying after an hour) and are pruned
 * daily by pg_cron when the extension is installed, guarded like the render-job sweep.
 */

create table private.slack_events_seen (
  event_id text primary key check (length(event_id) between 1 and 300),
  received_at timestamptz not null default now(),
  kind text check (kind is null or length(kind) <= 100)
);
comment on table private.slack_events_seen is
  'Slack deliveries already taken (event ids, interaction trigger ids, file ids, notification ids): a retry of a '
  'claimed key is acknowledged and ignored. Pruned after seven days.';
comment on column private.slack_events_seen.event_id is
  'The deduplication key: a Slack event_id, interaction:<trigger_id>, file:<file_id> or notification:<uuid>.';
comment on column private.slack_events_seen.received_at is 'When the key was first claimed.';
comment on column private.slack_events_seen.kind is 'What was claimed (event type or payload type), for diagnosis.';

create index slack_events_seen_received_idx on private.slack_events_seen (received_at);
revoke all on private.slack_events_seen from public, anon, authenticated, service_role;

create or replace function public.slack_claim_event(event_id text, kind text default null)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _claimed boolean;
begin
  if event_id is null or pg_catalog.btrim(event_id) = '' then
    raise exception 'event_id: a key is required' using errcode = '22023';
  end if;
  insert into private.slack_events_seen as s (event_id, kind)
  values (slack_claim_event.event_id, pg_catalog.left(slack_claim_event.kind, 100))
  on conflict on constraint slack_events_seen_pkey do nothing
  returning true into _claimed;
  return coalesce(_claimed, false);
end
$$;
comment on function public.slack_claim_event(text, text) is
  'Claims a Slack delivery key: true the first time, false for a retry or duplicate (which must then be ignored). '
  'Service role only.';
revoke execute on function public.slack_claim_event(text, text) from public, anon, authenticated;
grant execute on function public.slack_claim_event(text, text) to service_role;

create or replace function public.slack_release_event(event_id text)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  delete from private.slack_events_seen s where s.event_id = slack_release_event.event_id;
  return found;
end
$$;
comment on function public.slack_release_event(text) is
  'Gives a claimed key back after the work behind it failed, so a later delivery may try again. Service role only.';
revoke execute on function public.slack_release_event(text) from public, anon, authenticated;
grant execute on function public.slack_release_event(text) to service_role;

create or replace function private.prune_slack_events_seen(_keep interval default interval '7 days')
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _count integer;
begin
  delete from private.slack_events_seen s where s.received_at < pg_catalog.now() - _keep;
  get diagnostics _count = row_count;
  return _count;
end
$$;
comment on function private.prune_slack_events_seen(interval) is
  'Deletes deduplication keys older than _keep (seven days by default); returns how many. Daily with pg_cron.';

create or replace function private.schedule_slack_events_prune()
returns text
language sql
volatile
security definer
set search_path = ''
as $$
  select private.schedule_cron_job('slack-events-seen-prune', '17 3 * * *', 'select private.prune_slack_events_seen()')
$$;
comment on function private.schedule_slack_events_prune() is
  'Schedules private.prune_slack_events_seen() daily with pg_cron (job slack-events-seen-prune, idempotent). '
  'Without pg_cron it changes nothing and says so.';

do $$
begin
  raise notice '%', private.schedule_slack_events_prune();
end
$$;

revoke execute on all functions in schema private from public;
