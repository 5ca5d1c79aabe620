/*
 * Render jobs: the durable queue for slow work (proposal PDFs, mockups, BO documents) that
 * replaces the original's in-memory queue with its 30-second start deadline (§11.24).
 * Users enqueue and read their own jobs (leaders see their teams'); the renderer claims and
 * updates jobs with the service role. Jobs are not shareable.
 */

create type public.render_job_kind as enum ('proposal', 'mockup', 'booking_order', 'other');
comment on type public.render_job_kind is 'What a render job produces.';

create type public.render_job_status as enum ('queued', 'running', 'succeeded', 'failed');
comment on type public.render_job_status is 'Job lifecycle: queued → running → succeeded | failed.';

create table public.render_jobs (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.users (id) on delete cascade,
  requested_by uuid default auth.uid() references public.users (id) on delete set null,
  company text references public.companies (slug) on update restrict on delete restrict,
  kind public.render_job_kind not null,
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  status public.render_job_status not null default 'queued',
  attempts integer not null default 0 check (attempts >= 0),
  progress smallint not null default 0 check (progress between 0 and 100),
  error text,
  result jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'failed' or error is not null),
  check (status <> 'succeeded' or progress = 100)
);

comment on table public.render_jobs is 'Queue of rendering work; the renderer service processes it with the service role.';
comment on column public.render_jobs.owner_id is 'User the output belongs to.';
comment on column public.render_jobs.requested_by is 'Who enqueued the job (null when the system did).';
comment on column public.render_jobs.company is 'Company context of the job.';
comment on column public.render_jobs.kind is 'proposal, mockup, booking_order or other.';
comment on column public.render_jobs.payload is 'Input for the renderer.';
comment on column public.render_jobs.status is 'queued, running, succeeded or failed.';
comment on column public.render_jobs.attempts is 'How many times a worker has started the job.';
comment on column public.render_jobs.progress is 'Percent done, 0–100.';
comment on column public.render_jobs.error is 'Failure message (required when failed).';
comment on column public.render_jobs.result is 'Output description, e.g. storage paths.';
comment on column public.render_jobs.started_at is 'When the current attempt started.';
comment on column public.render_jobs.finished_at is 'When the job succeeded or finally failed.';

create index render_jobs_owner_created_idx on public.render_jobs (owner_id, created_at desc);
create index render_jobs_queue_idx on public.render_jobs (created_at) where status = 'queued';

alter table public.render_jobs enable row level security;
select private.comment_standard_columns('public.render_jobs');
revoke all on public.render_jobs from anon;
revoke update, truncate on public.render_jobs from authenticated;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('render_job', 'public.render_jobs', null, true, false);

create trigger render_jobs_touch_updated_at
  before update on public.render_jobs
  for each row execute function private.touch_updated_at();
create trigger render_jobs_check_write
  before insert or update on public.render_jobs
  for each row execute function private.check_record_write('render job', '');
create trigger render_jobs_audit_deletion
  after delete on public.render_jobs
  for each row execute function private.audit_record_deletion('render_job');

create policy "people read their own render jobs and those of people they lead"
  on public.render_jobs for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or (select private.is_admin())
  );

create policy "people queue render jobs for themselves"
  on public.render_jobs for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and requested_by = (select auth.uid())
    and status = 'queued' and attempts = 0 and progress = 0
    and result is null and error is null
    and (company is null or company in (select unnest((select private.accessible_companies()))))
  );

create policy "people cancel their own queued render jobs"
  on public.render_jobs for delete to authenticated
  using (
    (owner_id = (select auth.uid()) and status = 'queued')
    or (select private.is_admin())
  );
