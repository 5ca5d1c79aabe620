/*
 * Proposals (spec §1) and their line items, with RLS from the start.
 *
 * Who sees a proposal: its owner; leaders of any team above the owner; holders of
 * sales:proposals:manage for the proposal's company (not every proposal globally — §11.7);
 * users and team members with a live share; admins. Updating needs the same with a
 * read_write share, deleting with a full share. Items follow their proposal.
 *
 * Policies use per-statement arrays — (select private.visible_owner_ids()) and friends — so
 * a list query evaluates the caller's reach once and checks each row with cheap comparisons;
 * (owner_id, created_at desc) and (company, created_at desc) serve the newest-first pages.
 */

create type public.proposal_type as enum ('separate', 'combined');
comment on type public.proposal_type is
  'separate: one financial slide per location with options; combined: one package slide and one net rate.';

create type public.proposal_status as enum ('draft', 'generating', 'ready', 'failed');
comment on type public.proposal_status is 'Lifecycle of a proposal document: draft → generating → ready | failed.';

create table public.proposals (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.users (id) on delete restrict,
  company text not null references public.companies (slug) on update restrict on delete restrict,
  client_name text not null check (length(btrim(client_name)) between 1 and 200),
  proposal_type public.proposal_type not null default 'separate',
  currency text not null default 'AED' check (currency ~ '^[A-Z]{3}$'),
  payment_terms text not null default '100% upfront' check (length(payment_terms) <= 500),
  status public.proposal_status not null default 'draft',
  combined_net_rate numeric(14, 2) check (combined_net_rate >= 0),
  subtotal numeric(14, 2) check (subtotal >= 0),
  vat_amount numeric(14, 2) check (vat_amount >= 0),
  total_amount numeric(14, 2) check (total_amount >= 0),
  pdf_path text,
  pptx_path text,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (proposal_type = 'combined' or combined_net_rate is null)
);

comment on table public.proposals is
  'Financial proposals. Visible to owner, leaders above the owner, sales:proposals:manage in the '
  'company, live shares and admins.';
comment on column public.proposals.owner_id is 'Sales person who owns the proposal (defaults to the caller).';
comment on column public.proposals.company is 'Leaf company the proposal sells for (companies.slug).';
comment on column public.proposals.client_name is 'Client the proposal is addressed to.';
comment on column public.proposals.proposal_type is 'separate or combined (package deal).';
comment on column public.proposals.currency is 'Display currency (ISO 4217); amounts are computed in AED.';
comment on column public.proposals.payment_terms is 'Payment terms printed on the proposal.';
comment on column public.proposals.status is 'draft, generating, ready or failed.';
comment on column public.proposals.combined_net_rate is 'Package net rate in AED (combined proposals only).';
comment on column public.proposals.subtotal is 'Sum before VAT in AED.';
comment on column public.proposals.vat_amount is 'VAT (5 %) in AED.';
comment on column public.proposals.total_amount is 'Total including VAT in AED.';
comment on column public.proposals.pdf_path is 'Object path of the generated PDF in the proposals bucket.';
comment on column public.proposals.pptx_path is 'Object path of the generated PPTX in the proposals bucket.';
comment on column public.proposals.data is 'Request payload the proposal was generated from.';

create index proposals_owner_created_idx on public.proposals (owner_id, created_at desc);
create index proposals_created_idx on public.proposals (created_at desc);
create index proposals_company_created_idx on public.proposals (company, created_at desc);
create index proposals_pdf_path_idx on public.proposals (pdf_path) where pdf_path is not null;
create index proposals_pptx_path_idx on public.proposals (pptx_path) where pptx_path is not null;

create table public.proposal_items (
  id uuid primary key default gen_random_uuid(),
  proposal_id uuid not null references public.proposals (id) on delete cascade,
  position integer not null default 1 check (position >= 1),
  option_no integer not null default 1 check (option_no >= 1),
  location_key text not null check (location_key ~ '^[a-z0-9][a-z0-9_]*$'),
  location_company text references public.companies (slug),
  display_name text,
  start_date date,
  duration_weeks integer check (duration_weeks > 0),
  net_rate numeric(14, 2) check (net_rate >= 0),
  upload_fee numeric(12, 2) check (upload_fee >= 0),
  production_fee numeric(12, 2) check (production_fee >= 0),
  spots integer not null default 1 check (spots >= 1),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  unique (proposal_id, position, option_no)
);

comment on table public.proposal_items is 'Locations (and their duration/rate options) on a proposal. Visible with their proposal.';
comment on column public.proposal_items.proposal_id is 'The proposal.';
comment on column public.proposal_items.position is 'Order of the location on the proposal, from 1.';
comment on column public.proposal_items.option_no is 'Option number for separate proposals (one column per option), from 1.';
comment on column public.proposal_items.location_key is 'Location (or package) key in the company schema.';
comment on column public.proposal_items.location_company is 'Company whose inventory holds the location.';
comment on column public.proposal_items.display_name is 'Location name as printed.';
comment on column public.proposal_items.start_date is 'Campaign start.';
comment on column public.proposal_items.duration_weeks is 'Campaign length in weeks.';
comment on column public.proposal_items.net_rate is 'Net rental in AED for this option.';
comment on column public.proposal_items.upload_fee is 'Upload fee in AED; null = not specified (never 0-means-missing).';
comment on column public.proposal_items.production_fee is 'Production fee in AED for static locations; null = not specified.';
comment on column public.proposal_items.spots is 'Number of spots booked.';
comment on column public.proposal_items.data is 'Extra item data.';

alter table public.proposals enable row level security;
select private.comment_standard_columns('public.proposals');
alter table public.proposal_items enable row level security;
select private.comment_standard_columns('public.proposal_items');
revoke all on public.proposals, public.proposal_items from anon;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('proposal', 'public.proposals', 'sales:proposals:manage', true, true);

create trigger proposals_touch_updated_at
  before update on public.proposals
  for each row execute function private.touch_updated_at();
create trigger proposals_check_write
  before insert or update on public.proposals
  for each row execute function private.check_record_write('proposal', 'sales:proposals:create');
create trigger proposals_audit_deletion
  after delete on public.proposals
  for each row execute function private.audit_record_deletion('proposal');

create policy "people read proposals they own, lead, manage or got shared"
  on public.proposals for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read'))))
    or (select private.is_admin())
  );

create policy "sales people create proposals for themselves in their companies"
  on public.proposals for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and company in (select unnest((select private.accessible_companies())))
    and (select private.has_permission('sales:proposals:create'))
  );

create policy "owners, leaders, managers and read_write sharees edit proposals"
  on public.proposals for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read_write'))))
    or (select private.is_admin())
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read_write'))))
    or (select private.is_admin())
  );

create policy "owners, leaders, managers and full sharees delete proposals"
  on public.proposals for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'full'))))
    or (select private.is_admin())
  );

create policy "people read the items of proposals they can read"
  on public.proposal_items for select to authenticated
  using (exists (select 1 from public.proposals p where p.id = proposal_id));

create policy "people who can update a proposal add its items"
  on public.proposal_items for insert to authenticated
  with check (public.can_access('proposal', proposal_id, 'read_write'));

create policy "people who can update a proposal change its items"
  on public.proposal_items for update to authenticated
  using (public.can_access('proposal', proposal_id, 'read_write'))
  with check (public.can_access('proposal', proposal_id, 'read_write'));

create policy "people who can update a proposal remove its items"
  on public.proposal_items for delete to authenticated
  using (public.can_access('proposal', proposal_id, 'read_write'));
