/*
 * A booking_order render job belongs to the booking-order workflow (20261122094000): it is
 * queued once per content version and nothing queues that version again. The render_jobs delete
 * policy lets people cancel their own queued jobs, and a booking_order job's owner is the
 * order's owner — so a sales person could delete the job of the head of sales' approval and
 * the stamped final PDF would never be made (documents_pending forever). API roles may no
 * longer delete booking_order jobs; other kinds are cancelled as before.
 */

create or replace function private.guard_booking_order_render_job_delete()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if private.is_api_caller() and old.kind = 'booking_order' then
    raise exception 'booking-order render jobs belong to the booking-order workflow and cannot be cancelled'
      using errcode = '42501';
  end if;
  return old;
end
$$;
comment on function private.guard_booking_order_render_job_delete() is
  'Trigger: API roles cannot delete booking_order render jobs (the version would never be rendered).';

create trigger render_jobs_guard_booking_order_delete
  before delete on public.render_jobs
  for each row execute function private.guard_booking_order_render_job_delete();

revoke execute on all functions in schema private from public;
