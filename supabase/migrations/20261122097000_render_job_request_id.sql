/*
 * Request ids on render jobs: one id follows a piece of work from the API gateway through the
 * pg_net delivery to the renderer's log lines, so "why did my proposal fail?" is one search.
 *
 * The id is taken from the API request that queued the job: PostgREST (and the local stack's
 * REST layer) exposes the request's headers as the `request.headers` setting, and a BEFORE
 * INSERT trigger copies a well-formed `x-request-id` from it onto the row. A missing or
 * malformed header (or a job queued outside any API request) leaves request_id null, and the
 * delivery then falls back to the job id, as before. The id is kept on the row so re-dispatches
 * by the sweep (pg_cron, outside any request) still carry it.
 *
 * private.dispatch_render_job is redefined only to send `X-Request-Id: <request_id or job id>`;
 * the rest of its contract (URL, body, secret, 5 s timeout, never failing the insert) is
 * unchanged from 20261122044000_render_job_queue.sql.
 */

alter table public.render_jobs
  add column request_id text
    check (request_id is null or request_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$');
comment on column public.render_jobs.request_id is
  'x-request-id of the API request that queued the job (null when there was none); sent to the renderer as X-Request-Id.';

create or replace function private.request_id_from_headers()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  _headers jsonb;
  _id text;
begin
  begin
    _headers := nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb;
  exception when others then
    -- A header setting that is not JSON is ignored, never an error for the insert.
    return null;
  end;
  _id := _headers ->> 'x-request-id';
  if _id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' then
    return _id;
  end if;
  return null;
end
$$;
comment on function private.request_id_from_headers() is
  'The well-formed x-request-id of the current API request (from the request.headers setting), or null.';

create or replace function private.stamp_render_job_request_id()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.request_id := coalesce(new.request_id, private.request_id_from_headers());
  return new;
end
$$;
comment on function private.stamp_render_job_request_id() is
  'Trigger: records the queuing request''s x-request-id on a new render job (kept when given explicitly).';

create trigger render_jobs_stamp_request_id
  before insert on public.render_jobs
  for each row execute function private.stamp_render_job_request_id();

-- The insert policy for people lists every column they may not set; request_id is not among
-- them on purpose: an id a client chooses is only a correlation label, never trusted for access.

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
  _request_id text;
begin
  select w.url, w.secret into _url, _secret from private.render_job_worker(_kind) w;
  if _url is null then
    return false;
  end if;
  if pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'render job % not dispatched: net.http_post is missing (enable the pg_net extension)', _job_id;
    return false;
  end if;
  select j.request_id into _request_id from public.render_jobs j where j.id = _job_id;
  _headers := pg_catalog.jsonb_build_object('Content-Type', 'application/json',
    'X-Request-Id', coalesce(_request_id, _job_id::text));
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
  'headers Content-Type, Authorization: Bearer <secret>, X-Request-Id: <request_id, else job id>; 5 s timeout. '
  'False (job left queued) when the kind has no worker URL or net is unavailable.';

revoke execute on function private.request_id_from_headers() from public;
revoke execute on function private.stamp_render_job_request_id() from public;
revoke execute on function private.dispatch_render_job(uuid, public.render_job_kind) from public;
