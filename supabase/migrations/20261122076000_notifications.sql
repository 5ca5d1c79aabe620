/*
 * Notifications driven from the database (issue 6: "to the next actor, Slack DM and a web
 * inbox, not from memory"; fixes §11.21, §11.23). Every booking-order event row decides who
 * hears about it, in one trigger, so web and Slack actions — and direct submissions — notify
 * alike, and nothing depends on a process staying up:
 *
 *   submitted, resubmitted (→ coordinator/pending)   coordinators of the company: to review
 *   coordinator_approved (→ hos/pending)              heads of sales of the company: to review
 *   hos_rejected (→ coordinator/hos_rejected)         coordinators: to review (with the reason)
 *   hos_approved (→ finance/approved)                 finance of the company: approved;
 *                                                     coordinators: status
 *   cancelled                                         coordinators, heads of sales when it had
 *                                                     reached them, finance when it was approved
 *   superseded                                        finance
 *   every state change                                the submitter (owner): status
 * The actor is never notified of their own action. "Coordinators", "heads of sales", "finance"
 * are the active users holding the stage's permission (coordinate, approve, receive) with access
 * to the company; administrators act anywhere but are only routed to when a company has nobody
 * else for the stage.
 *
 * The web inbox reads public.notifications (each person only their own, and may set read_at).
 * Slack DMs: an AFTER INSERT trigger posts each new notification to a webhook — the
 * slack-notifier edge function — see private.dispatch_notification for the contract.
 */

create type public.notification_kind as enum ('booking_order_to_review', 'booking_order_status', 'booking_order_approved');
comment on type public.notification_kind is
  'booking_order_to_review: the recipient must act; booking_order_status: news about an order they submitted or '
  'coordinate; booking_order_approved: finance, a booking order was finally approved.';

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  recipient_id uuid not null references public.users (id) on delete cascade,
  kind public.notification_kind not null,
  booking_order_id uuid references public.booking_orders (id) on delete cascade,
  event_id bigint references public.booking_order_events (id) on delete cascade,
  title text not null check (length(title) between 1 and 300),
  body text not null check (length(body) <= 4000),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  read_at timestamptz,
  dispatched_at timestamptz,
  created_at timestamptz not null default now(),
  unique (event_id, recipient_id)
);
comment on table public.notifications is
  'Inbox of each user (web) and the source of Slack DMs: one row per recipient per event. Written by the database only.';
comment on column public.notifications.recipient_id is 'Who the notification is for; only they read it.';
comment on column public.notifications.kind is 'booking_order_to_review, booking_order_status or booking_order_approved.';
comment on column public.notifications.booking_order_id is 'The booking order it is about.';
comment on column public.notifications.event_id is 'The booking-order event that caused it.';
comment on column public.notifications.title is 'One line, e.g. "Booking order to review: Emaar (BACKLITE_DUBAI)".';
comment on column public.notifications.body is 'Plain-text summary (company, client, amounts, locations, warnings, reason).';
comment on column public.notifications.data is
  'Machine-readable context: event_type, stage, status, company, bo_ref, bo_number, client, reason, actor.';
comment on column public.notifications.read_at is 'When the recipient marked it read; null = unread. The only column they may change.';
comment on column public.notifications.dispatched_at is 'When it was posted to the Slack notifier webhook; null = not posted (no webhook configured).';
select private.comment_standard_columns('public.notifications');

create index notifications_recipient_idx on public.notifications (recipient_id, created_at desc);
create index notifications_unread_idx on public.notifications (recipient_id) where read_at is null;
create index notifications_booking_order_idx on public.notifications (booking_order_id);

alter table public.notifications enable row level security;
revoke all on public.notifications from anon, authenticated;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;

create policy "people read their own notifications"
  on public.notifications for select to authenticated
  using (recipient_id = (select auth.uid()));

