/*
 * Booking-order documents (spec §3.7, §3.9; issue 6): the workbook and the combined PDF are
 * render jobs of kind booking_order, queued by the database and recorded on the order.
 *
 *   what is rendered   private.booking_order_document(id): everything the workbook, the
 *                      combined PDF and the stamp show — fields, figures as decimal strings,
 *                      items, currency metadata, the original document, and once approved the
 *                      reference, the head of sales' signature and the approval date.
 *   when               after every booking-order event (one trigger on booking_order_events):
 *                      when that content differs from what was last queued (md5 of the JSON),
 *                      documents_version goes up by one and one job {booking_order_id, version,
 *                      final} is queued. Submission (a new order or a revision), an edit that
 *                      changes anything shown, and the head of sales' approval (reference,
 *                      signature, stamp) queue a job; the coordinator's approval, rejections,
 *                      resubmission without changes, notes and cancellations do not. Drafts,
 *                      cancelled and superseded orders are never rendered.
 *   idempotent         one job per (order, version), enforced by a unique index; the renderer
 *                      reads the content with public.booking_order_render_input(id, version),
 *                      which answers "stale" once a newer version exists, so a late job renders
 *                      nothing.
 *   recorded           when a job of the current version succeeds, its paths go on the order
 *                      (excel_path, combined_pdf_path, documents_rendered_at/_version). A job of
 *                      an older version never overwrites them. Paths must lie in the version's
 *                      own folder of bucket booking-orders: <company>/<order id>/v<version>/.
 *
 * Only the database writes these columns and queues these jobs: API roles get 42501.
 */

alter table public.booking_orders
  add column excel_path text check (excel_path is null or (length(excel_path) between 1 and 1024 and excel_path !~ '(^|/)\.\.(/|$)')),
  add column combined_pdf_path text
    check (combined_pdf_path is null or (length(combined_pdf_path) between 1 and 1024 and combined_pdf_path !~ '(^|/)\.\.(/|$)')),
  add column documents_rendered_at timestamptz,
  add column documents_version integer not null default 0 check (documents_version >= 0),
  add column documents_fingerprint text check (documents_fingerprint ~ '^[0-9a-f]{32}$'),
  add column documents_rendered_version integer check (documents_rendered_version between 1 and documents_version);

comment on column public.booking_orders.excel_path is
  'Booking-order workbook (§3.7) of the latest rendered version: object in bucket booking-orders. Written by the render job only.';
comment on column public.booking_orders.combined_pdf_path is
  'Combined PDF (workbook then the original; stamped once approved, §3.9): object in bucket booking-orders. Written by the render job only.';
comment on column public.booking_orders.documents_rendered_at is 'When excel_path and combined_pdf_path were last recorded.';
comment on column public.booking_orders.documents_version is
  'Version of the documents last queued for rendering (0 = never); goes up whenever what they show changes.';
comment on column public.booking_orders.documents_fingerprint is 'md5 of the rendered content last queued (private.booking_order_document).';
comment on column public.booking_orders.documents_rendered_version is
  'Version the recorded paths show; below documents_version while a newer render is on its way.';

create index booking_orders_excel_path_idx on public.booking_orders (excel_path) where excel_path is not null;
create index booking_orders_combined_pdf_path_idx on public.booking_orders (combined_pdf_path) where combined_pdf_path is not null;

-- One job per order version, whoever tries to queue it twice.
create unique index render_jobs_booking_order_version_idx
  on public.render_jobs ((payload ->> 'booking_order_id'), (payload ->> 'version'))
  where kind = 'booking_order';

-- ---------------------------------------------------------------------------------------------
-- What is rendered

