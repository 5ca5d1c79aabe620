/*
 * Booking orders (spec §3) with their locations and an append-only event history, RLS from
 * the start. Visibility follows the common rule (owner, leaders above the owner,
 * sales:booking_orders:manage in the company, live shares, admins). stage/status are
 * placeholders for the approval state machine a later migration defines; every stage or
 * status change is written to booking_order_events (and audited) by trigger, fixing the
 * original's silent status column and audit-less cancellation (§11.13).
 */

create table public.booking_orders (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.users (id) on delete restrict,
  company text not null references public.companies (slug) on update restrict on delete restrict,
  bo_ref text unique check (bo_ref ~ '^BO-[0-9]{4}-[0-9]{4,}$'),
  bo_number text,
  client_name text,
  brand_campaign text,
  currency text not null default 'AED' check (currency ~ '^[A-Z]{3}$'),
  net_pre_vat numeric(15, 2),
  vat_amount numeric(15, 2),
  gross_amount numeric(15, 2),
  stage text not null default 'coordinator' check (stage in ('coordinator', 'hos', 'finance')),
  status text not null default 'draft'
    check (status in ('draft', 'pending', 'coordinator_rejected', 'approved', 'cancelled')),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.booking_orders is
  'Booking orders parsed from client documents and taken through coordinator → head of sales → finance.';
comment on column public.booking_orders.owner_id is 'Sales person who submitted the booking order.';
comment on column public.booking_orders.company is 'Leaf company the booking order is for.';
comment on column public.booking_orders.bo_ref is 'Internal reference BO-YYYY-NNNN, set at final approval; unique.';
comment on column public.booking_orders.bo_number is 'The client''s own BO reference as printed on their document.';
comment on column public.booking_orders.client_name is 'Buyer (never Backlite/Viola).';
comment on column public.booking_orders.brand_campaign is 'Brand or campaign name.';
comment on column public.booking_orders.currency is 'Currency of the amounts (ISO 4217).';
comment on column public.booking_orders.net_pre_vat is 'Net before SLA and VAT.';
comment on column public.booking_orders.vat_amount is 'VAT amount (5 %).';
comment on column public.booking_orders.gross_amount is 'Gross total including VAT.';
comment on column public.booking_orders.stage is 'Approval stage: coordinator, hos or finance (placeholder for the workflow).';
comment on column public.booking_orders.status is 'draft, pending, coordinator_rejected, approved or cancelled (placeholder).';
comment on column public.booking_orders.data is 'Full extracted data (fields of spec §3.2), warnings and missing fields.';

create index booking_orders_owner_created_idx on public.booking_orders (owner_id, created_at desc);
create index booking_orders_created_idx on public.booking_orders (created_at desc);
create index booking_orders_company_created_idx on public.booking_orders (company, created_at desc);
create index booking_orders_bo_number_idx on public.booking_orders (lower(bo_number)) where bo_number is not null;

create table public.booking_order_items (
  id uuid primary key default gen_random_uuid(),
  booking_order_id uuid not null references public.booking_orders (id) on delete cascade,
  position integer not null default 1 check (position >= 1),
  name text not null,
  location_key text check (location_key ~ '^[a-z0-9][a-z0-9_]*$'),
  location_company text references public.companies (slug),
  start_date date,
  end_date date,
  campaign_duration text,
  net_amount numeric(15, 2) check (net_amount >= 0),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  unique (booking_order_id, position),
  check (end_date is null or start_date is null or end_date >= start_date)
);

comment on table public.booking_order_items is 'Locations booked on a booking order. Visible with their booking order.';
comment on column public.booking_order_items.booking_order_id is 'The booking order.';
comment on column public.booking_order_items.position is 'Order on the booking order, from 1.';
comment on column public.booking_order_items.name is 'Location name as written on the order.';
comment on column public.booking_order_items.location_key is 'Matched location key, when resolved.';
comment on column public.booking_order_items.location_company is 'Company whose inventory holds the location.';
comment on column public.booking_order_items.start_date is 'First day booked.';
comment on column public.booking_order_items.end_date is 'Last day booked.';
comment on column public.booking_order_items.campaign_duration is 'Duration as stated, e.g. "2 weeks".';
comment on column public.booking_order_items.net_amount is 'Net rental amount for this location (0 is a real zero).';
comment on column public.booking_order_items.data is 'Extra data, e.g. raw text and post-SLA amount.';

create table public.booking_order_events (
  id bigint generated always as identity primary key,
  booking_order_id uuid not null references public.booking_orders (id) on delete cascade,
  event_type text not null check (event_type ~ '^[a-z][a-z0-9_]*$'),
  from_stage text,
  to_stage text,
  from_status text,
  to_status text,
  actor_id uuid default auth.uid() references public.users (id) on delete set null,
  reason text,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now()
);

comment on table public.booking_order_events is
  'Append-only history of a booking order: creation, stage/status changes, edits, notes.';
comment on column public.booking_order_events.booking_order_id is 'The booking order.';
comment on column public.booking_order_events.event_type is 'created, status_changed, edited, note, … (lower-case word).';
comment on column public.booking_order_events.from_stage is 'Stage before the event.';
comment on column public.booking_order_events.to_stage is 'Stage after the event.';
comment on column public.booking_order_events.from_status is 'Status before the event.';
comment on column public.booking_order_events.to_status is 'Status after the event.';
comment on column public.booking_order_events.actor_id is 'Who caused the event; null for system actions.';
comment on column public.booking_order_events.reason is 'Rejection/cancellation reason or note text.';
comment on column public.booking_order_events.data is 'Event details, e.g. the fields changed.';

create index booking_order_events_bo_idx on public.booking_order_events (booking_order_id, created_at);

alter table public.booking_orders enable row level security;
select private.comment_standard_columns('public.booking_orders');
alter table public.booking_order_items enable row level security;
select private.comment_standard_columns('public.booking_order_items');
alter table public.booking_order_events enable row level security;
select private.comment_standard_columns('public.booking_order_events');
revoke all on public.booking_orders, public.booking_order_items, public.booking_order_events from anon;
revoke update, delete, truncate on public.booking_order_events from authenticated, service_role;
revoke all on sequence public.booking_order_events_id_seq from anon, authenticated;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('booking_order', 'public.booking_orders', 'sales:booking_orders:manage', true, true);

create trigger booking_orders_touch_updated_at
  before update on public.booking_orders
  for each row execute function private.touch_updated_at();
create trigger booking_orders_check_write
  before insert or update on public.booking_orders
  for each row execute function private.check_record_write('booking order', 'sales:booking_orders:create');
create trigger booking_orders_audit_deletion
  after delete on public.booking_orders
  for each row execute function private.audit_record_deletion('booking_order');

create or replace function private.record_booking_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.booking_order_events (booking_order_id, event_type, to_stage, to_status, actor_id)
    values (new.id, 'created', new.stage, new.status, auth.uid());
  elsif (new.stage, new.status) is distinct from (old.stage, old.status) then
    insert into public.booking_order_events
      (booking_order_id, event_type, from_stage, to_stage, from_status, to_status, actor_id)
    values (new.id, 'status_changed', old.stage, new.stage, old.status, new.status, auth.uid());
    perform private.write_audit('booking_order.status_changed', 'data', 'public.booking_orders',
      new.id::text, null,
      pg_catalog.jsonb_build_object('stage', old.stage, 'status', old.status),
      pg_catalog.jsonb_build_object('stage', new.stage, 'status', new.status));
  end if;
  return null;
end
$$;
comment on function private.record_booking_order_event() is
  'Trigger: writes created/status_changed events (and audits approvals and cancellations).';

create trigger booking_orders_record_event
  after insert or update of stage, status on public.booking_orders
  for each row execute function private.record_booking_order_event();

create or replace function private.stamp_booking_order_event()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() then
    new.actor_id := auth.uid();
    new.created_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function private.stamp_booking_order_event() is 'Trigger: API-written events carry the caller as actor.';

create trigger booking_order_events_stamp
  before insert on public.booking_order_events
  for each row execute function private.stamp_booking_order_event();

create policy "people read booking orders they own, lead, manage or got shared"
  on public.booking_orders for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read'))))
    or (select private.is_admin())
  );

