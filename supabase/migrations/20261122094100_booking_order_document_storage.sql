/*
 * Who downloads a booking order's rendered documents (spec §3.9, issue 6). The renderer stores
 * them in bucket booking-orders under <company>/<order id>/v<version>/ — a folder no user can
 * write to, since the bucket's write policies only open <user id>/ folders — and records the
 * current pair on the order (excel_path, combined_pdf_path). Reading follows the order: whoever
 * can read the order row under its own policies (owner, leaders, managers, sharees, the
 * company's coordinators and heads of sales, finance once it has a reference, admins) can read
 * the two objects it points at, and nothing else in those folders (older versions stay private).
 */

create policy "people read the documents of booking orders they can read"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'booking-orders'
    and (exists (select 1 from public.booking_orders b where b.excel_path = objects.name)
         or exists (select 1 from public.booking_orders b where b.combined_pdf_path = objects.name))
  );