create or replace function private.booking_order_document(_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _company public.companies;
  _brand public.companies;
  _currency public.currencies;
begin
  select * into _bo from public.booking_orders where id = _id;
  if not found then
    return null;
  end if;
  select * into _company from public.companies c where c.slug = _bo.company;
  -- The brand is the company's ancestor just below the top group (backlite_dubai → Backlite),
  -- or the company itself when it hangs off the top (viola).
  with recursive up (id, parent_id, depth) as (
    select c.id, c.parent_id, 0 from public.companies c where c.id = _company.id
    union all
    select p.id, p.parent_id, up.depth + 1 from public.companies p join up on p.id = up.parent_id
  )
  select c.* into _brand
  from up join public.companies c on c.id = up.id
  where up.parent_id is not null
  order by up.depth desc
  limit 1;
  _currency := private.currency(_bo.currency);

  return pg_catalog.jsonb_build_object(
    'booking_order_id', _bo.id,
    'owner_id', _bo.owner_id,
    'company', pg_catalog.jsonb_build_object('slug', _company.slug, 'name', _company.name,
      'brand', coalesce(_brand.slug, _company.slug), 'brand_name', coalesce(_brand.name, _company.name)),
    'final', _bo.bo_ref is not null and _bo.approved_at is not null,
    'bo_ref', _bo.bo_ref,
    'fields', pg_catalog.jsonb_build_object(
      'bo_number', _bo.bo_number, 'bo_date', private.format_bo_date(_bo.bo_date), 'client', _bo.client_name,
      'agency', _bo.agency, 'brand_campaign', _bo.brand_campaign, 'category', _bo.category,
      'assets', pg_catalog.to_jsonb(_bo.assets), 'payment_terms', _bo.payment_terms,
      'sales_person', _bo.sales_person, 'commission_pct', _bo.commission_pct::text, 'sla_pct', _bo.sla_pct::text,
      'notes', _bo.notes),
    'currency', pg_catalog.jsonb_build_object('code', _currency.code, 'symbol', _currency.symbol,
      'symbol_position', _currency.symbol_position, 'decimals', _currency.decimals),
    -- Decimal strings: the renderer never does arithmetic on money.
    'figures', pg_catalog.jsonb_build_object(
      'gross_amount', _bo.gross_amount::text, 'sla_deduction', _bo.sla_deduction::text,
      'production_upload_fee', _bo.production_upload_fee::text, 'municipality_fee', _bo.municipality_fee::text,
      'vat_amount', _bo.vat_amount::text, 'net_pre_vat', _bo.net_pre_vat::text,
      'net_excl_sla', _bo.net_excl_sla::text, 'rental_total', _bo.rental_total::text),
    'items', (
      select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'position', i.position, 'name', i.name, 'asset', i.asset,
               'start_date', private.format_bo_date(i.start_date), 'end_date', private.format_bo_date(i.end_date),
               'campaign_duration', i.campaign_duration,
               'net_amount', i.net_amount::text, 'post_sla_amount', i.post_sla_amount::text) order by i.position), '[]'::jsonb)
      from public.booking_order_items i where i.booking_order_id = _bo.id),
    'approval', case when _bo.bo_ref is not null and _bo.approved_at is not null then pg_catalog.jsonb_build_object(
      'hos_name', (select coalesce(nullif(pg_catalog.btrim(u.name), ''), u.email) from public.users u where u.id = _bo.approved_by),
      'approved_on', pg_catalog.to_char(_bo.approved_at at time zone coalesce(_company.timezone, 'Asia/Dubai'), 'DD-MM-YYYY'))
    end,
    'source_document', (
      select pg_catalog.jsonb_build_object('bucket', d.bucket, 'path', d.storage_path, 'mime_type', d.mime_type,
                                           'filename', d.original_filename)
      from public.documents d where d.id = _bo.source_document_id and d.deleted_at is null));
end
$$;
comment on function private.booking_order_document(uuid) is
  'Everything the booking-order documents show (workbook §3.7, combined PDF and stamp §3.9): fields, figures and '
  'item amounts as decimal strings, currency metadata, brand, original document, and once approved bo_ref, the '
  'approver''s name and the approval date (DD-MM-YYYY, company time zone). Null for an unknown order.';

-- ---------------------------------------------------------------------------------------------
-- Queueing

create or replace function private.queue_booking_order_documents(_id uuid)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _document jsonb;
  _fingerprint text;
  _version integer;
  _job_id uuid;
