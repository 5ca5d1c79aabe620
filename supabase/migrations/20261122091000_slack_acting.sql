/*
 * Acting for a Slack user (spec §5, fixes §11.4 and §11.9). The slack-events function holds
 * only the service role key and cannot sign a user's JWT, yet a button pressed in Slack must be
 * judged exactly like the same click in the web app. So the function hands the database the
 * Slack member id it received in a signed request, and the database does the rest in one
 * transaction:
 *
 *   1. resolve the Slack member id → public.users.slack_user_id; unknown or deactivated →
 *      42501 (never "authorised by default": the original failed open);
 *   2. private.act_as(user): set request.jwt.claims (sub = that user, role authenticated) for
 *      this transaction only — the same settings PostgREST sets for a signed-in request, so
 *      auth.uid() is that user;
 *   3. call the SAME workflow function the web app calls (coordinator_approve_booking_order, …),
 *      whose RBAC, company and stage checks apply unchanged: a Slack user who is not the stage's
 *      actor gets 42501 and nothing changes; a click that lost a race gets 55000;
 *   4. put the caller's claims back.
 * Resolution and action share the transaction, so an unlink or deactivation cannot slip in
 * between. dry_run runs steps 1–3 in a subtransaction and rolls it back: "would this be allowed
 * right now?" before a reason modal is opened, with no second copy of the rules.
 *
 * These wrappers are granted to service_role only; a signed-in user calling them directly would
 * otherwise act as anyone.
 */

