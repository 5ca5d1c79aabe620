/*
 * Fix forward of the render-job queue: the AFTER INSERT trigger and the sweep posted every job
 * to <renderer_url>/jobs/dispatch, but the renderer only produces `proposal` and `mockup` jobs
 * (renderer/src/jobs/server.ts DISPATCHABLE_KINDS) and answers 400 to anything else, so
 * `booking_order` and `other` jobs were posted in vain every 30 seconds.
 *
 * Now each kind has its own worker, found in private.app_settings:
 *   proposal, mockup   renderer_url / renderer_secret            (unchanged)
 *   booking_order      booking_order_worker_url / booking_order_worker_secret — the worker that
 *                      builds the BO Excel and combined PDF (issue 6, built on
 *                      public.get_booking_order); same contract: POST <url>/jobs/dispatch,
 *                      body {job_id, kind}, Bearer secret, X-Request-Id; it claims the job with
 *                      public.claim_render_job and reports with complete/fail like the renderer
 *   other              no worker: never posted; whoever owns such jobs claims them by polling
 * A kind without a configured URL stays queued (the sweep posts it once a URL is set).
 */

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

revoke execute on all functions in schema private from public;