create policy "people mark their own notifications read"
  on public.notifications for update to authenticated
  using (recipient_id = (select auth.uid()))
  with check (recipient_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Recipients and text

create or replace function private.booking_order_stage_actors(_company text, _stage public.booking_order_stage)
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _permission text := private.booking_order_stage_permission(_stage);
  _actors uuid[];
begin
  select array_agg(u.id order by u.id) into _actors
  from public.users u
  where u.is_active
    and not private.user_is_admin(u.id)
    and _company = any (private.accessible_companies(u.id))
    and private.user_has_permission(u.id, _permission);
  if _actors is null then
    select array_agg(u.id order by u.id) into _actors
    from public.users u
    where u.is_active and private.user_is_admin(u.id);
  end if;
  return coalesce(_actors, '{}');
end
$$;
comment on function private.booking_order_stage_actors(text, public.booking_order_stage) is
  'Active non-admin users holding the stage''s permission in the company; the admins when there are none.';

create or replace function private.booking_order_summary_text(_bo public.booking_orders)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _lines text[];
  _locations text;
  _count integer;
begin
  select count(*), pg_catalog.string_agg(pg_catalog.format('%s: %s to %s', coalesce(x.name, x.asset, '?'),
           coalesce(private.format_bo_date(x.start_date), '?'), coalesce(private.format_bo_date(x.end_date), '?')), E'\n'
           order by x.position) filter (where x.n <= 3)
    into _count, _locations
  from (select i.*, row_number() over (order by i.position) as n from public.booking_order_items i
        where i.booking_order_id = _bo.id) x;
  _lines := array[
    'Company: ' || pg_catalog.upper(_bo.company),
    'Client: ' || coalesce(_bo.client_name, '—'),
    'Campaign: ' || coalesce(_bo.brand_campaign, '—'),
    'BO number: ' || coalesce(_bo.bo_number, '—')];
  if _bo.bo_ref is not null then
    _lines := _lines || ('Reference: ' || _bo.bo_ref);
  end if;
  _lines := _lines || array[
    'Net (pre-VAT): ' || coalesce(public.format_currency(_bo.net_pre_vat, _bo.currency), '—'),
    'VAT (5%): ' || coalesce(public.format_currency(_bo.vat_amount, _bo.currency), '—'),
    'Gross total: ' || coalesce(public.format_currency(_bo.gross_amount, _bo.currency), '—')];
  if _count > 0 then
    _lines := _lines || ('Locations:' || E'\n' || _locations
                         || case when _count > 3 then pg_catalog.format(E'\n…and %s more', _count - 3) else '' end);
  end if;
  if pg_catalog.jsonb_array_length(_bo.warnings) > 0 then
    _lines := _lines || pg_catalog.format('Warnings: %s', pg_catalog.jsonb_array_length(_bo.warnings));
  end if;
  if pg_catalog.jsonb_array_length(_bo.missing_fields) > 0 then
    _lines := _lines || ('Missing: ' || (select pg_catalog.string_agg(m, ', ')
                                         from pg_catalog.jsonb_array_elements_text(_bo.missing_fields) m));
  end if;
  return pg_catalog.left(pg_catalog.array_to_string(_lines, E'\n'), 3500);
end
$$;
comment on function private.booking_order_summary_text(public.booking_orders) is
  'The approver message of §3.5 as plain text: company, client, campaign, BO number, net, VAT, gross, up to '
  'three locations ("…and N more"), warning count, missing fields.';

create or replace function private.notify_booking_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _who text;
  _client text;
  _summary text;
  _data jsonb;
  _recipients jsonb := '[]'::jsonb;  -- [{user, kind, title}], first entry per user wins
  _r record;
begin
  if new.to_status is null or new.event_type in ('created', 'edited', 'note', 'revision_requested') then
    return null;
  end if;
  select * into _bo from public.booking_orders where id = new.booking_order_id;
  if not found then
    return null;
  end if;
  _who := coalesce((select u.name from public.users u where u.id = new.actor_id), 'the system');
  _client := coalesce(_bo.client_name, 'unnamed client');
  _summary := private.booking_order_summary_text(_bo);
  _data := pg_catalog.jsonb_build_object(
    'event_id', new.id, 'event_type', new.event_type, 'booking_order_id', _bo.id, 'company', _bo.company,
    'stage', _bo.stage, 'status', _bo.status, 'bo_ref', _bo.bo_ref, 'bo_number', _bo.bo_number, 'client', _bo.client_name,
    'reason', new.reason, 'actor_id', new.actor_id, 'actor_name', _who);

  if new.to_stage = 'coordinator' and new.to_status = 'pending' then
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_to_review',
        'title', pg_catalog.format('%s to review: %s (%s)',
          case when _bo.revision_of is not null then 'Booking order revision' else 'Booking order' end,
          _client, pg_catalog.upper(_bo.company)))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'coordinator')) a);
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s was sent to the coordinator', _client));
  elsif new.to_stage = 'hos' and new.to_status = 'pending' then
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_to_review',
        'title', pg_catalog.format('Booking order awaiting your approval: %s (%s)', _client, pg_catalog.upper(_bo.company)))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'hos')) a);
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s was approved by %s and sent to the head of sales', _client, _who));
  elsif new.to_status = 'editing' then
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s is being corrected by the coordinator', _client));
  elsif new.to_status = 'hos_rejected' then
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_to_review',
        'title', pg_catalog.format('Booking order sent back by %s: %s (%s)', _who, _client, pg_catalog.upper(_bo.company)))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'coordinator')) a);
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s was rejected by the head of sales', _client));
  elsif new.to_status = 'approved' then
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_approved',
        'title', pg_catalog.format('Booking order approved: %s — %s (%s)', _bo.bo_ref, _client, pg_catalog.upper(_bo.company)))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'finance')) a);
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s is approved: %s', _client, _bo.bo_ref));
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_status',
        'title', pg_catalog.format('Booking order approved by %s: %s — %s', _who, _bo.bo_ref, _client))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'coordinator')) a);
  elsif new.to_status = 'cancelled' then
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Your booking order for %s was cancelled by %s', _client, _who));
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_status',
        'title', pg_catalog.format('Booking order cancelled by %s: %s (%s)', _who, coalesce(_bo.bo_ref, _client), pg_catalog.upper(_bo.company)))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'coordinator')
                  || case when new.from_stage in ('hos', 'finance') then private.booking_order_stage_actors(_bo.company, 'hos') else '{}' end
                  || case when new.from_status = 'approved' then private.booking_order_stage_actors(_bo.company, 'finance') else '{}' end) a);
  elsif new.to_status = 'superseded' then
    _recipients := _recipients || pg_catalog.jsonb_build_object('user', _bo.owner_id, 'kind', 'booking_order_status',
      'title', pg_catalog.format('Booking order %s was replaced by its revision', _bo.bo_ref));
    _recipients := _recipients || (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user', a, 'kind', 'booking_order_status',
        'title', pg_catalog.format('Booking order %s was replaced by its revision', _bo.bo_ref))), '[]'::jsonb)
      from unnest(private.booking_order_stage_actors(_bo.company, 'finance')) a);
  end if;

  for _r in
    select distinct on (x.value ->> 'user') (x.value ->> 'user')::uuid as recipient,
           (x.value ->> 'kind')::public.notification_kind as kind, x.value ->> 'title' as title
    from pg_catalog.jsonb_array_elements(_recipients) with ordinality x (value, ord)
    where x.value ->> 'user' is not null
      and (x.value ->> 'user')::uuid is distinct from new.actor_id
    order by x.value ->> 'user', x.ord
  loop
    insert into public.notifications (recipient_id, kind, booking_order_id, event_id, title, body, data)
    values (_r.recipient, _r.kind, _bo.id, new.id, pg_catalog.left(_r.title, 300),
            case when new.reason is not null then 'Reason: ' || pg_catalog.left(new.reason, 400) || E'\n' else '' end || _summary,
            _data)
    on conflict (event_id, recipient_id) do nothing;
  end loop;
  return null;
