/*
 * The booking-order approval workflow (spec §3.5, §3.8; fixes §11.4, §11.12, §11.13) as a
 * state machine in SQL. Every transition is ONE function that
 *   1. locks the order (select … for update), so of two concurrent calls exactly one wins and
 *      the other sees the new state and fails with 55000 "booking order … is no longer pending …";
 *   2. checks the actor: administrators, or users holding the stage's permission and access to
 *      the order's company (coordinator stage: sales:booking_orders:coordinate; head-of-sales
 *      stage: sales:booking_orders:approve) — anyone else gets 42501 and nothing changes;
 *   3. checks the current stage/status (55000 when it is not the one the transition leaves);
 *   4. changes the state and writes ONE booking_order_events row (actor, from/to, reason, data)
 *      — notifications follow from that row (next migration).
 *
 *   create_booking_order      (sales: create + company)   → coordinator/pending   submitted
 *   coordinator_approve_…     coordinator/pending          → hos/pending           coordinator_approved
 *   coordinator_reject_…      coordinator/pending + reason → coordinator/editing   coordinator_rejected
 *   edit_booking_order        coordinator/{pending,editing,hos_rejected}, JSON patch → same state, edited
 *   resubmit_booking_order    coordinator/{editing,hos_rejected} → coordinator/pending   resubmitted
 *   hos_approve_…             hos/pending → finance/approved: BO-YYYY-NNNN, occupancy  hos_approved
 *   hos_reject_…              hos/pending + reason → coordinator/hos_rejected          hos_rejected
 *   cancel_booking_order      any reviewer of the company + reason; an approved order only by a
 *                             head of sales or admin (its occupations are released) → cancelled
 *   revise_booking_order      sales:booking_orders:manage or admin, approved order → a NEW order
 *                             (revision_of = original) at coordinator/pending; when the revision
 *                             is approved the original becomes superseded and its occupations
 *                             are released in the same transaction
 * Nothing is ever deleted by the workflow; cancelled orders keep their rows and history.
 *
 * Reference: BO-<year>-<NNNN> (4 digits, more after 9999) from private.booking_order_ref_counters,
 * one row per year, taken with a single `insert … on conflict do update … returning` — never
 * read-max-then-increment. The year is the approval date in the company's time zone. A failed
 * approval rolls the counter back with everything else, so numbers have no gaps.
 *
 * Direct table writes by API roles stay possible only where they cannot bypass this: a draft
 * may be written freely by whoever may update it and submitted by setting status = 'pending'; a
 * coordinator of the company may move coordinator/pending → hos/pending; everything else —
 * rejections, approvals, cancellations, references, workflow columns, edits after submission,
 * items of a submitted order, history other than notes, deleting an approved order — is refused
 * with 42501 naming the function to use.
 */

-- ---------------------------------------------------------------------------------------------
-- Reference counter

create table private.booking_order_ref_counters (
  year integer primary key check (year between 2000 and 9999),
  last_number integer not null check (last_number >= 1),
  updated_at timestamptz not null default now()
);
comment on table private.booking_order_ref_counters is
  'Last BO reference number issued per calendar year; advanced atomically by private.next_booking_order_ref.';
comment on column private.booking_order_ref_counters.year is 'Calendar year of the references.';
comment on column private.booking_order_ref_counters.last_number is 'Highest number issued in that year.';
comment on column private.booking_order_ref_counters.updated_at is 'When the last number was issued.';
revoke all on private.booking_order_ref_counters from public, anon, authenticated, service_role;

-- References issued before this migration carry on from their highest number.
insert into private.booking_order_ref_counters (year, last_number)
select pg_catalog.split_part(bo_ref, '-', 2)::integer, max(pg_catalog.split_part(bo_ref, '-', 3)::integer)
from public.booking_orders where bo_ref is not null
group by 1;

create or replace function private.next_booking_order_ref(_year integer)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _number integer;
begin
  insert into private.booking_order_ref_counters as c (year, last_number)
  values (_year, 1)
  on conflict (year) do update set last_number = c.last_number + 1, updated_at = pg_catalog.now()
  returning c.last_number into _number;
  return 'BO-' || _year::text || '-' || pg_catalog.lpad(_number::text, greatest(4, pg_catalog.length(_number::text)), '0');
end
$$;
comment on function private.next_booking_order_ref(integer) is
  'Issues the next reference of a year, BO-YYYY-NNNN, in one atomic upsert (concurrent callers queue on the row).';

-- ---------------------------------------------------------------------------------------------
-- Actors

create or replace function private.booking_order_stage_permission(_stage public.booking_order_stage)
returns text
language sql
immutable
set search_path = ''
as $$
  select case _stage
    when 'coordinator' then 'sales:booking_orders:coordinate'
    when 'hos' then 'sales:booking_orders:approve'
    when 'finance' then 'sales:booking_orders:receive'
  end
$$;
comment on function private.booking_order_stage_permission(public.booking_order_stage) is
  'The permission that makes someone the actor of a stage: coordinate, approve, receive.';

create or replace function private.is_booking_order_reviewer(_user uuid, _company text, _stage public.booking_order_stage)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if _user is null then
    return false;
  end if;
  if private.user_is_admin(_user) then
    return true;
  end if;
  return _company = any (private.accessible_companies(_user))
     and private.user_has_permission(_user, private.booking_order_stage_permission(_stage));
