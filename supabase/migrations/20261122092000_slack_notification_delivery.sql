/*
 * What the slack-notify function needs around public.notifications (contract:
 * docs/contracts/booking-orders-and-notifications.md §4). The notifications webhook posts only
 * {notification_id}; the function then asks the database, as the service role:
 *
 *   slack_notification(id)          the row, its recipient's Slack link, the order's CURRENT
 *                                   state and the buttons the recipient may press now — decided
 *                                   here with the workflow's own reviewer rule, so a DM never
 *                                   offers an action the SQL would refuse, and a notification
 *                                   delivered after someone else acted comes without buttons;
 *   slack_record_delivery(id, …)    where the DM went (channel, ts) or why it failed;
 *   notifications_webhook_secret()  the bearer secret the webhook sends, to compare in
 *                                   constant time (private.app_settings is out of the API's reach).
 * All three are granted to service_role only.
 */

alter table public.notifications
  add column slack_channel text,
  add column slack_ts text,
  add column delivered_at timestamptz,
  add column delivery_error text check (delivery_error is null or length(delivery_error) <= 1000);
comment on column public.notifications.slack_channel is 'The Slack DM channel the notification was posted to.';
comment on column public.notifications.slack_ts is 'Slack timestamp (message id) of the DM; null until delivered.';
comment on column public.notifications.delivered_at is 'When the Slack DM was posted; null = not (yet) delivered to Slack.';
comment on column public.notifications.delivery_error is
  'Why the Slack DM was not sent (recipient not linked to Slack, Slack API error); null when delivered or pending.';

create or replace function public.slack_notification(notification_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _n public.notifications;
  _user public.users;
  _bo public.booking_orders;
  _stage public.booking_order_stage;
  _actions text[] := '{}';
begin
  select * into _n from public.notifications n where n.id = slack_notification.notification_id;
  if not found then
    raise exception 'notification % not found', coalesce(slack_notification.notification_id::text, 'null')
      using errcode = 'P0002';
  end if;
  select * into _user from public.users u where u.id = _n.recipient_id;
  select * into _bo from public.booking_orders b where b.id = _n.booking_order_id;

  if _n.kind = 'booking_order_to_review' and _bo.id is not null and _user.is_active then
    if _bo.stage = 'coordinator' and _bo.status = 'pending'
       and private.is_booking_order_reviewer(_user.id, _bo.company, 'coordinator') then
      _stage := 'coordinator';
      _actions := array['approve', 'reject', 'cancel'];
    elsif _bo.stage = 'coordinator' and _bo.status in ('editing', 'hos_rejected')
       and private.is_booking_order_reviewer(_user.id, _bo.company, 'coordinator') then
      _stage := 'coordinator';
      _actions := array['cancel'];
    elsif _bo.stage = 'hos' and _bo.status = 'pending'
       and private.is_booking_order_reviewer(_user.id, _bo.company, 'hos') then
      _stage := 'hos';
      _actions := array['approve', 'reject', 'cancel'];
    end if;
  end if;

  return pg_catalog.jsonb_build_object(
    'id', _n.id, 'kind', _n.kind, 'title', _n.title, 'body', _n.body, 'data', _n.data,
    'created_at', _n.created_at, 'delivered_at', _n.delivered_at, 'slack_ts', _n.slack_ts,
    'recipient', pg_catalog.jsonb_build_object('user_id', _user.id, 'name', _user.name,
      'slack_user_id', _user.slack_user_id, 'is_active', _user.is_active),
    'booking_order', case when _bo.id is null then null else pg_catalog.jsonb_build_object(
      'id', _bo.id, 'company', _bo.company, 'stage', _bo.stage, 'status', _bo.status, 'bo_ref', _bo.bo_ref,
      'client', _bo.client_name, 'bo_number', _bo.bo_number) end,
    'action_stage', _stage,
    'actions', pg_catalog.to_jsonb(_actions));
end
$$;
comment on function public.slack_notification(uuid) is
  'A notification for the Slack notifier: the row, the recipient (name, slack_user_id, active), the order''s current '
  'stage/status, and the actions (approve, reject, cancel) at action_stage the recipient may take now. Service role only.';
revoke execute on function public.slack_notification(uuid) from public, anon, authenticated;
grant execute on function public.slack_notification(uuid) to service_role;

create or replace function public.slack_record_delivery(
  notification_id uuid, channel text default null, ts text default null, error text default null)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.notifications n
  set slack_channel = coalesce(slack_record_delivery.channel, n.slack_channel),
      slack_ts = coalesce(slack_record_delivery.ts, n.slack_ts),
      delivered_at = case when slack_record_delivery.ts is not null then pg_catalog.now() else n.delivered_at end,
      delivery_error = pg_catalog.left(slack_record_delivery.error, 1000)
  where n.id = slack_record_delivery.notification_id;
  if not found then
    raise exception 'notification % not found', coalesce(slack_record_delivery.notification_id::text, 'null')
      using errcode = 'P0002';
  end if;
end
$$;
comment on function public.slack_record_delivery(uuid, text, text, text) is
  'Records the Slack DM of a notification (channel and ts set delivered_at) or why it was not sent. Service role only.';
revoke execute on function public.slack_record_delivery(uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.slack_record_delivery(uuid, text, text, text) to service_role;

create or replace function public.notifications_webhook_secret()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select private.app_setting('notifications_webhook_secret')
$$;
comment on function public.notifications_webhook_secret() is
  'The bearer secret the notifications webhook sends (private.app_settings), for the receiver to compare. '
  'Service role only.';
revoke execute on function public.notifications_webhook_secret() from public, anon, authenticated;
grant execute on function public.notifications_webhook_secret() to service_role;

revoke execute on all functions in schema private from public;