create policy "sales people submit booking orders in their companies"
  on public.booking_orders for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and company in (select unnest((select private.accessible_companies())))
    and (select private.has_permission('sales:booking_orders:create'))
  );

create policy "owners, leaders, managers, read_write sharees edit BOs"
  on public.booking_orders for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read_write'))))
    or (select private.is_admin())
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read_write'))))
    or (select private.is_admin())
  );

create policy "owners, leaders, managers and full sharees delete BOs"
  on public.booking_orders for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'full'))))
    or (select private.is_admin())
  );

create policy "people read the items of booking orders they can read"
  on public.booking_order_items for select to authenticated
  using (exists (select 1 from public.booking_orders b where b.id = booking_order_id));

create policy "people who can update a booking order add its items"
  on public.booking_order_items for insert to authenticated
  with check (public.can_access('booking_order', booking_order_id, 'read_write'));

create policy "people who can update a booking order change its items"
  on public.booking_order_items for update to authenticated
  using (public.can_access('booking_order', booking_order_id, 'read_write'))
  with check (public.can_access('booking_order', booking_order_id, 'read_write'));

create policy "people who can update a booking order remove its items"
  on public.booking_order_items for delete to authenticated
  using (public.can_access('booking_order', booking_order_id, 'read_write'));

create policy "people read the history of booking orders they can read"
  on public.booking_order_events for select to authenticated
  using (exists (select 1 from public.booking_orders b where b.id = booking_order_id));

create policy "people who can update a booking order add events to its history"
  on public.booking_order_events for insert to authenticated
  with check (
    actor_id = (select auth.uid())
    and public.can_access('booking_order', booking_order_id, 'read_write')
  );

revoke execute on all functions in schema private from public;
