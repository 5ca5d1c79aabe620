/*
 * Documents: every stored file the platform tracks (chat uploads, BO originals, generated
 * PDFs), with its SHA-256 for de-duplication. RLS from the start: the common rule with
 * core:files:manage as the manage permission (company-less documents count for any holder),
 * plus documents attached to a proposal or booking order the caller can read (§11.7: no
 * signed URL for a file id you cannot see).
 */

create type public.document_type as enum (
  'bo_pdf', 'bo_image', 'bo_excel', 'combined_bo_pdf', 'creative', 'contract', 'invoice',
  'proposal_pdf', 'proposal_pptx', 'mockup_image', 'location_photo', 'other'
);
comment on type public.document_type is 'What a tracked file is.';

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.users (id) on delete restrict,
  company text references public.companies (slug) on update restrict on delete restrict,
  bucket text not null
    check (bucket in ('uploads', 'proposals', 'mockups', 'location-photos', 'templates', 'booking-orders')),
  storage_path text not null check (length(storage_path) between 1 and 1024 and storage_path !~ '(^|/)\.\.(/|$)'),
  original_filename text not null check (length(original_filename) between 1 and 255),
  mime_type text,
  size_bytes bigint check (size_bytes >= 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  document_type public.document_type not null default 'other',
  proposal_id uuid references public.proposals (id) on delete set null,
  booking_order_id uuid references public.booking_orders (id) on delete set null,
  is_processed boolean not null default false,
  deleted_at timestamptz,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  unique (bucket, storage_path)
);

comment on table public.documents is 'Files stored in Storage and tracked by the platform.';
comment on column public.documents.owner_id is 'Uploader or the user the file was generated for.';
comment on column public.documents.company is 'Company the file belongs to, when it belongs to one.';
comment on column public.documents.bucket is 'Storage bucket.';
comment on column public.documents.storage_path is 'Object name inside the bucket.';
comment on column public.documents.original_filename is 'File name as uploaded.';
comment on column public.documents.mime_type is 'Content type.';
comment on column public.documents.size_bytes is 'Size in bytes.';
comment on column public.documents.sha256 is 'Hex SHA-256 of the content, for de-duplication.';
comment on column public.documents.document_type is 'What the file is (bo_pdf, proposal_pdf, creative, …).';
comment on column public.documents.proposal_id is 'Proposal the file belongs to; readers of the proposal can read the file.';
comment on column public.documents.booking_order_id is 'Booking order the file belongs to; readers of the BO can read the file.';
comment on column public.documents.is_processed is 'Whether the file has been parsed/processed.';
comment on column public.documents.deleted_at is 'Soft deletion time.';
comment on column public.documents.metadata is 'Thumbnail key, image size and other details.';

create index documents_owner_created_idx on public.documents (owner_id, created_at desc);
create index documents_owner_sha_idx on public.documents (owner_id, sha256) where sha256 is not null;
create index documents_proposal_idx on public.documents (proposal_id) where proposal_id is not null;
create index documents_booking_order_idx on public.documents (booking_order_id) where booking_order_id is not null;

alter table public.documents enable row level security;
select private.comment_standard_columns('public.documents');
revoke all on public.documents from anon;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('document', 'public.documents', 'core:files:manage', true, true);

create trigger documents_check_write
  before insert or update on public.documents
  for each row execute function private.check_record_write('document', '');
create trigger documents_audit_deletion
  after delete on public.documents
  for each row execute function private.audit_record_deletion('document');

create policy "people read documents they can see or whose record they can see"
  on public.documents for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('core:files:manage'))))
    or (company is null and (select private.has_permission('core:files:manage')))
    or id in (select unnest((select private.shared_record_ids('document', 'read'))))
    or (select private.is_admin())
    or (proposal_id is not null and exists (select 1 from public.proposals p where p.id = proposal_id))
    or (booking_order_id is not null and exists (select 1 from public.booking_orders b where b.id = booking_order_id))
  );

create policy "people record their own documents"
  on public.documents for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and (company is null or company in (select unnest((select private.accessible_companies()))))
  );

create policy "owners, leaders, file managers, read_write sharees edit files"
  on public.documents for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('core:files:manage'))))
    or (company is null and (select private.has_permission('core:files:manage')))
    or id in (select unnest((select private.shared_record_ids('document', 'read_write'))))
    or (select private.is_admin())
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('core:files:manage'))))
    or (company is null and (select private.has_permission('core:files:manage')))
    or id in (select unnest((select private.shared_record_ids('document', 'read_write'))))
    or (select private.is_admin())
  );

create policy "owners, leaders, file managers and full sharees delete files"
  on public.documents for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('core:files:manage'))))
    or (company is null and (select private.has_permission('core:files:manage')))
    or id in (select unnest((select private.shared_record_ids('document', 'full'))))
    or (select private.is_admin())
  );
