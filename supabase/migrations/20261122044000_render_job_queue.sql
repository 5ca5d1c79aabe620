/*
 * The render-job queue (contract §4, fixes §11.24): jobs are rows, delivery is a hint.
 *
 *   insert ──AFTER INSERT trigger──▶ net.http_post(<renderer_url>/jobs/dispatch)
 *   renderer ──claim_render_job──▶ running under a lease (token + expiry), attempts + 1
 *            ──heartbeat_render_job──▶ lease extended, progress
 *            ──complete_render_job / fail_render_job──▶ succeeded | queued again | failed
 *   pg_cron, every minute ──private.sweep_render_jobs()──▶ re-dispatch queued jobs not
 *            dispatched for 30 s, re-queue expired leases, give up after max_attempts
 *
 * Each kind goes to its own worker (private.render_job_worker, from private.app_settings):
 * proposal and mockup → renderer_url / renderer_secret; booking_order →
 * booking_order_worker_url / booking_order_worker_secret (same contract); other → never
 * posted (its owner claims by polling). A kind without a URL stays queued until one is set.
 *
 * A claim takes the row `for update skip locked` and only when it is queued or its lease ran
 * out, so duplicate or late deliveries are harmless: exactly one claimer wins. Completion and
 * failure need the current lease token, so a worker that lost its lease cannot overwrite the
 * result of the one that took over. The claim/heartbeat/complete/fail API is for the renderer
 * only (service role). Finishing a job also finishes its target (the proposal or mockup named
 * in the payload, and only when it belongs to the job's owner).
 *
 * Delivery uses pg_net's signature net.http_post(url, body, params, headers,
 * timeout_milliseconds). This migration does NOT create the pg_net extension: on hosted
 * Supabase enable pg_net (and pg_cron) under Database → Extensions; the local stack provides a
 * compatible `net` schema. Without a renderer_url in private.app_settings — or without `net` —
 * jobs simply stay queued and the insert never fails; the sweep dispatches them once a URL is
 * set. Without pg_cron the sweep is not scheduled; after enabling it, run
 * `select private.schedule_render_job_sweep();`.
 */

alter table public.render_jobs
  add column lease_token uuid,
  add column lease_expires_at timestamptz,
  add column lease_seconds integer check (lease_seconds between 5 and 3600),
  add column max_attempts integer not null default 3 check (max_attempts between 1 and 10),
  add column last_dispatched_at timestamptz,
  add constraint render_jobs_lease_only_while_running
    check (status = 'running' or (lease_token is null and lease_expires_at is null));

comment on column public.render_jobs.lease_token is 'Proof of the current claim; complete/fail/heartbeat must present it. Null unless running.';
comment on column public.render_jobs.lease_expires_at is 'The running job may be re-claimed (or is re-queued by the sweep) after this instant.';
comment on column public.render_jobs.lease_seconds is 'Lease length asked for at the last claim; heartbeats extend by the same.';
comment on column public.render_jobs.max_attempts is 'Claims allowed before the job fails for good (default 3).';
comment on column public.render_jobs.last_dispatched_at is 'When the renderer was last notified through pg_net; null = never (no renderer_url yet).';

create index render_jobs_running_lease_idx on public.render_jobs (lease_expires_at) where status = 'running';

-- Mockups get a lifecycle like proposals, so a finished or failed job shows on its target.
-- Rows recorded without a job (as before) are finished images: the default stays 'ready'.
create type public.mockup_status as enum ('generating', 'ready', 'failed');
comment on type public.mockup_status is 'Lifecycle of a mockup image: generating → ready | failed.';
alter table public.mockups add column status public.mockup_status not null default 'ready';
comment on column public.mockups.status is 'generating while its render job runs, then ready or failed.';

-- Users still queue jobs for themselves, but never with a claim or timestamps of their own.
drop policy "people queue render jobs for themselves" on public.render_jobs;
create policy "people queue render jobs for themselves"
  on public.render_jobs for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and requested_by = (select auth.uid())
    and status = 'queued' and attempts = 0 and progress = 0
    and result is null and error is null
    and started_at is null and finished_at is null
    and lease_token is null and lease_expires_at is null and last_dispatched_at is null
    and (company is null or company in (select unnest((select private.accessible_companies()))))
  );

-- ---------------------------------------------------------------------------------------------
-- Dispatch

