/*
 * A documents row is a read grant: the storage policies of proposals, mockups and booking-orders
 * open every object a readable documents row names, and the renderer copies a booking order's
 * source document (documents.bucket/storage_path, read with the service role) into the combined
 * PDF its owner downloads. The insert policy only checked owner and company, so anyone could
 * record a row naming another person's upload or another company's rendered booking order
 * (<company>/<order id>/v<n>/…) and then read it.
 *
 * People upload only into their own <user id>/ folder (the write policies of every per-user
 * bucket), so a row an API role writes must name a file there, and a row never moves to another
 * object afterwards. The service role, migrations and security-definer functions are not
 * affected (they record renderer output elsewhere on purpose).
 */

create or replace function private.guard_document_location()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not private.is_api_caller() then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    if (new.bucket, new.storage_path) is distinct from (old.bucket, old.storage_path) then
      raise exception 'a document''s bucket and storage_path do not change; record the new file as a new document'
        using errcode = '42501';
    end if;
    return new;
  end if;
  if pg_catalog.split_part(new.storage_path, '/', 1) is distinct from (select auth.uid())::text then
    raise exception 'storage_path: documents you record must lie in your own folder "%/"', auth.uid()
      using errcode = '42501', hint = 'Upload the file into your own folder first.';
  end if;
  return new;
end
$$;
comment on function private.guard_document_location() is
  'Trigger: API roles record documents only in their own <user id>/ folder and never move a row to another '
  'object (a documents row opens the object it names to its readers).';

create trigger documents_guard_location
  before insert or update on public.documents
  for each row execute function private.guard_document_location();

revoke execute on all functions in schema private from public;