begin
  select * into _bo from public.booking_orders where id = _id for update;
  if not found or _bo.status in ('draft', 'cancelled', 'superseded') then
    return null;
  end if;
  _document := private.booking_order_document(_id);
  _fingerprint := pg_catalog.md5(_document::text);
  if _fingerprint is not distinct from _bo.documents_fingerprint then
    return null;
  end if;

  _version := _bo.documents_version + 1;
  update public.booking_orders
  set documents_version = _version, documents_fingerprint = _fingerprint
  where id = _id;
  insert into public.render_jobs (owner_id, requested_by, company, kind, payload)
  values (_bo.owner_id, auth.uid(), _bo.company, 'booking_order',
          pg_catalog.jsonb_build_object('booking_order_id', _id, 'version', _version,
                                        'final', (_document ->> 'final')::boolean))
  on conflict ((payload ->> 'booking_order_id'), (payload ->> 'version')) where kind = 'booking_order' do nothing
  returning id into _job_id;
  return _job_id;
end
$$;
comment on function private.queue_booking_order_documents(uuid) is
  'Queues a booking_order render job {booking_order_id, version, final} when what the documents show changed since '
  'the last one (drafts, cancelled and superseded orders excepted); returns the job id, or null when nothing changed.';

create or replace function private.queue_booking_order_documents_on_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.queue_booking_order_documents(new.booking_order_id);
  return null;
end
$$;
comment on function private.queue_booking_order_documents_on_event() is
  'Trigger: after a booking-order event, queue its documents if what they show changed.';

-- Every transition writes exactly one event once the order is in its new state, so the event
-- is the moment to look; the fingerprint turns events that change nothing shown into no-ops.
create trigger booking_order_events_queue_documents
  after insert on public.booking_order_events
  for each row execute function private.queue_booking_order_documents_on_event();

create or replace function private.guard_booking_order_render_job()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() and new.kind = 'booking_order' then
    raise exception 'booking-order documents are queued by the booking-order workflow, not by hand'
      using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function private.guard_booking_order_render_job() is
  'Trigger: API roles cannot queue booking_order render jobs (a forged future version would block the real one).';

create trigger render_jobs_guard_booking_order
  before insert on public.render_jobs
  for each row execute function private.guard_booking_order_render_job();

create or replace function private.guard_booking_order_documents_write()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  _touched boolean;
begin
  if not private.is_api_caller() then
    return new;
  end if;
  if tg_op = 'INSERT' then
    _touched := num_nonnulls(new.excel_path, new.combined_pdf_path, new.documents_rendered_at, new.documents_fingerprint,
                             new.documents_rendered_version) > 0
                or new.documents_version <> 0;
  else
    _touched := (new.excel_path, new.combined_pdf_path, new.documents_rendered_at, new.documents_version,
                 new.documents_fingerprint, new.documents_rendered_version)
                is distinct from (old.excel_path, old.combined_pdf_path, old.documents_rendered_at, old.documents_version,
                                  old.documents_fingerprint, old.documents_rendered_version);
  end if;
  if _touched then
    raise exception 'booking-order document paths and versions are written by the render job only' using errcode = '42501';
  end if;
  return new;
end
$$;
comment on function private.guard_booking_order_documents_write() is
  'Trigger: API roles never write excel_path, combined_pdf_path or the documents version columns (a path pointing '
  'at someone else''s file would open it to them through the storage policy).';

create trigger booking_orders_guard_documents
  before insert or update on public.booking_orders
  for each row execute function private.guard_booking_order_documents_write();

-- ---------------------------------------------------------------------------------------------
-- The renderer's side