create or replace function private.act_as(_actor uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if _actor is null then
    raise exception 'act_as: no user' using errcode = '42501';
  end if;
  perform pg_catalog.set_config('request.jwt.claims',
    pg_catalog.json_build_object('sub', _actor, 'role', 'authenticated', 'aud', 'authenticated')::text, true);
  -- Older PostgREST settings that auth.uid()/auth.role() read first when present.
  perform pg_catalog.set_config('request.jwt.claim.sub', _actor::text, true);
  perform pg_catalog.set_config('request.jwt.claim.role', 'authenticated', true);
end
$$;
comment on function private.act_as(uuid) is
  'Makes auth.uid() the given user until the end of the transaction (request.jwt.claims, as PostgREST sets it). '
  'Only for security-definer wrappers that resolved and checked the user themselves.';
revoke execute on function private.act_as(uuid) from public, anon, authenticated, service_role;

create or replace function private.restore_claims(_claims text, _sub text, _role text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform pg_catalog.set_config('request.jwt.claims', coalesce(_claims, ''), true);
  perform pg_catalog.set_config('request.jwt.claim.sub', coalesce(_sub, ''), true);
  perform pg_catalog.set_config('request.jwt.claim.role', coalesce(_role, ''), true);
end
$$;
comment on function private.restore_claims(text, text, text) is 'Puts back the request claims private.act_as replaced.';
revoke execute on function private.restore_claims(text, text, text) from public, anon, authenticated, service_role;

create or replace function public.slack_identity(slack_user_id text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _user public.users;
begin
  select * into _user from public.users u where u.slack_user_id = slack_identity.slack_user_id;
  if not found then
    return pg_catalog.jsonb_build_object('status', 'not_linked', 'slack_user_id', slack_identity.slack_user_id);
  end if;
  return pg_catalog.jsonb_build_object(
    'status', case when _user.is_active then 'linked' else 'inactive' end,
    'slack_user_id', _user.slack_user_id, 'user_id', _user.id, 'name', _user.name, 'email', _user.email);
end
$$;
comment on function public.slack_identity(text) is
  'The platform user linked to a Slack member id: {status: linked | inactive | not_linked, user_id, name, email}. '
  'Service role only; callers must treat anything but "linked" as refused.';
revoke execute on function public.slack_identity(text) from public, anon, authenticated;
grant execute on function public.slack_identity(text) to service_role;

create or replace function private.slack_actor(_slack_user_id text)
returns public.users
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _user public.users;
begin
  select * into _user from public.users u where u.slack_user_id = _slack_user_id;
  if not found then
    raise exception 'Slack user % is not linked to a platform user', coalesce(_slack_user_id, 'null')
      using errcode = '42501', detail = 'slack_not_linked',
            hint = 'an administrator sets the Slack member id in Admin → Users';
  end if;
  if not _user.is_active then
    raise exception 'the platform user linked to Slack user % is deactivated', _slack_user_id
      using errcode = '42501', detail = 'user_inactive';
  end if;
  return _user;
end
$$;
comment on function private.slack_actor(text) is
  'The active platform user linked to a Slack member id; 42501 (detail slack_not_linked or user_inactive) otherwise.';
revoke execute on function private.slack_actor(text) from public, anon, authenticated, service_role;

create or replace function private.run_booking_order_action(_action text, _id uuid, _reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  return case _action
    when 'coordinator_approve' then public.coordinator_approve_booking_order(_id)
    when 'coordinator_reject' then public.coordinator_reject_booking_order(_id, _reason)
    when 'hos_approve' then public.hos_approve_booking_order(_id)
    when 'hos_reject' then public.hos_reject_booking_order(_id, _reason)
    when 'cancel' then public.cancel_booking_order(_id, _reason)
  end;
end
$$;
comment on function private.run_booking_order_action(text, uuid, text) is
  'Calls the workflow function named by a Slack action as the current auth.uid().';
revoke execute on function private.run_booking_order_action(text, uuid, text) from public, anon, authenticated, service_role;

create or replace function public.slack_act(
  slack_user_id text, action text, booking_order_id uuid, reason text default null, dry_run boolean default false)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _actions constant text[] := array['coordinator_approve', 'coordinator_reject', 'hos_approve', 'hos_reject', 'cancel'];
  _claims text := pg_catalog.current_setting('request.jwt.claims', true);
  _sub text := pg_catalog.current_setting('request.jwt.claim.sub', true);
  _role text := pg_catalog.current_setting('request.jwt.claim.role', true);
  _user public.users;
  _order jsonb;
begin
  if not (slack_act.action = any (_actions)) then
    raise exception 'action: % is not one of %', coalesce(slack_act.action, 'null'), pg_catalog.array_to_string(_actions, ', ')
      using errcode = '22023';
  end if;
  _user := private.slack_actor(slack_act.slack_user_id);

  if dry_run then
    begin
      perform private.act_as(_user.id);
      -- A placeholder reason: the check is about who and when, the modal asks for the real one.
      perform private.run_booking_order_action(slack_act.action, slack_act.booking_order_id,
        coalesce(nullif(pg_catalog.btrim(slack_act.reason), ''), 'dry run'));
      raise exception 'dry run' using errcode = 'SKDRY';
    exception when sqlstate 'SKDRY' then
      null;  -- allowed; the subtransaction (state, events, notifications, claims) is rolled back
    end;
    perform private.restore_claims(_claims, _sub, _role);
    return pg_catalog.jsonb_build_object('dry_run', true, 'action', slack_act.action,
      'actor', pg_catalog.jsonb_build_object('user_id', _user.id, 'name', _user.name));
  end if;

  perform private.act_as(_user.id);
  _order := private.run_booking_order_action(slack_act.action, slack_act.booking_order_id, slack_act.reason);
  perform private.restore_claims(_claims, _sub, _role);
  return pg_catalog.jsonb_build_object('dry_run', false, 'action', slack_act.action,
    'actor', pg_catalog.jsonb_build_object('user_id', _user.id, 'name', _user.name),
    'booking_order', _order);
end
$$;
comment on function public.slack_act(text, text, uuid, text, boolean) is
  'A booking-order action from Slack, run as the platform user linked to the Slack member id: coordinator_approve, '
  'coordinator_reject (reason), hos_approve, hos_reject (reason) or cancel (reason). Same checks and errors as the '
  'workflow functions (42501 not the stage''s actor or not linked, 55000 no longer pending, 22023 reason, 23P01 '
  'overbooking, P0002 unknown). dry_run: only whether it would be allowed now; nothing changes. Service role only.';
revoke execute on function public.slack_act(text, text, uuid, text, boolean) from public, anon, authenticated;
grant execute on function public.slack_act(text, text, uuid, text, boolean) to service_role;

revoke execute on all functions in schema private from public;
