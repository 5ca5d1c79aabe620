/*
 * Booking orders get typed columns for the 19 extracted fields (spec §3.2), the figures the
 * recalculation derives from them (§3.3), and an explicit state (§3.5, fixes §11.13).
 *
 * Three kinds of columns, so nobody confuses what a document said with what we computed:
 *   extracted   bo_number … notes, and stated_net_pre_vat / stated_vat / stated_gross: the
 *               amounts exactly as printed on the client's document (kept for the warnings)
 *   computed    rental_total, net_pre_vat, vat_amount, gross_amount, sla_deduction,
 *               net_excl_sla, warnings, missing_fields, needs_review — written only by
 *               private.recalculate_booking_order (next migration), never by hand
 *   workflow    stage, status (enums), bo_ref, submitted_at, approved_at/_by, status_reason,
 *               revision_of
 * Money is numeric(14,2) in the booking order's own currency; percentages are fractions
 * (0.10 = 10 %) in numeric(6,4) with range checks — one unit per column (§11.15).
 *
 * Stages and statuses:
 *   coordinator  draft (not submitted yet) | pending (waits for the coordinator) |
 *                editing (rejected by the coordinator to be edited) |
 *                hos_rejected (sent back by the head of sales, with a reason)
 *   hos          pending (waits for the head of sales)
 *   finance      approved (final: reference assigned, locations occupied, finance told)
 *   any          cancelled (kept with its history, never deleted) |
 *                superseded (an approved order replaced by its approved revision)
 */

create type public.booking_order_stage as enum ('coordinator', 'hos', 'finance');
comment on type public.booking_order_stage is
  'Who holds a booking order: coordinator review, head-of-sales (hos) review, or finance (after final approval).';

create type public.booking_order_status as enum (
  'draft', 'pending', 'editing', 'hos_rejected', 'approved', 'cancelled', 'superseded');
comment on type public.booking_order_status is
  'draft: not submitted; pending: waits for the stage''s reviewer; editing: rejected by the coordinator '
  'for edits; hos_rejected: sent back by the head of sales with a reason; approved: final; cancelled: '
  'stopped (kept, with history); superseded: replaced by its approved revision.';

-- The event trigger names the columns, so it is re-created around the type change.
drop trigger booking_orders_record_event on public.booking_orders;
alter table public.booking_orders
  drop constraint if exists booking_orders_stage_check,
  drop constraint if exists booking_orders_status_check,
  alter column stage drop default,
  alter column status drop default;
alter table public.booking_orders
  alter column stage type public.booking_order_stage using stage::public.booking_order_stage,
  alter column status type public.booking_order_status using (
    case status when 'coordinator_rejected' then 'editing' else status end)::public.booking_order_status,
  alter column stage set default 'coordinator',
  alter column status set default 'draft';
create trigger booking_orders_record_event
  after insert or update of stage, status on public.booking_orders
  for each row execute function private.record_booking_order_event();

alter table public.booking_orders
  alter column net_pre_vat type numeric(14, 2),
  alter column vat_amount type numeric(14, 2),
  alter column gross_amount type numeric(14, 2),
  add column bo_date date,
  add column agency text,
  add column category text,
  add column assets text[] not null default '{}',
  add column payment_terms text,
  add column sales_person text,
  add column commission_pct numeric(6, 4) check (commission_pct between 0 and 1),
  add column sla_pct numeric(6, 4) check (sla_pct between 0 and 1),
  add column municipality_fee numeric(14, 2) check (municipality_fee >= 0),
  add column production_upload_fee numeric(14, 2) check (production_upload_fee >= 0),
  add column notes text,
  add column stated_net_pre_vat numeric(14, 2) check (stated_net_pre_vat >= 0),
  add column stated_vat numeric(14, 2) check (stated_vat >= 0),
  add column stated_gross numeric(14, 2) check (stated_gross >= 0),
  add column rental_total numeric(14, 2),
  add column sla_deduction numeric(14, 2),
  add column net_excl_sla numeric(14, 2),
  add column warnings jsonb not null default '[]'::jsonb check (jsonb_typeof(warnings) = 'array'),
  add column missing_fields jsonb not null default '[]'::jsonb check (jsonb_typeof(missing_fields) = 'array'),
  add column needs_review boolean not null default false,
  add column recalculated_at timestamptz,
  add column source_document_id uuid references public.documents (id) on delete set null,
  add column revision_of uuid references public.booking_orders (id) on delete set null,
  add column submitted_at timestamptz,
  add column approved_at timestamptz,
  add column approved_by uuid references public.users (id) on delete set null,
  add column status_reason text check (length(status_reason) <= 2000),
  add column status_changed_at timestamptz,
  add constraint booking_orders_currency_fkey foreign key (currency)
    references public.currencies (code) on update cascade on delete restrict,
  add constraint booking_orders_state_is_valid check (
    case status
      when 'draft' then stage = 'coordinator'
      when 'editing' then stage = 'coordinator'
      when 'hos_rejected' then stage = 'coordinator'
      when 'pending' then stage in ('coordinator', 'hos')
      when 'approved' then stage = 'finance' and bo_ref is not null
      else true
    end),
  add constraint booking_orders_reference_only_when_approved check (
    bo_ref is null or status in ('approved', 'cancelled', 'superseded')),
  add constraint booking_orders_not_own_revision check (revision_of is distinct from id);