create or replace function private.render_job_worker(_kind public.render_job_kind)
returns table (url text, secret text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  select case _kind
           when 'proposal' then private.app_setting('renderer_url')
           when 'mockup' then private.app_setting('renderer_url')
           when 'booking_order' then private.app_setting('booking_order_worker_url')
         end,
         case _kind
           when 'proposal' then private.app_setting('renderer_secret')
           when 'mockup' then private.app_setting('renderer_secret')
           when 'booking_order' then private.app_setting('booking_order_worker_secret')
         end;
end
$$;
comment on function private.render_job_worker(public.render_job_kind) is
  'Where jobs of a kind are posted: proposal/mockup → renderer_url (renderer_secret); booking_order → '
  'booking_order_worker_url (booking_order_worker_secret); other → nowhere. Null url = not posted.';

create or replace function private.dispatch_render_job(_job_id uuid, _kind public.render_job_kind)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _url text;
  _secret text;
  _headers jsonb;
begin
  select w.url, w.secret into _url, _secret from private.render_job_worker(_kind) w;
  if _url is null then
    return false;
  end if;
  if pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'render job % not dispatched: net.http_post is missing (enable the pg_net extension)', _job_id;
    return false;
  end if;
  _headers := pg_catalog.jsonb_build_object('Content-Type', 'application/json', 'X-Request-Id', _job_id::text);
  if _secret is not null then
    _headers := _headers || pg_catalog.jsonb_build_object('Authorization', 'Bearer ' || _secret);
  end if;
  begin
    perform net.http_post(
      url := rtrim(_url, '/') || '/jobs/dispatch',
      body := pg_catalog.jsonb_build_object('job_id', _job_id, 'kind', _kind),
      params := '{}'::jsonb,
      headers := _headers,
      timeout_milliseconds := 5000);
  exception when others then
    -- A bad URL must not lose the job: it stays queued and the sweep tries again.
    raise warning 'render job % not dispatched: %', _job_id, sqlerrm;
    return false;
  end;
  update public.render_jobs set last_dispatched_at = pg_catalog.now() where id = _job_id;
  return true;
end
$$;
comment on function private.dispatch_render_job(uuid, public.render_job_kind) is
  'Notifies the worker of the job''s kind (private.render_job_worker): POST <url>/jobs/dispatch, body {job_id, kind}, '
  'headers Content-Type, Authorization: Bearer <secret>, X-Request-Id: <job id>; 5 s timeout. False (job left '
  'queued) when the kind has no worker URL or net is unavailable.';

/*
 * AFTER INSERT on render_jobs. Contract with the renderer: POST <renderer_url>/jobs/dispatch,
 * body {"job_id": uuid, "kind": "proposal|mockup|…"}, headers Content-Type: application/json,
 * Authorization: Bearer <renderer_secret> (when set), X-Request-Id: <job id>; timeout 5000 ms.
 * The renderer answers 202 and claims the job itself; pg_net delivers at most once, the sweep
 * covers losses.
 */
create or replace function private.dispatch_new_render_job()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.dispatch_render_job(new.id, new.kind);
  return null;
end
$$;
comment on function private.dispatch_new_render_job() is
  'Trigger: tells the renderer about a newly queued job (see private.dispatch_render_job).';

create trigger render_jobs_dispatch
  after insert on public.render_jobs
  for each row when (new.status = 'queued')
  execute function private.dispatch_new_render_job();

-- ---------------------------------------------------------------------------------------------
-- Targets and final failure

create or replace function private.finish_render_target(_job public.render_jobs, _succeeded boolean, _result jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
begin
  if _job.kind = 'proposal' and _job.payload ->> 'proposal_id' ~ _uuid then
    update public.proposals p
    set status = case when _succeeded then 'ready' else 'failed' end::public.proposal_status,
        pdf_path = case when _succeeded then coalesce(_result ->> 'pdf_path', p.pdf_path) else p.pdf_path end,
        pptx_path = case when _succeeded then coalesce(_result ->> 'pptx_path', p.pptx_path) else p.pptx_path end
    where p.id = (_job.payload ->> 'proposal_id')::uuid and p.owner_id = _job.owner_id;
  elsif _job.kind = 'mockup' and _job.payload ->> 'mockup_id' ~ _uuid then
    update public.mockups m
    set status = case when _succeeded then 'ready' else 'failed' end::public.mockup_status,
        output_path = case when _succeeded then coalesce(_result ->> 'output_path', _result ->> 'path', m.output_path)
                           else m.output_path end
    where m.id = (_job.payload ->> 'mockup_id')::uuid and m.owner_id = _job.owner_id;
  end if;
end
$$;
comment on function private.finish_render_target(public.render_jobs, boolean, jsonb) is
  'Marks the job''s target ready (with its result paths) or failed: the proposal (payload.proposal_id) '
  'or mockup (payload.mockup_id), only when it belongs to the job''s owner.';

create or replace function private.give_up_render_job(_job_id uuid, _error text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
begin
  update public.render_jobs
  set status = 'failed', error = left(_error, 2000), finished_at = pg_catalog.now(),
      lease_token = null, lease_expires_at = null
  where id = _job_id
  returning * into _job;
  if found then
    perform private.finish_render_target(_job, false, null);
  end if;
end
$$;
comment on function private.give_up_render_job(uuid, text) is
  'Fails a job for good with the error and marks its target failed.';

-- ---------------------------------------------------------------------------------------------
-- Renderer API (service role only)

create or replace function public.claim_render_job(job_id uuid, lease_seconds integer default 120)
returns public.render_jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
begin
  if claim_render_job.lease_seconds is null or claim_render_job.lease_seconds not between 5 and 3600 then
    raise exception 'lease_seconds: must be between 5 and 3600' using errcode = '22023';
  end if;

  select * into _job
  from public.render_jobs j
  where j.id = claim_render_job.job_id
    and (j.status = 'queued' or (j.status = 'running' and j.lease_expires_at <= pg_catalog.now()))
  for update skip locked;
  if not found then
    return null;
  end if;

  if _job.attempts >= _job.max_attempts then
    perform private.give_up_render_job(_job.id, pg_catalog.format('gave up after %s attempts: %s',
      _job.attempts, coalesce(_job.error, 'the renderer stopped renewing its lease')));
    return null;
  end if;

  update public.render_jobs j
  set status = 'running',
      attempts = j.attempts + 1,
      lease_token = gen_random_uuid(),
      lease_expires_at = pg_catalog.now() + pg_catalog.make_interval(secs => claim_render_job.lease_seconds),
      lease_seconds = claim_render_job.lease_seconds,
      started_at = pg_catalog.now(),
      finished_at = null,
      progress = 0
  where j.id = _job.id
  returning * into _job;
  return _job;
end
$$;
comment on function public.claim_render_job(uuid, integer) is
  'Renderer only. Atomically takes a queued job, or a running one whose lease expired: running, '
  'attempts + 1, new lease_token valid lease_seconds. Returns the job, or null when it is not '
  'claimable (running under a live lease, finished, unknown, or out of attempts — then failed).';
revoke execute on function public.claim_render_job(uuid, integer) from public, anon, authenticated;
grant execute on function public.claim_render_job(uuid, integer) to service_role;

create or replace function public.heartbeat_render_job(job_id uuid, lease_token uuid, progress integer default null)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  update public.render_jobs j
  set lease_expires_at = greatest(j.lease_expires_at,
        pg_catalog.now() + pg_catalog.make_interval(secs => coalesce(j.lease_seconds, 120))),
      progress = coalesce(least(greatest(heartbeat_render_job.progress, 0), 99), j.progress)
  where j.id = heartbeat_render_job.job_id
    and j.status = 'running'
    and j.lease_token = heartbeat_render_job.lease_token;
  return found;
end
$$;
comment on function public.heartbeat_render_job(uuid, uuid, integer) is
  'Renderer only. Extends the lease by its length and records progress (clamped to 0–99; null keeps '
  'it). False when the token is no longer the job''s current lease.';
revoke execute on function public.heartbeat_render_job(uuid, uuid, integer) from public, anon, authenticated;
grant execute on function public.heartbeat_render_job(uuid, uuid, integer) to service_role;

create or replace function public.complete_render_job(job_id uuid, lease_token uuid, result jsonb default '{}'::jsonb)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
  _result jsonb := coalesce(complete_render_job.result, '{}'::jsonb);
begin
  if jsonb_typeof(_result) <> 'object' then
    raise exception 'result: must be a JSON object' using errcode = '22023';
  end if;
  select * into _job
  from public.render_jobs j
  where j.id = complete_render_job.job_id
    and j.status = 'running'
    and j.lease_token = complete_render_job.lease_token
  for update;
  if not found then
    return false;
  end if;
  if _job.kind = 'proposal' and jsonb_typeof(_result -> 'pdf_path') is distinct from 'string' then
    raise exception 'result.pdf_path: required to complete a proposal job' using errcode = '22023';
  end if;
  if _job.kind = 'mockup' and jsonb_typeof(coalesce(_result -> 'output_path', _result -> 'path')) is distinct from 'string' then
    raise exception 'result.output_path: required to complete a mockup job' using errcode = '22023';
  end if;

  update public.render_jobs
  set status = 'succeeded', progress = 100, result = _result, error = null,
      finished_at = pg_catalog.now(), lease_token = null, lease_expires_at = null
  where id = _job.id
  returning * into _job;
  perform private.finish_render_target(_job, true, _result);
  return true;
end
$$;
comment on function public.complete_render_job(uuid, uuid, jsonb) is
  'Renderer only. With the current lease: succeeded, progress 100, result stored, and the target '
  'updated (proposal: status ready, pdf_path, pptx_path; mockup: status ready, output_path). '
  'False (nothing changed) without the current lease.';
revoke execute on function public.complete_render_job(uuid, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.complete_render_job(uuid, uuid, jsonb) to service_role;

create or replace function public.fail_render_job(job_id uuid, lease_token uuid, error text, retryable boolean default true)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
  _error text := left(coalesce(nullif(btrim(fail_render_job.error), ''), 'unknown error'), 2000);
begin
  select * into _job
  from public.render_jobs j
  where j.id = fail_render_job.job_id
    and j.status = 'running'
    and j.lease_token = fail_render_job.lease_token
  for update;
  if not found then
    return false;
  end if;

  if coalesce(fail_render_job.retryable, true) and _job.attempts < _job.max_attempts then
    update public.render_jobs
    set status = 'queued', error = _error, progress = 0, lease_token = null, lease_expires_at = null
    where id = _job.id;
  elsif coalesce(fail_render_job.retryable, true) then
    perform private.give_up_render_job(_job.id,
      pg_catalog.format('gave up after %s attempts: %s', _job.attempts, _error));
  else
    perform private.give_up_render_job(_job.id, _error);
  end if;
  return true;
end
$$;
comment on function public.fail_render_job(uuid, uuid, text, boolean) is
  'Renderer only. With the current lease: a retryable failure with attempts left re-queues the job '
  '(the sweep re-dispatches it); otherwise the job fails with the error ("gave up after N attempts: …" '
  'when retries ran out) and its target is marked failed. False without the current lease.';
revoke execute on function public.fail_render_job(uuid, uuid, text, boolean) from public, anon, authenticated;
grant execute on function public.fail_render_job(uuid, uuid, text, boolean) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Sweep

create or replace function private.sweep_render_jobs()
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
  _requeued integer := 0;
  _failed integer := 0;
  _dispatched integer := 0;
  _kinds public.render_job_kind[];
begin
  for _job in
    select * from public.render_jobs j
    where j.status = 'running' and j.lease_expires_at <= pg_catalog.now()
    order by j.lease_expires_at
    limit 500
    for update skip locked
  loop
    if _job.attempts >= _job.max_attempts then
      perform private.give_up_render_job(_job.id, pg_catalog.format('gave up after %s attempts: %s',
        _job.attempts, coalesce(_job.error, 'the renderer stopped renewing its lease')));
      _failed := _failed + 1;
    else
      update public.render_jobs
      set status = 'queued', progress = 0, lease_token = null, lease_expires_at = null,
          error = coalesce(error, 'the renderer stopped renewing its lease')
      where id = _job.id;
      _requeued := _requeued + 1;
    end if;
  end loop;

  _kinds := array(select k from unnest(enum_range(null::public.render_job_kind)) k
                  where (select w.url from private.render_job_worker(k) w) is not null);
  if cardinality(_kinds) > 0 then
    for _job in
      select * from public.render_jobs j
      where j.status = 'queued' and j.kind = any (_kinds)
        and coalesce(j.last_dispatched_at, '-infinity') <= pg_catalog.now() - interval '30 seconds'
      order by j.created_at
      limit 100
      for update skip locked
    loop
      if private.dispatch_render_job(_job.id, _job.kind) then
        _dispatched := _dispatched + 1;
      end if;
    end loop;
  end if;

  return pg_catalog.jsonb_build_object('requeued', _requeued, 'failed', _failed, 'dispatched', _dispatched);
end
$$;
comment on function private.sweep_render_jobs() is
  'Every minute (pg_cron): re-queues running jobs whose lease expired, fails those out of attempts '
  '("gave up after N attempts: <last error>"), and re-dispatches queued jobs not dispatched for 30 s — only '
  'kinds that have a worker URL. Returns the counts {requeued, failed, dispatched}.';

create or replace function private.schedule_cron_job(_job text, _schedule text, _command text)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  -- Hosted projects enable pg_cron in the dashboard; where it is absent, migrations still apply.
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron')
     or pg_catalog.to_regnamespace('cron') is null then
    return pg_catalog.format('pg_cron is not installed in this database: %s is not scheduled', _job);
  end if;
  perform cron.schedule(_job, _schedule, _command);
  return pg_catalog.format('scheduled %s (%s)', _job, _schedule);
end
$$;
comment on function private.schedule_cron_job(text, text, text) is
  'Schedules (or re-schedules, by name) a pg_cron job; without pg_cron it changes nothing and says so.';

create or replace function private.schedule_render_job_sweep()
returns text
language sql
volatile
security definer
set search_path = ''
as $$
  select private.schedule_cron_job('render-jobs-sweep', '* * * * *', 'select private.sweep_render_jobs()')
$$;
comment on function private.schedule_render_job_sweep() is
  'Schedules private.sweep_render_jobs() every minute with pg_cron (job render-jobs-sweep, '
  'idempotent). Without pg_cron it changes nothing and says so.';

do $$
begin
  raise notice '%', private.schedule_render_job_sweep();
end
$$;

revoke execute on all functions in schema private from public;