end
$$;
comment on function private.is_booking_order_reviewer(uuid, text, public.booking_order_stage) is
  'The user may act at that stage for that company: an administrator, or holds the stage''s permission and accesses the company.';

create or replace function private.assert_booking_order_reviewer(
  _bo public.booking_orders, _stage public.booking_order_stage, _action text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.is_booking_order_reviewer(auth.uid(), _bo.company, _stage) then
    raise exception 'only % of % may % booking order %',
      case _stage when 'coordinator' then 'a coordinator' when 'hos' then 'a head of sales' else 'finance' end,
      _bo.company, _action, coalesce(_bo.bo_ref, _bo.id::text)
      using errcode = '42501',
            hint = pg_catalog.format('needs %s in %s', private.booking_order_stage_permission(_stage), _bo.company);
  end if;
end
$$;
comment on function private.assert_booking_order_reviewer(public.booking_orders, public.booking_order_stage, text) is
  'Raises 42501 unless the caller is an actor of the stage for the order''s company.';

create or replace function private.lock_booking_order(_id uuid)
returns public.booking_orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
begin
  if auth.uid() is null then
    raise exception 'sign in to act on booking orders' using errcode = '42501';
  end if;
  select * into _bo from public.booking_orders b where b.id = _id for update;
  if not found then
    raise exception 'booking order % not found', coalesce(_id::text, 'null') using errcode = 'P0002';
  end if;
  return _bo;
end
$$;
comment on function private.lock_booking_order(uuid) is
  'Locks the order row until the end of the transaction and returns its current state (P0002 when unknown).';

create or replace function private.assert_booking_order_state(
  _bo public.booking_orders, _stage public.booking_order_stage, _statuses public.booking_order_status[], _action text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if _bo.stage is distinct from _stage or not (_bo.status = any (_statuses)) then
    raise exception 'booking order % is no longer % at the % stage (it is %/%): cannot %',
      coalesce(_bo.bo_ref, _bo.id::text), pg_catalog.array_to_string(_statuses, ' or '),
      _stage, _bo.stage, _bo.status, _action
      using errcode = '55000';
  end if;
end
$$;
comment on function private.assert_booking_order_state(public.booking_orders, public.booking_order_stage, public.booking_order_status[], text) is
  'Raises 55000 "booking order … is no longer pending …" when the order is not in the state a transition leaves.';

create or replace function private.required_reason(_reason text, _action text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if _reason is null or pg_catalog.btrim(_reason) = '' then
    raise exception 'reason: a reason is required to %', _action using errcode = '22023';
  end if;
  if pg_catalog.length(pg_catalog.btrim(_reason)) > 2000 then
    raise exception 'reason: at most 2000 characters' using errcode = '22023';
  end if;
  return pg_catalog.btrim(_reason);
end
$$;
comment on function private.required_reason(text, text) is 'A non-blank reason (trimmed, ≤ 2000 characters); else 22023.';

-- ---------------------------------------------------------------------------------------------
-- Moving and history

create or replace function private.move_booking_order(
  _id uuid, _event_type text, _stage public.booking_order_stage, _status public.booking_order_status,
  _reason text, _data jsonb, _bo_ref text default null)
returns public.booking_orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _before public.booking_orders;
  _after public.booking_orders;
begin
  select * into _before from public.booking_orders where id = _id;
  -- The generic "status_changed" event of the row trigger is for direct writes; this one
  -- writes its own, richer event below.
  perform pg_catalog.set_config('app.booking_order_transition', _id::text, true);
  update public.booking_orders b
  set stage = _stage,
      status = _status,
      bo_ref = coalesce(_bo_ref, b.bo_ref),
      status_reason = _reason,
      status_changed_at = pg_catalog.now(),
      submitted_at = case when _status = 'pending' and _stage = 'coordinator' then pg_catalog.now() else b.submitted_at end,
      approved_at = case when _status = 'approved' then pg_catalog.now() else b.approved_at end,
      approved_by = case when _status = 'approved' then auth.uid() else b.approved_by end
  where b.id = _id
  returning * into _after;
  perform pg_catalog.set_config('app.booking_order_transition', '', true);

  insert into public.booking_order_events
    (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id, reason, data)
  values (_id, _event_type, _before.stage, _after.stage, _before.status, _after.status, auth.uid(), _reason,
          coalesce(_data, '{}'::jsonb));
  return _after;
end
$$;
comment on function private.move_booking_order(uuid, text, public.booking_order_stage, public.booking_order_status, text, jsonb, text) is
  'Sets stage/status (and reason, timestamps, reference) of a locked order and writes its event. Callers check first.';

-- The row trigger: direct writes get a generic event; workflow functions write their own.
create or replace function private.record_booking_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _by_workflow boolean := coalesce(pg_catalog.current_setting('app.booking_order_transition', true), '') = new.id::text;
begin
  if tg_op = 'INSERT' then
    if not _by_workflow then
      insert into public.booking_order_events (booking_order_id, event_type, to_stage, to_status, actor_id)
      values (new.id, 'created', new.stage, new.status, auth.uid());
    end if;
  elsif (new.stage, new.status) is distinct from (old.stage, old.status) then
    if not _by_workflow then
      insert into public.booking_order_events
        (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id)
      values (new.id, 'status_changed', old.stage, new.stage, old.status, new.status, auth.uid());
    end if;
    perform private.write_audit('booking_order.status_changed', 'data', 'public.booking_orders',
      new.id::text, null,
      pg_catalog.jsonb_build_object('stage', old.stage, 'status', old.status),
      pg_catalog.jsonb_build_object('stage', new.stage, 'status', new.status, 'bo_ref', new.bo_ref));
  end if;
  return null;
end
$$;
comment on function private.record_booking_order_event() is
  'Trigger: audits every stage/status change; writes created/status_changed events for direct writes '
  '(workflow functions write their own event instead).';

-- ---------------------------------------------------------------------------------------------
-- Guards on direct API writes

create or replace function private.booking_order_state(_id uuid)
returns public.booking_order_status
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (select status from public.booking_orders where id = _id);
end
$$;
comment on function private.booking_order_state(uuid) is 'Status of an order, for guard triggers.';
grant execute on function private.booking_order_state(uuid) to authenticated;

create or replace function private.i_review_booking_orders(_company text, _stage public.booking_order_stage)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.is_booking_order_reviewer(auth.uid(), _company, _stage);
end
$$;
comment on function private.i_review_booking_orders(text, public.booking_order_stage) is
  'Guard helper: the caller may act at that stage for that company.';
grant execute on function private.i_review_booking_orders(text, public.booking_order_stage) to authenticated;

create or replace function private.guard_booking_order_write()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _workflow constant text[] := array['bo_ref', 'submitted_at', 'approved_at', 'approved_by', 'status_reason',
                                     'status_changed_at', 'revision_of', 'source_document_id'];
  _computed constant text[] := array['rental_total', 'net_pre_vat', 'vat_amount', 'gross_amount', 'sla_deduction',
                                     'net_excl_sla', 'warnings', 'missing_fields', 'needs_review', 'recalculated_at'];
  _old jsonb;
  _new jsonb;
  _key text;
begin
  if not private.is_api_caller() then
    return new;
  end if;
  _new := pg_catalog.to_jsonb(new);

  if tg_op = 'INSERT' then
    if new.bo_ref is not null then
      raise exception 'bo_ref is assigned at final approval (public.hos_approve_booking_order), not on insert'
        using errcode = '23514';
    end if;
    if new.stage <> 'coordinator' or new.status <> 'draft' then
      raise exception 'a booking order starts as a draft at the coordinator stage; submit it with public.create_booking_order'
        using errcode = '42501';
    end if;
    foreach _key in array _workflow loop
      if _new -> _key <> 'null'::jsonb then
        raise exception '% is set by the booking-order workflow, not on insert', _key using errcode = '42501';
      end if;
    end loop;
    -- Amounts written by hand are what the document states; the computed ones follow the rule.
    new.stated_net_pre_vat := coalesce(new.stated_net_pre_vat, new.net_pre_vat);
    new.stated_vat := coalesce(new.stated_vat, new.vat_amount);
    new.stated_gross := coalesce(new.stated_gross, new.gross_amount);
    return new;
  end if;

  _old := pg_catalog.to_jsonb(old);
  foreach _key in array _workflow loop
    if _new -> _key is distinct from _old -> _key then
      raise exception '% changes only through the booking-order workflow functions', _key using errcode = '42501';
    end if;
  end loop;

  if (_new - _workflow - _computed - array['stage', 'status', 'updated_at'])
     is distinct from (_old - _workflow - _computed - array['stage', 'status', 'updated_at'])
     or (old.status = 'draft' and (new.net_pre_vat, new.vat_amount, new.gross_amount)
                                  is distinct from (old.net_pre_vat, old.vat_amount, old.gross_amount)) then
    if old.status <> 'draft' then
      raise exception 'booking order % is submitted: change it with public.edit_booking_order', coalesce(old.bo_ref, old.id::text)
        using errcode = '42501';
    end if;
    if new.net_pre_vat is distinct from old.net_pre_vat and new.stated_net_pre_vat is not distinct from old.stated_net_pre_vat then
      new.stated_net_pre_vat := new.net_pre_vat;
    end if;
    if new.vat_amount is distinct from old.vat_amount and new.stated_vat is not distinct from old.stated_vat then
      new.stated_vat := new.vat_amount;
    end if;
    if new.gross_amount is distinct from old.gross_amount and new.stated_gross is not distinct from old.stated_gross then
      new.stated_gross := new.gross_amount;
    end if;
  end if;

  if (new.stage, new.status) is distinct from (old.stage, old.status) then
    if old.status = 'draft' and new.stage = 'coordinator' and new.status = 'pending' then
      new.submitted_at := pg_catalog.now();
    elsif old.stage = 'coordinator' and old.status = 'pending' and new.stage = 'hos' and new.status = 'pending' then
      if not private.i_review_booking_orders(old.company, 'coordinator') then
        raise exception 'only a coordinator of % may approve booking order % to the head of sales', old.company, old.id
          using errcode = '42501';
      end if;
    else
      raise exception 'booking order % cannot go from %/% to %/% by a direct update: use %', coalesce(old.bo_ref, old.id::text),
        old.stage, old.status, new.stage, new.status,
        case
          when new.status = 'editing' then 'public.coordinator_reject_booking_order'
          when new.status = 'hos_rejected' then 'public.hos_reject_booking_order'
          when new.status = 'approved' then 'public.hos_approve_booking_order'
          when new.status = 'cancelled' then 'public.cancel_booking_order'
          when new.status = 'pending' and new.stage = 'coordinator' then 'public.resubmit_booking_order'
          else 'the booking-order workflow functions'
        end
        using errcode = '42501';
    end if;
    new.status_changed_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function private.guard_booking_order_write() is
  'Trigger: API roles write drafts, submit them, and move coordinator/pending → hos/pending as a coordinator; '
  'everything else about the workflow goes through its functions (42501 names the one to use).';

create trigger booking_orders_guard_workflow
  before insert or update on public.booking_orders
  for each row execute function private.guard_booking_order_write();

create or replace function private.guard_booking_order_delete()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() and (old.bo_ref is not null or old.status in ('approved', 'superseded')) then
    raise exception 'booking order % was approved: cancel it with public.cancel_booking_order instead of deleting it',
      coalesce(old.bo_ref, old.id::text) using errcode = '42501';
  end if;
  return old;
end
$$;
comment on function private.guard_booking_order_delete() is 'Trigger: approved booking orders are cancelled, never deleted through the API.';

create trigger booking_orders_guard_delete
  before delete on public.booking_orders
  for each row execute function private.guard_booking_order_delete();

create or replace function private.guard_booking_order_item_write()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _status public.booking_order_status;
begin
  if not private.is_api_caller() then
    return coalesce(new, old);
  end if;
  _status := private.booking_order_state(coalesce(new.booking_order_id, old.booking_order_id));
  if _status is distinct from 'draft'
     or (tg_op = 'UPDATE' and private.booking_order_state(old.booking_order_id) is distinct from 'draft') then
    raise exception 'the locations of a submitted booking order change only with public.edit_booking_order'
      using errcode = '42501';
  end if;
  return coalesce(new, old);
end
$$;
comment on function private.guard_booking_order_item_write() is 'Trigger: API roles change items of draft orders only.';

create trigger booking_order_items_guard_workflow
  before insert or update or delete on public.booking_order_items
  for each row execute function private.guard_booking_order_item_write();

-- History written through the API is notes only; the workflow writes the rest.
create or replace function private.stamp_booking_order_event()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() then
    if new.event_type <> 'note' or num_nonnulls(new.from_stage, new.to_stage, new.from_status, new.to_status) > 0 then
      raise exception 'only notes can be added to a booking order''s history; state changes go through the workflow functions'
        using errcode = '42501';
    end if;
    if new.reason is null or pg_catalog.btrim(new.reason) = '' then
      raise exception 'a note needs its text in reason' using errcode = '22023';
    end if;
    new.actor_id := auth.uid();
    new.created_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function private.stamp_booking_order_event() is
  'Trigger: API-written events are notes, stamped with the caller and the time.';

-- ---------------------------------------------------------------------------------------------
-- Who sees and moves orders besides owners, leaders, managers and sharees

create policy "booking order reviewers and finance read their companies' booking orders"
  on public.booking_orders for select to authenticated
  using (
    company in (select unnest((select private.companies_with_permission('sales:booking_orders:coordinate'))))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:approve'))))
    or (bo_ref is not null
        and company in (select unnest((select private.companies_with_permission('sales:booking_orders:receive')))))
  );

create policy "booking order reviewers move booking orders of their companies"
  on public.booking_orders for update to authenticated
  using (
    company in (select unnest((select private.companies_with_permission('sales:booking_orders:coordinate'))))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:approve'))))
  )
  with check (
    company in (select unnest((select private.companies_with_permission('sales:booking_orders:coordinate'))))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:approve'))))
  );

-- ---------------------------------------------------------------------------------------------
-- Reading an order

create or replace function private.format_bo_date(_date date)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when _date is null then null else
    extract(day from _date)::integer::text
    || case when extract(day from _date)::integer in (11, 12, 13) then 'th'
            when extract(day from _date)::integer % 10 = 1 then 'st'
            when extract(day from _date)::integer % 10 = 2 then 'nd'
            when extract(day from _date)::integer % 10 = 3 then 'rd'
            else 'th' end
    || ' ' || pg_catalog.to_char(_date, 'FMMonth YYYY') end
$$;
comment on function private.format_bo_date(date) is 'Booking-order date style of §3.3: 1st January 2025, 11th–13th with "th".';

create or replace function private.booking_order_json(_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _money constant text[] := array['rental_total', 'net_pre_vat', 'vat_amount', 'gross_amount', 'sla_deduction',
                                  'net_excl_sla', 'municipality_fee', 'production_upload_fee'];
begin
  select * into _bo from public.booking_orders where id = _id;
  if not found then
    return null;
  end if;
  return pg_catalog.jsonb_build_object(
    'id', _bo.id, 'company', _bo.company, 'owner_id', _bo.owner_id,
    'owner_name', (select u.name from public.users u where u.id = _bo.owner_id),
    'stage', _bo.stage, 'status', _bo.status, 'status_reason', _bo.status_reason,
    'bo_ref', _bo.bo_ref, 'revision_of', _bo.revision_of,
    'revision_of_ref', (select o.bo_ref from public.booking_orders o where o.id = _bo.revision_of),
    'source_document_id', _bo.source_document_id,
    'fields', private.booking_order_fields(_bo.id),
    'currency', _bo.currency,
    'figures', pg_catalog.jsonb_build_object(
      'rental_total', _bo.rental_total, 'municipality_fee', _bo.municipality_fee,
      'production_upload_fee', _bo.production_upload_fee, 'net_pre_vat', _bo.net_pre_vat,
      'vat_rate', private.booking_order_vat_rate(), 'vat_amount', _bo.vat_amount, 'gross_amount', _bo.gross_amount,
      'sla_pct', _bo.sla_pct, 'sla_deduction', _bo.sla_deduction, 'net_excl_sla', _bo.net_excl_sla,
      'stated_net_pre_vat', _bo.stated_net_pre_vat, 'stated_vat', _bo.stated_vat, 'stated_gross', _bo.stated_gross),
    'display', (
      select pg_catalog.jsonb_object_agg(k, public.format_currency(
               (pg_catalog.to_jsonb(_bo) ->> k)::numeric, _bo.currency))
      from unnest(_money) k where pg_catalog.to_jsonb(_bo) ->> k is not null)
      || pg_catalog.jsonb_build_object('bo_date', private.format_bo_date(_bo.bo_date)),
    'items', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'position', i.position, 'name', i.name, 'asset', i.asset,
               'start_date', i.start_date, 'end_date', i.end_date,
               'start_date_display', private.format_bo_date(i.start_date),
               'end_date_display', private.format_bo_date(i.end_date),
               'campaign_duration', i.campaign_duration, 'net_amount', i.net_amount,
               'post_sla_amount', i.post_sla_amount, 'location_key', i.location_key,
               'location_company', i.location_company) order by i.position), '[]'::jsonb)
      from public.booking_order_items i where i.booking_order_id = _bo.id),
    'warnings', _bo.warnings, 'missing_fields', _bo.missing_fields, 'needs_review', _bo.needs_review,
    'created_at', _bo.created_at, 'submitted_at', _bo.submitted_at, 'status_changed_at', _bo.status_changed_at,
    'approved_at', _bo.approved_at, 'approved_by', _bo.approved_by,
    'approved_by_name', (select u.name from public.users u where u.id = _bo.approved_by),
    'updated_at', _bo.updated_at);