comment on column public.booking_orders.stage is 'Who holds it: coordinator, hos (head of sales) or finance.';
comment on column public.booking_orders.status is
  'draft, pending, editing, hos_rejected, approved, cancelled or superseded (see the type). Changed only by the workflow functions.';
comment on column public.booking_orders.bo_ref is
  'Internal reference BO-YYYY-NNNN, assigned at final approval from a per-year counter; unique.';
comment on column public.booking_orders.currency is 'Currency of every amount of the order and its items (ISO 4217, a row of public.currencies).';
comment on column public.booking_orders.net_pre_vat is
  'COMPUTED net before SLA and VAT: rentals + municipality fee + production/upload fee when the order has items, else the stated net.';
comment on column public.booking_orders.vat_amount is 'COMPUTED VAT: round(net_pre_vat × 0.05, 2), on the full net including fees.';
comment on column public.booking_orders.gross_amount is 'COMPUTED gross: net_pre_vat + vat_amount.';
comment on column public.booking_orders.data is
  'Submission record: the extracted JSON exactly as received (key "extracted") and context such as user notes.';
comment on column public.booking_orders.bo_date is 'Date printed on the client''s order.';
comment on column public.booking_orders.agency is 'Media agency, when there is one.';
comment on column public.booking_orders.category is 'Client industry (Real Estate, FMCG, Automotive, …).';
comment on column public.booking_orders.assets is 'Asset codes named on the order (field "asset"); empty when none.';
comment on column public.booking_orders.payment_terms is 'Payment terms, e.g. "60 days PDC".';
comment on column public.booking_orders.sales_person is 'Sales person named on the order.';
comment on column public.booking_orders.commission_pct is 'Agency commission as a fraction (0.15 = 15 %).';
comment on column public.booking_orders.sla_pct is 'SLA as a fraction (0.10 = 10 %); deducted from rentals only.';
comment on column public.booking_orders.municipality_fee is 'Total municipality (DM) fee, one global amount; null = not stated, 0 is a real zero.';
comment on column public.booking_orders.production_upload_fee is 'Total production (static) and upload (digital) fee, one global amount; null = not stated.';
comment on column public.booking_orders.notes is 'Notes from the order or the sales person.';
comment on column public.booking_orders.stated_net_pre_vat is 'Net before VAT as printed on the document (extracted "net_pre_vat").';
comment on column public.booking_orders.stated_vat is 'VAT as printed on the document (extracted "vat_value").';
comment on column public.booking_orders.stated_gross is 'Gross as printed on the document (extracted "gross_amount").';
comment on column public.booking_orders.rental_total is 'COMPUTED sum of the items'' net rental amounts (0 without items).';
comment on column public.booking_orders.sla_deduction is 'COMPUTED round(rental_total × sla_pct, 2): SLA on rentals only, before and after edits.';
comment on column public.booking_orders.net_excl_sla is 'COMPUTED net_pre_vat − sla_deduction.';
comment on column public.booking_orders.warnings is 'COMPUTED list of warning messages (amount mismatches, unmatched locations).';
comment on column public.booking_orders.missing_fields is 'COMPUTED list of missing required fields: "Global field: client", "Location 2: end_date".';
comment on column public.booking_orders.needs_review is 'COMPUTED: there are warnings or missing fields. Nothing blocks on it.';
comment on column public.booking_orders.recalculated_at is 'When the figures were last recalculated.';
comment on column public.booking_orders.source_document_id is 'Uploaded document the order was extracted from.';
comment on column public.booking_orders.revision_of is 'The approved booking order this one revises (spec §3.5 T8).';
comment on column public.booking_orders.submitted_at is 'When it was (last) submitted to the coordinator.';
comment on column public.booking_orders.approved_at is 'When the head of sales gave final approval.';
comment on column public.booking_orders.approved_by is 'Head of sales (or admin) who gave final approval.';
comment on column public.booking_orders.status_reason is 'Reason of the last rejection or cancellation, shown with the status.';
comment on column public.booking_orders.status_changed_at is 'When stage or status last changed.';

create index booking_orders_pending_idx on public.booking_orders (company, stage, status)
  where status in ('pending', 'editing', 'hos_rejected');
create index booking_orders_revision_of_idx on public.booking_orders (revision_of) where revision_of is not null;

alter table public.booking_order_items
  alter column name drop not null,
  alter column net_amount type numeric(14, 2),
  add column asset text,
  add column post_sla_amount numeric(14, 2);

comment on column public.booking_order_items.name is 'Location name as written on the order; null = missing (reported in missing_fields).';
comment on column public.booking_order_items.asset is 'Asset code of the line, when the order gives one.';
comment on column public.booking_order_items.location_key is
  'COMPUTED: the location of the order''s company this line names (exact key or display name, of name or asset); null when none matches.';
comment on column public.booking_order_items.location_company is 'COMPUTED: company of the matched location (the order''s company).';
comment on column public.booking_order_items.net_amount is 'Net rental of this line in the order''s currency; null = missing, 0 is a real zero.';
comment on column public.booking_order_items.post_sla_amount is 'COMPUTED round(net_amount × (1 − sla_pct), 2).';
comment on column public.booking_order_items.data is 'Extra data of the line as extracted.';
