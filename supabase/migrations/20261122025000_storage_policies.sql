/*
 * Storage policies on storage.objects (buckets come from supabase/config.toml). The first
 * path segment decides who may touch an object:
 *
 *   uploads                      <user_id>/…   the owner only (core:files:read holders may read)
 *   proposals, mockups,          <user_id>/…   the owner writes; readers are the owner, and
 *   booking-orders                              whoever can read the record that points at the
 *                                               object (proposals.pdf_path/pptx_path,
 *                                               mockups.output_path, documents.storage_path) —
 *                                               those lookups run under the reader's own RLS
 *   location-photos, templates   <company>/…   people with access to that company and an
 *                                               inventory/template permission read; setup and
 *                                               template editors write
 */

-- uploads ---------------------------------------------------------------------------------------

create policy "people read their own uploads and file readers read all"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'uploads'
    and ((storage.foldername(name))[1] = (select auth.uid())::text
         or (select private.has_permission('core:files:read')))
  );
create policy "people upload into their own uploads folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'uploads' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people replace files in their own uploads folder"
  on storage.objects for update to authenticated
  using (bucket_id = 'uploads' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'uploads' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people delete files in their own uploads folder"
  on storage.objects for delete to authenticated
  using (bucket_id = 'uploads' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- proposals -------------------------------------------------------------------------------------

create policy "people read proposal files of proposals they can read"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'proposals'
    and ((storage.foldername(name))[1] = (select auth.uid())::text
         or exists (select 1 from public.proposals p where p.pdf_path = objects.name)
         or exists (select 1 from public.proposals p where p.pptx_path = objects.name)
         or exists (select 1 from public.documents d where d.bucket = 'proposals' and d.storage_path = objects.name))
  );
create policy "people store proposal files in their own folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'proposals' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people replace proposal files in their own folder"
  on storage.objects for update to authenticated
  using (bucket_id = 'proposals' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'proposals' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people delete proposal files in their own folder"
  on storage.objects for delete to authenticated
  using (bucket_id = 'proposals' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- mockups ---------------------------------------------------------------------------------------

create policy "people read mockup images of mockups they can read"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'mockups'
    and ((storage.foldername(name))[1] = (select auth.uid())::text
         or exists (select 1 from public.mockups m where m.output_path = objects.name)
         or exists (select 1 from public.documents d where d.bucket = 'mockups' and d.storage_path = objects.name))
  );
create policy "people store mockup images in their own folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'mockups' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people replace mockup images in their own folder"
  on storage.objects for update to authenticated
  using (bucket_id = 'mockups' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'mockups' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people delete mockup images in their own folder"
  on storage.objects for delete to authenticated
  using (bucket_id = 'mockups' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- booking-orders ----------------------------------------------------------------------------------

create policy "people read booking order files of documents they can read"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'booking-orders'
    and ((storage.foldername(name))[1] = (select auth.uid())::text
         or exists (select 1 from public.documents d where d.bucket = 'booking-orders' and d.storage_path = objects.name))
  );
create policy "people store booking order files in their own folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'booking-orders' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people replace booking order files in their own folder"
  on storage.objects for update to authenticated
  using (bucket_id = 'booking-orders' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'booking-orders' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "people delete booking order files in their own folder"
  on storage.objects for delete to authenticated
  using (bucket_id = 'booking-orders' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- location-photos -----------------------------------------------------------------------------------

create policy "company staff read location photos of their companies"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'location-photos'
    and private.company_permits((storage.foldername(name))[1], array[
      'assets:locations:read', 'assets:locations:update', 'sales:proposals:read', 'sales:proposals:create',
      'sales:mockups:read', 'sales:mockups:generate', 'sales:mockups:setup', 'sales:booking_orders:read'])
  );
create policy "location editors and mockup setup upload location photos"
  on storage.objects for insert to authenticated
  with check (
    bucket_id = 'location-photos'
    and private.company_permits((storage.foldername(name))[1], array['assets:locations:update', 'sales:mockups:setup'])
  );
create policy "location editors and mockup setup replace location photos"
  on storage.objects for update to authenticated
  using (
    bucket_id = 'location-photos'
    and private.company_permits((storage.foldername(name))[1], array['assets:locations:update', 'sales:mockups:setup'])
  )
  with check (
    bucket_id = 'location-photos'
    and private.company_permits((storage.foldername(name))[1], array['assets:locations:update', 'sales:mockups:setup'])
  );
create policy "location editors and mockup setup delete location photos"
  on storage.objects for delete to authenticated
  using (
    bucket_id = 'location-photos'
    and private.company_permits((storage.foldername(name))[1], array['assets:locations:update', 'sales:mockups:setup'])
  );

-- templates -------------------------------------------------------------------------------------------

create policy "sales staff read templates of their companies"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'templates'
    and private.company_permits((storage.foldername(name))[1], array[
      'sales:templates:read', 'sales:templates:create', 'sales:templates:update',
      'sales:proposals:create', 'assets:locations:read'])
  );
create policy "template creators upload templates"
  on storage.objects for insert to authenticated
  with check (
    bucket_id = 'templates'
    and private.company_permits((storage.foldername(name))[1], array['sales:templates:create'])
  );
create policy "template editors replace templates"
  on storage.objects for update to authenticated
  using (
    bucket_id = 'templates'
    and private.company_permits((storage.foldername(name))[1], array['sales:templates:update'])
  )
  with check (
    bucket_id = 'templates'
    and private.company_permits((storage.foldername(name))[1], array['sales:templates:update'])
  );
create policy "template deleters delete templates"
  on storage.objects for delete to authenticated
  using (
    bucket_id = 'templates'
    and private.company_permits((storage.foldername(name))[1], array['sales:templates:delete'])
  );