end
$$;
comment on function private.booking_order_json(uuid) is
  'An order as JSON for the SPA, Slack and document builders: state, the 19 fields, computed figures, '
  'display strings (money in its currency, dates as 1st January 2025), items, warnings, missing fields.';

-- ---------------------------------------------------------------------------------------------
-- Transitions

create or replace function public.create_booking_order(company text, data jsonb, source_document_id uuid default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _company public.companies;
  _input jsonb;
  _id uuid := gen_random_uuid();
  _bo public.booking_orders;
begin
  if _uid is null then
    raise exception 'sign in to submit booking orders' using errcode = '42501';
  end if;
  select * into _company from public.companies c where c.slug = create_booking_order.company;
  if not found or _company.is_group then
    raise exception 'company: "%" is not a company', coalesce(create_booking_order.company, 'null') using errcode = '22023';
  end if;
  if not (_company.slug = any (private.accessible_companies(_uid))) then
    raise exception 'you have no access to company "%"', _company.slug using errcode = '42501';
  end if;
  if not private.user_has_permission(_uid, 'sales:booking_orders:create') then
    raise exception 'submitting a booking order needs sales:booking_orders:create' using errcode = '42501';
  end if;
  _input := private.booking_order_input(create_booking_order.data, 'data');
  if create_booking_order.source_document_id is not null
     and not private.user_can_access(_uid, 'document', create_booking_order.source_document_id, 'read') then
    raise exception 'source_document_id: no readable document %', create_booking_order.source_document_id
      using errcode = '42501';
  end if;

  perform pg_catalog.set_config('app.booking_order_transition', _id::text, true);
  insert into public.booking_orders
    (id, owner_id, company, currency, stage, status, data, source_document_id, submitted_at, status_changed_at)
  values (_id, _uid, _company.slug, coalesce(_input ->> 'currency', 'AED'), 'coordinator', 'pending',
          pg_catalog.jsonb_build_object('extracted', create_booking_order.data),
          create_booking_order.source_document_id, pg_catalog.now(), pg_catalog.now());
  perform pg_catalog.set_config('app.booking_order_transition', '', true);
  perform private.apply_booking_order_input(_id, _input);

  if create_booking_order.source_document_id is not null then
    update public.documents d set booking_order_id = _id
    where d.id = create_booking_order.source_document_id and d.booking_order_id is null;
  end if;

  select * into _bo from public.booking_orders where id = _id;
  insert into public.booking_order_events (booking_order_id, event_type, to_stage, to_status, actor_id, data)
  values (_id, 'submitted', 'coordinator', 'pending', _uid, pg_catalog.jsonb_build_object(
    'source_document_id', create_booking_order.source_document_id,
    'warnings', _bo.warnings, 'missing_fields', _bo.missing_fields));
  return private.booking_order_json(_id);
end
$$;
comment on function public.create_booking_order(text, jsonb, uuid) is
  'Submits an extracted booking order: needs sales:booking_orders:create and access to the company; data is '
  'the 19-field shape (unknown keys refused, types checked, currency supported). Recalculates, goes to '
  'coordinator/pending with a "submitted" event, and the company''s coordinators are notified. Returns the order.';
revoke execute on function public.create_booking_order(text, jsonb, uuid) from public, anon;
grant execute on function public.create_booking_order(text, jsonb, uuid) to authenticated;

create or replace function public.coordinator_approve_booking_order(booking_order_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
begin
  perform private.assert_booking_order_reviewer(_bo, 'coordinator', 'approve');
  perform private.assert_booking_order_state(_bo, 'coordinator', array['pending']::public.booking_order_status[], 'approve it');
  perform private.move_booking_order(_bo.id, 'coordinator_approved', 'hos', 'pending', null,
    pg_catalog.jsonb_build_object('warnings', _bo.warnings, 'missing_fields', _bo.missing_fields));
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.coordinator_approve_booking_order(uuid) is
  'Coordinator approval: coordinator/pending → hos/pending. Caller: coordinator of the company (coordinate) or admin.';
revoke execute on function public.coordinator_approve_booking_order(uuid) from public, anon;
grant execute on function public.coordinator_approve_booking_order(uuid) to authenticated;

create or replace function public.coordinator_reject_booking_order(booking_order_id uuid, reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _reason text;
begin
  perform private.assert_booking_order_reviewer(_bo, 'coordinator', 'reject');
  _reason := private.required_reason(reason, 'reject a booking order');
  perform private.assert_booking_order_state(_bo, 'coordinator', array['pending']::public.booking_order_status[], 'reject it');
  perform private.move_booking_order(_bo.id, 'coordinator_rejected', 'coordinator', 'editing', _reason, '{}'::jsonb);
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.coordinator_reject_booking_order(uuid, text) is
  'Coordinator rejection with a reason: coordinator/pending → coordinator/editing (edit, then resubmit).';
revoke execute on function public.coordinator_reject_booking_order(uuid, text) from public, anon;
grant execute on function public.coordinator_reject_booking_order(uuid, text) to authenticated;

create or replace function public.resubmit_booking_order(booking_order_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
begin
  perform private.assert_booking_order_reviewer(_bo, 'coordinator', 'resubmit');
  perform private.assert_booking_order_state(_bo, 'coordinator',
    array['editing', 'hos_rejected']::public.booking_order_status[], 'resubmit it');
  perform private.move_booking_order(_bo.id, 'resubmitted', 'coordinator', 'pending', null,
    pg_catalog.jsonb_build_object('warnings', _bo.warnings, 'missing_fields', _bo.missing_fields));
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.resubmit_booking_order(uuid) is
  'The coordinator is done editing ("execute"): coordinator/editing or hos_rejected → coordinator/pending.';
revoke execute on function public.resubmit_booking_order(uuid) from public, anon;
grant execute on function public.resubmit_booking_order(uuid) to authenticated;

create or replace function public.edit_booking_order(booking_order_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _input jsonb;
  _before jsonb;
  _after jsonb;
  _changes jsonb;
  _figures_before jsonb;
  _figures_after jsonb;
  _converted jsonb := null;
  _to text;
begin
  perform private.assert_booking_order_reviewer(_bo, 'coordinator', 'edit');
  perform private.assert_booking_order_state(_bo, 'coordinator',
    array['pending', 'editing', 'hos_rejected']::public.booking_order_status[], 'edit it');
  _input := private.booking_order_input(patch, 'patch');
  if _input = '{}'::jsonb then
    raise exception 'patch: nothing to change' using errcode = '22023';
  end if;

  _before := private.booking_order_fields(_bo.id);
  _figures_before := private.booking_order_json(_bo.id) -> 'figures';

  -- A new currency converts every amount already on the order first (§3.6 step 1); amounts in
  -- the same patch are then taken as given, in the new currency.
  _to := _input ->> 'currency';
  if _to is not null and _to <> _bo.currency then
    perform pg_catalog.set_config('app.booking_order_bulk_write', 'on', true);
    update public.booking_orders b set
      municipality_fee = public.convert_currency(b.municipality_fee, b.currency, _to),
      production_upload_fee = public.convert_currency(b.production_upload_fee, b.currency, _to),
      stated_net_pre_vat = public.convert_currency(b.stated_net_pre_vat, b.currency, _to),
      stated_vat = public.convert_currency(b.stated_vat, b.currency, _to),
      stated_gross = public.convert_currency(b.stated_gross, b.currency, _to),
      currency = _to
    where b.id = _bo.id;
    update public.booking_order_items i set net_amount = public.convert_currency(i.net_amount, _bo.currency, _to)
    where i.booking_order_id = _bo.id;
    perform pg_catalog.set_config('app.booking_order_bulk_write', '', true);
    _converted := pg_catalog.jsonb_build_object('from', _bo.currency, 'to', _to);
  end if;

  perform private.apply_booking_order_input(_bo.id, _input);
  _after := private.booking_order_fields(_bo.id);
  _figures_after := private.booking_order_json(_bo.id) -> 'figures';
  select coalesce(pg_catalog.jsonb_object_agg(k, pg_catalog.jsonb_build_object('before', _before -> k, 'after', _after -> k)), '{}'::jsonb)
    into _changes
  from pg_catalog.jsonb_object_keys(_after) k
  where _after -> k is distinct from _before -> k;

  insert into public.booking_order_events
    (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id, data)
  values (_bo.id, 'edited', null, null, null, null, auth.uid(), pg_catalog.jsonb_build_object(
    'patch', _input, 'changes', _changes, 'currency_converted', _converted,
    'figures', pg_catalog.jsonb_build_object('before', _figures_before, 'after', _figures_after)));
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.edit_booking_order(uuid, jsonb) is
  'Coordinator edit (the model''s JSON patch): allowed while at the coordinator stage (pending, editing, '
  'hos_rejected). The patch uses the 19-field shape (only the keys to change; locations as the full list); '
  'a currency change converts every amount with convert_currency first. Recalculates with the one rule set '
  'and records an "edited" event with the patch, the changed fields before/after and the figures.';
revoke execute on function public.edit_booking_order(uuid, jsonb) from public, anon;
grant execute on function public.edit_booking_order(uuid, jsonb) to authenticated;

create or replace function public.hos_approve_booking_order(booking_order_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _original public.booking_orders;
  _year integer;
  _ref text;
  _occupancy jsonb;
  _released integer := 0;
begin
  perform private.assert_booking_order_reviewer(_bo, 'hos', 'approve');
  perform private.assert_booking_order_state(_bo, 'hos', array['pending']::public.booking_order_status[], 'approve it');
  -- Locations may have been added or renamed since the last edit: match again.
  perform private.recalculate_booking_order(_bo.id);

  select extract(year from pg_catalog.now() at time zone coalesce(c.timezone, 'Asia/Dubai'))::integer into _year
  from public.companies c where c.slug = _bo.company;
  _ref := private.next_booking_order_ref(_year);

  if _bo.revision_of is not null then
    select * into _original from public.booking_orders o where o.id = _bo.revision_of for update;
    if found and _original.status = 'approved' then
      _released := private.release_booking_order_occupations(_original.id, _original.company,
        pg_catalog.format('superseded by revision %s', _ref));
      perform pg_catalog.set_config('app.booking_order_transition', _original.id::text, true);
      update public.booking_orders o set status = 'superseded', status_changed_at = pg_catalog.now(),
        status_reason = pg_catalog.format('superseded by revision %s', _ref)
      where o.id = _original.id;
      perform pg_catalog.set_config('app.booking_order_transition', '', true);
      insert into public.booking_order_events
        (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id, reason, data)
      values (_original.id, 'superseded', _original.stage, _original.stage, 'approved', 'superseded', auth.uid(),
              pg_catalog.format('superseded by revision %s', _ref),
              pg_catalog.jsonb_build_object('revision_id', _bo.id, 'revision_bo_ref', _ref, 'occupations_released', _released));
    end if;
  end if;

  -- Reference and state first (the occupations name the reference), then the calendar; an
  -- overbooking raises and undoes all of it, the counter included.
  perform pg_catalog.set_config('app.booking_order_transition', _bo.id::text, true);
  update public.booking_orders b
  set stage = 'finance', status = 'approved', bo_ref = _ref, approved_at = pg_catalog.now(), approved_by = auth.uid(),
      status_reason = null, status_changed_at = pg_catalog.now()
  where b.id = _bo.id;
  perform pg_catalog.set_config('app.booking_order_transition', '', true);
  _occupancy := private.occupy_booking_order_locations(_bo.id, auth.uid());

  insert into public.booking_order_events
    (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id, data)
  values (_bo.id, 'hos_approved', 'hos', 'finance', 'pending', 'approved', auth.uid(), pg_catalog.jsonb_build_object(
    'bo_ref', _ref, 'occupied', _occupancy -> 'occupied', 'unbooked', _occupancy -> 'unbooked',
    'revision_of', _bo.revision_of, 'original_occupations_released', _released));
  return private.booking_order_json(_bo.id) || pg_catalog.jsonb_build_object('occupancy', _occupancy);
end
$$;
comment on function public.hos_approve_booking_order(uuid) is
  'Final approval by a head of sales of the company (approve) or an admin: hos/pending → finance/approved. '
  'Assigns BO-YYYY-NNNN from the per-year counter, books the matched locations in <company>.location_occupations '
  '(confirmed, the location''s SOV) — 23P01 listing the conflicts when share of voice would exceed 100 %, nothing '
  'written — supersedes the original when this is a revision, and finance is notified. Returns the order with '
  'occupancy {occupied, unbooked}.';
revoke execute on function public.hos_approve_booking_order(uuid) from public, anon;
grant execute on function public.hos_approve_booking_order(uuid) to authenticated;

create or replace function public.hos_reject_booking_order(booking_order_id uuid, reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _reason text;
begin
  perform private.assert_booking_order_reviewer(_bo, 'hos', 'reject');
  _reason := private.required_reason(reason, 'reject a booking order');
  perform private.assert_booking_order_state(_bo, 'hos', array['pending']::public.booking_order_status[], 'reject it');
  perform private.move_booking_order(_bo.id, 'hos_rejected', 'coordinator', 'hos_rejected', _reason, '{}'::jsonb);
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.hos_reject_booking_order(uuid, text) is
  'Head-of-sales rejection with a reason (required): hos/pending → coordinator/hos_rejected, back to the coordinator.';
revoke execute on function public.hos_reject_booking_order(uuid, text) from public, anon;
grant execute on function public.hos_reject_booking_order(uuid, text) to authenticated;

create or replace function public.cancel_booking_order(booking_order_id uuid, reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _reason text;
  _released integer := 0;
begin
  if _bo.status = 'approved' then
    perform private.assert_booking_order_reviewer(_bo, 'hos', 'cancel the approved');
  elsif not private.is_booking_order_reviewer(auth.uid(), _bo.company, 'coordinator') then
    perform private.assert_booking_order_reviewer(_bo, 'hos', 'cancel');
  end if;
  _reason := private.required_reason(reason, 'cancel a booking order');
  if _bo.status in ('cancelled', 'superseded') then
    raise exception 'booking order % is already %', coalesce(_bo.bo_ref, _bo.id::text), _bo.status using errcode = '55000';
  end if;
  if _bo.status = 'approved' then
    _released := private.release_booking_order_occupations(_bo.id, _bo.company, 'cancelled: ' || _reason);
  end if;
  perform private.move_booking_order(_bo.id, 'cancelled', _bo.stage, 'cancelled', _reason,
    pg_catalog.jsonb_build_object('occupations_released', _released));
  return private.booking_order_json(_bo.id);
end
$$;
comment on function public.cancel_booking_order(uuid, text) is
  'Cancels with a reason (required): by a coordinator or head of sales of the company (an approved order: head '
  'of sales or admin only, its occupations are released). The order and its history are kept (status cancelled).';
revoke execute on function public.cancel_booking_order(uuid, text) from public, anon;
grant execute on function public.cancel_booking_order(uuid, text) to authenticated;

create or replace function public.revise_booking_order(booking_order_id uuid, notes text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders := private.lock_booking_order(booking_order_id);
  _uid uuid := auth.uid();
  _id uuid := gen_random_uuid();
  _open uuid;
begin
  if not (private.user_is_admin(_uid)
          or (_bo.company = any (private.accessible_companies(_uid))
              and private.user_has_permission(_uid, 'sales:booking_orders:manage'))) then
    raise exception 'revising booking order % needs sales:booking_orders:manage in %', coalesce(_bo.bo_ref, _bo.id::text), _bo.company
      using errcode = '42501';
  end if;
  if _bo.status <> 'approved' then
    raise exception 'booking order % is %, only approved booking orders are revised', coalesce(_bo.bo_ref, _bo.id::text), _bo.status
      using errcode = '55000';
  end if;
  select r.id into _open from public.booking_orders r
  where r.revision_of = _bo.id and r.status not in ('cancelled', 'superseded', 'approved')
  limit 1;
  if _open is not null then
    raise exception 'booking order % already has an open revision (%)', _bo.bo_ref, _open using errcode = '55000';
  end if;

  perform pg_catalog.set_config('app.booking_order_transition', _id::text, true);
  insert into public.booking_orders
    (id, owner_id, company, currency, stage, status, revision_of, source_document_id, data, submitted_at, status_changed_at)
  values (_id, _bo.owner_id, _bo.company, _bo.currency, 'coordinator', 'pending', _bo.id, _bo.source_document_id,
          pg_catalog.jsonb_build_object('extracted', private.booking_order_fields(_bo.id),
                                        'revision_of', _bo.bo_ref, 'user_notes', pg_catalog.btrim(notes)),
          pg_catalog.now(), pg_catalog.now());
  perform pg_catalog.set_config('app.booking_order_transition', '', true);
  perform private.apply_booking_order_input(_id, private.booking_order_fields(_bo.id));

  insert into public.booking_order_events (booking_order_id, event_type, to_stage, to_status, actor_id, reason, data)
  values (_id, 'submitted', 'coordinator', 'pending', _uid, nullif(pg_catalog.btrim(notes), ''),
          pg_catalog.jsonb_build_object('revision_of', _bo.id, 'original_bo_ref', _bo.bo_ref));
  insert into public.booking_order_events (booking_order_id, event_type, actor_id, reason, data)
  values (_bo.id, 'revision_requested', _uid, nullif(pg_catalog.btrim(notes), ''),
          pg_catalog.jsonb_build_object('revision_id', _id));
  return private.booking_order_json(_id);
end
$$;
comment on function public.revise_booking_order(uuid, text) is
  'Starts a revision of an approved order (sales:booking_orders:manage in its company, or admin): a NEW order with '
  'the same data, owner and company, revision_of = the original, at coordinator/pending. The original stays '
  'approved until the revision is approved, then becomes superseded. One open revision at a time.';
revoke execute on function public.revise_booking_order(uuid, text) from public, anon;
grant execute on function public.revise_booking_order(uuid, text) to authenticated;

revoke execute on all functions in schema private from public;
