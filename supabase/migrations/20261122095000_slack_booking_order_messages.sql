/*
 * Keeping Slack DMs current when a booking order moves on. Every reviewer of a stage gets a DM
 * with buttons (slack-notify); when one of them acts — in Slack or in the web app — the DMs of
 * the others, and of the actor when they acted elsewhere, still show the old buttons. After
 * delivering the notifications of a new event, slack-notify asks for the to-review DMs of the
 * same order from EARLIER events and rewrites each with the event's outcome and the buttons
 * its recipient may press now.
 *
 * The buttons come from public.slack_notification — the one place that decides them — so this
 * function only selects the messages. Service role only, like the other Slack functions.
 */

create or replace function public.slack_booking_order_messages(booking_order_id uuid, before_event_id bigint)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (
    select coalesce(pg_catalog.jsonb_agg(
             public.slack_notification(n.id) || pg_catalog.jsonb_build_object('slack_channel', n.slack_channel)
             order by n.created_at, n.id), '[]'::jsonb)
    from public.notifications n
    where n.booking_order_id = slack_booking_order_messages.booking_order_id
      and n.kind = 'booking_order_to_review'
      and n.slack_ts is not null
      and n.slack_channel is not null
      and n.event_id < slack_booking_order_messages.before_event_id);
end
$$;
comment on function public.slack_booking_order_messages(uuid, bigint) is
  'The delivered to-review Slack DMs of a booking order from events before the given one, each as '
  'slack_notification(id) plus slack_channel (current actions per recipient), for refreshing stale buttons. '
  'Service role only.';
revoke execute on function public.slack_booking_order_messages(uuid, bigint) from public, anon, authenticated;
grant execute on function public.slack_booking_order_messages(uuid, bigint) to service_role;