create or replace function public.booking_order_render_input(booking_order_id uuid, version integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _current integer;
begin
  select b.documents_version into _current from public.booking_orders b where b.id = booking_order_render_input.booking_order_id;
  return pg_catalog.jsonb_build_object(
    'booking_order_id', booking_order_render_input.booking_order_id,
    'version', booking_order_render_input.version,
    'current_version', _current,
    'document', case when _current is not distinct from booking_order_render_input.version
                     then private.booking_order_document(booking_order_render_input.booking_order_id) end);
end
$$;
comment on function public.booking_order_render_input(uuid, integer) is
  'Renderer only. What version N of an order''s documents shows: {booking_order_id, version, current_version, '
  'document}; document is null when N is no longer the current version (or the order is gone): render nothing.';
revoke execute on function public.booking_order_render_input(uuid, integer) from public, anon, authenticated;
grant execute on function public.booking_order_render_input(uuid, integer) to service_role;

create or replace function private.record_booking_order_documents()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  _id uuid;
  _version integer;
  _folder text;
  _excel text := new.result ->> 'excel_path';
  _pdf text := new.result ->> 'combined_pdf_path';
begin
  if coalesce(new.payload ->> 'booking_order_id', '') !~ _uuid or coalesce(new.payload ->> 'version', '') !~ '^[1-9][0-9]{0,8}$' then
    return null;
  end if;
  _id := (new.payload ->> 'booking_order_id')::uuid;
  _version := (new.payload ->> 'version')::integer;
  if coalesce((new.result ->> 'stale')::boolean, false) then
    return null;
  end if;
  _folder := (select b.company || '/' || b.id::text || '/v' || _version::text || '/' from public.booking_orders b where b.id = _id);
  if _folder is null then
    return null;
  end if;
  if _excel is null or _pdf is null or pg_catalog.left(_excel, length(_folder)) <> _folder
     or pg_catalog.left(_pdf, length(_folder)) <> _folder
     or _excel ~ '(^|/)\.\.(/|$)' or _pdf ~ '(^|/)\.\.(/|$)' then
    raise exception 'result.excel_path and result.combined_pdf_path: required, inside %', _folder using errcode = '22023';
  end if;
  update public.booking_orders b
  set excel_path = _excel, combined_pdf_path = _pdf, documents_rendered_at = pg_catalog.now(),
      documents_rendered_version = _version
  where b.id = _id and b.documents_version = _version;
  return null;
end
$$;
comment on function private.record_booking_order_documents() is
  'Trigger: a booking_order job succeeded — record its excel_path and combined_pdf_path on the order when its '
  'version is still the current one (a late job never overwrites a newer render); paths outside '
  '<company>/<order id>/v<version>/ are refused (22023). A result {stale: true} records nothing.';

create trigger render_jobs_record_booking_order_documents
  after update of status on public.render_jobs
  for each row
  when (new.kind = 'booking_order' and new.status = 'succeeded' and old.status is distinct from 'succeeded')
  execute function private.record_booking_order_documents();

-- ---------------------------------------------------------------------------------------------
-- Reading

create or replace function public.get_booking_order(booking_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
begin
  if not private.can_read_booking_order(get_booking_order.booking_order_id) then
    raise exception 'booking order % not found', coalesce(get_booking_order.booking_order_id::text, 'null') using errcode = 'P0002';
  end if;
  select * into _bo from public.booking_orders b where b.id = get_booking_order.booking_order_id;
  return private.booking_order_json(_bo.id) || pg_catalog.jsonb_build_object(
    'documents_bucket', 'booking-orders',
    'excel_path', _bo.excel_path,
    'combined_pdf_path', _bo.combined_pdf_path,
    'documents_rendered_at', _bo.documents_rendered_at,
    'documents_version', _bo.documents_version,
    'documents_rendered_version', _bo.documents_rendered_version,
    'documents_pending', _bo.documents_version > coalesce(_bo.documents_rendered_version, 0));
end
$$;
comment on function public.get_booking_order(uuid) is
  'The booking order as JSON (state, the 19 fields, computed figures and display strings, items, warnings, '
  'missing fields, and its documents: excel_path and combined_pdf_path in bucket booking-orders, documents_pending '
  'while a newer render is on its way) when the caller may read it; P0002 otherwise.';
revoke execute on function public.get_booking_order(uuid) from public, anon;
grant execute on function public.get_booking_order(uuid) to authenticated;

-- Orders already waiting for a reviewer get their documents once.
select private.queue_booking_order_documents(b.id)
from public.booking_orders b
where b.status not in ('draft', 'cancelled', 'superseded');

revoke execute on all functions in schema private from public;