end
$$;
comment on function private.notify_booking_order_event() is
  'Trigger on booking_order_events: writes the notifications of a state change for the next actors and the submitter.';

create trigger booking_order_events_notify
  after insert on public.booking_order_events
  for each row execute function private.notify_booking_order_event();

-- ---------------------------------------------------------------------------------------------
-- Slack notifier webhook

/*
 * Contract with the slack-notifier edge function (AFTER INSERT on public.notifications):
 *   POST <private.app_settings notifications_webhook_url>
 *   body     {"notification_id": "<uuid>"}
 *   headers  Content-Type: application/json
 *            Authorization: Bearer <notifications_webhook_secret>   (when the secret is set)
 *            X-Notification-Id: <uuid>
 *   timeout  5000 ms; pg_net delivers at most once, after commit.
 * The receiver checks the bearer secret (constant-time), loads the row with the service role
 * (recipient → users.slack_user_id, kind, title, body, data.booking_order_id for buttons) and
 * sends the DM; a recipient without a Slack link keeps the web inbox copy only. No URL set →
 * nothing is posted and the insert never fails; dispatched_at stays null.
 */
create or replace function private.dispatch_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _url text := private.app_setting('notifications_webhook_url');
  _secret text := private.app_setting('notifications_webhook_secret');
  _headers jsonb;
begin
  if _url is null then
    return null;
  end if;
  if pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'notification % not posted: net.http_post is missing (enable the pg_net extension)', new.id;
    return null;
  end if;
  _headers := pg_catalog.jsonb_build_object('Content-Type', 'application/json', 'X-Notification-Id', new.id::text);
  if _secret is not null then
    _headers := _headers || pg_catalog.jsonb_build_object('Authorization', 'Bearer ' || _secret);
  end if;
  begin
    perform net.http_post(
      url := _url,
      body := pg_catalog.jsonb_build_object('notification_id', new.id),
      params := '{}'::jsonb,
      headers := _headers,
      timeout_milliseconds := 5000);
  exception when others then
    raise warning 'notification % not posted: %', new.id, sqlerrm;
    return null;
  end;
  update public.notifications set dispatched_at = pg_catalog.now() where id = new.id;
  return null;
end
$$;
comment on function private.dispatch_notification() is
  'Trigger: posts {notification_id} to notifications_webhook_url with Authorization: Bearer notifications_webhook_secret '
  '(see the contract above the function); skipped silently when no URL is set.';

create trigger notifications_dispatch
  after insert on public.notifications
  for each row execute function private.dispatch_notification();

-- ---------------------------------------------------------------------------------------------
-- Inbox API

create or replace function public.mark_notifications_read(notification_ids uuid[] default null)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  _count integer;
begin
  update public.notifications n set read_at = pg_catalog.now()
  where n.recipient_id = auth.uid() and n.read_at is null
    and (notification_ids is null or n.id = any (notification_ids));
  get diagnostics _count = row_count;
  return _count;
end
$$;
comment on function public.mark_notifications_read(uuid[]) is
  'Marks the caller''s notifications read (the given ids, or all when null); returns how many changed.';
revoke execute on function public.mark_notifications_read(uuid[]) from public, anon;
grant execute on function public.mark_notifications_read(uuid[]) to authenticated;

revoke execute on all functions in schema private from public;
