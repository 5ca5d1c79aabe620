/*
 * Web parity (issue 6 item 4): the SPA reads what Slack shows through three functions; the
 * actions are the workflow functions themselves (coordinator_approve_booking_order, …).
 *
 *   pending_booking_orders()           what the caller may act on now, by stage and company,
 *                                      with the actions open to them
 *   get_booking_order(booking_order_id)      the order as JSON (fields, figures, items, warnings)
 *   booking_order_history(booking_order_id)  its events, oldest first, with actor names
 * Visibility is the booking-order policies' (owner, leaders, managers, shares, admins, and
 * coordinators / heads of sales / finance of the company): the history runs as the caller under
 * RLS, get_booking_order applies the same rules for one row; an order the caller cannot see is
 * reported exactly like an unknown one (P0002).
 */

create or replace function public.pending_booking_orders()
returns table (
  booking_order_id uuid,
  company text,
  stage public.booking_order_stage,
  status public.booking_order_status,
  actions text[],
  client_name text,
  brand_campaign text,
  bo_number text,
  currency text,
  net_pre_vat numeric,
  gross_amount numeric,
  needs_review boolean,
  warnings jsonb,
  missing_fields jsonb,
  status_reason text,
  owner_id uuid,
  owner_name text,
  revision_of uuid,
  submitted_at timestamptz,
  status_changed_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _admin boolean := private.user_is_admin(_uid);
  _coordinate text[];
  _approve text[];
begin
  if _uid is null then
    raise exception 'sign in to see booking orders' using errcode = '42501';
  end if;
  _coordinate := case when _admin or private.user_has_permission(_uid, 'sales:booking_orders:coordinate')
                      then private.accessible_companies(_uid) else '{}' end;
  _approve := case when _admin or private.user_has_permission(_uid, 'sales:booking_orders:approve')
                   then private.accessible_companies(_uid) else '{}' end;
  return query
  select b.id, b.company, b.stage, b.status,
         case
           when b.stage = 'coordinator' and b.status = 'pending' then array['approve', 'reject', 'edit', 'cancel']
           when b.stage = 'coordinator' then array['edit', 'resubmit', 'cancel']
           else array['approve', 'reject', 'cancel']
         end,
         b.client_name, b.brand_campaign, b.bo_number, b.currency, b.net_pre_vat, b.gross_amount,
         b.needs_review, b.warnings, b.missing_fields, b.status_reason, b.owner_id,
         (select u.name from public.users u where u.id = b.owner_id), b.revision_of, b.submitted_at, b.status_changed_at
  from public.booking_orders b
  where (b.stage = 'coordinator' and b.status in ('pending', 'editing', 'hos_rejected') and b.company = any (_coordinate))
     or (b.stage = 'hos' and b.status = 'pending' and b.company = any (_approve))
  order by coalesce(b.status_changed_at, b.created_at), b.id;
end
$$;
comment on function public.pending_booking_orders() is
  'Booking orders waiting for the caller: coordinator stage (pending, editing, hos_rejected) in companies where '
  'they coordinate, head-of-sales stage (pending) where they approve; admins see all. Oldest first, with the '
  'actions they may take (approve, reject, edit, resubmit, cancel).';
revoke execute on function public.pending_booking_orders() from public, anon;
grant execute on function public.pending_booking_orders() to authenticated;

create or replace function private.can_read_booking_order(_id uuid)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _bo public.booking_orders;
begin
  select * into _bo from public.booking_orders where id = _id;
  if not found or _uid is null then
    return false;
  end if;
  -- The booking_orders select policies, for one row: the common record rule, then reviewers and finance.
  return private.user_can_access(_uid, 'booking_order', _id, 'read')
      or private.is_booking_order_reviewer(_uid, _bo.company, 'coordinator')
      or private.is_booking_order_reviewer(_uid, _bo.company, 'hos')
      or (_bo.bo_ref is not null and private.is_booking_order_reviewer(_uid, _bo.company, 'finance'));
end
$$;
comment on function private.can_read_booking_order(uuid) is
  'The caller may read the order: owner, leaders, manage in the company, live shares, admins (can_access), '
  'coordinators and heads of sales of the company, finance once it has a reference — the select policies'' rules.';

create or replace function public.get_booking_order(booking_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.can_read_booking_order(get_booking_order.booking_order_id) then
    raise exception 'booking order % not found', coalesce(get_booking_order.booking_order_id::text, 'null') using errcode = 'P0002';
  end if;
  return private.booking_order_json(get_booking_order.booking_order_id);
end
$$;
comment on function public.get_booking_order(uuid) is
  'The booking order as JSON (state, the 19 fields, computed figures and display strings, items, warnings, '
  'missing fields) when the caller may read it; P0002 otherwise.';
revoke execute on function public.get_booking_order(uuid) from public, anon;
grant execute on function public.get_booking_order(uuid) to authenticated;

create or replace function private.user_display_name(_user uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select coalesce(u.name, u.email) from public.users u where u.id = _user);
end
$$;
comment on function private.user_display_name(uuid) is 'Name (or e-mail) of a user, for history lines the caller may already read.';
grant execute on function private.user_display_name(uuid) to authenticated;

create or replace function public.booking_order_history(booking_order_id uuid)
returns table (
  event_id bigint,
  event_type text,
  from_stage text,
  to_stage text,
  from_status text,
  to_status text,
  actor_id uuid,
  actor_name text,
  reason text,
  data jsonb,
  created_at timestamptz
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  -- Runs as the caller: the events' policy (visible with their order) filters the rows.
  if not exists (select 1 from public.booking_orders b where b.id = booking_order_history.booking_order_id) then
    raise exception 'booking order % not found', coalesce(booking_order_history.booking_order_id::text, 'null') using errcode = 'P0002';
  end if;
  return query
  select e.id, e.event_type, e.from_stage, e.to_stage, e.from_status, e.to_status, e.actor_id,
         private.user_display_name(e.actor_id), e.reason, e.data, e.created_at
  from public.booking_order_events e
  where e.booking_order_id = booking_order_history.booking_order_id
  order by e.created_at, e.id;
end
$$;
comment on function public.booking_order_history(uuid) is
  'History of a booking order the caller may read (events with actor names, oldest first): submitted, '
  'coordinator_approved/_rejected, edited (patch and before/after), resubmitted, hos_approved/_rejected, '
  'cancelled, superseded, notes. P0002 when the order is unknown or not visible.';
revoke execute on function public.booking_order_history(uuid) from public, anon;
grant execute on function public.booking_order_history(uuid) to authenticated;

revoke execute on all functions in schema private from public;
