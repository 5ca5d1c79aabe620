-- The render-job queue: dispatch through pg_net (or nothing when unconfigured), leases that
-- make duplicate and late deliveries harmless, completion and failure only with the current
-- lease, retries up to max_attempts, the sweep, and the renderer API closed to users.
begin;
select plan(60);

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated, service_role;

-- Jobs by name, with their proposals; leases by name.
create temp table job (name text primary key, id uuid, proposal_id uuid) on commit drop;
create temp table lease (name text primary key, token uuid) on commit drop;
grant all on job, lease to authenticated, service_role;
create function pg_temp.new_job(_name text) returns void language plpgsql as $$
declare
  _result jsonb := public.request_proposal(pg_catalog.jsonb_build_object('client_name', 'Client ' || _name,
    'items', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('location', 'dubai_gateway',
      'options', '[{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1250000}]'::jsonb))));
begin
  insert into pg_temp.job values (_name, (_result ->> 'job_id')::uuid, (_result ->> 'proposal_id')::uuid);
end
$$;
create function pg_temp.claim(_job text, _lease text) returns void language plpgsql as $$
begin
  insert into pg_temp.lease
  select _lease, c.lease_token from public.claim_render_job((select id from pg_temp.job where name = _job)) c
  on conflict (name) do update set token = excluded.token;
end
$$;
create function pg_temp.dispatches(_job text) returns bigint language sql as $$
  select count(*) from net.http_request_queue q where q.headers ->> 'X-Request-Id' = (select id::text from pg_temp.job where name = _job)
$$;
create function pg_temp.cron_job(_name text) returns text language plpgsql as $$
declare
  _job text;
begin
  if to_regclass('cron.job') is null then
    return null;
  end if;
  execute 'select schedule || '' '' || command from cron.job where jobname = $1' into _job using _name;
  return _job;
end
$$;

-- Dispatch ------------------------------------------------------------------------------------------
delete from private.app_settings where key in ('renderer_url', 'renderer_secret');
insert into private.app_settings (key, value) values
  ('renderer_url', 'http://127.0.0.1:8790/'), ('renderer_secret', 't23-shared-secret');

select pg_temp.sign_in('dubai.rep1@mmg.demo');
select pg_temp.new_job('dispatched');
reset role;
select results_eq(
  $$ select q.method, q.url, q.headers, convert_from(q.body, 'UTF8')::jsonb, q.timeout_milliseconds
     from net.http_request_queue q where q.headers ->> 'X-Request-Id' = (select id::text from job where name = 'dispatched') $$,
  $$ select 'POST', 'http://127.0.0.1:8790/jobs/dispatch',
            jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer t23-shared-secret', 'X-Request-Id', id::text),
            jsonb_build_object('job_id', id, 'kind', 'proposal'), 5000
     from job where name = 'dispatched' $$,
  'a new job is posted to <renderer_url>/jobs/dispatch with the bearer secret, its id and kind');
select isnt((select last_dispatched_at from public.render_jobs where id = (select id from job where name = 'dispatched')), null,
  'and is marked dispatched');

delete from private.app_settings where key = 'renderer_url';
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select lives_ok($$ select pg_temp.new_job('unconfigured') $$, 'without a renderer URL a job is still accepted');
reset role;
select is(pg_temp.dispatches('unconfigured'), 0::bigint, 'and nothing is sent');
select is((select status::text || ' ' || coalesce(last_dispatched_at::text, 'never') from public.render_jobs
           where id = (select id from job where name = 'unconfigured')), 'queued never', 'the job waits, queued');

insert into private.app_settings (key, value) values ('renderer_url', 'renderer.internal:8790');
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select lives_ok($$ select pg_temp.new_job('refused_url') $$, 'a URL the net layer refuses does not fail the request either');
reset role;
select is((select last_dispatched_at from public.render_jobs where id = (select id from job where name = 'refused_url')), null,
  'that job stays queued for the sweep');
update private.app_settings set value = 'http://127.0.0.1:8790' where key = 'renderer_url';

-- Claims --------------------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select pg_temp.new_job('a');
select pg_temp.new_job('b');
select pg_temp.new_job('c');
select pg_temp.new_job('e');
select pg_temp.new_job('f');
select pg_temp.new_job('g');
select pg_temp.new_job('h');
select pg_temp.new_job('x');

reset role;
set local role service_role;
select pg_temp.claim('a', 'a1');
select results_eq(
  $$ select status::text, attempts, lease_token = (select token from lease where name = 'a1'), lease_expires_at, started_at, progress::int
     from public.render_jobs where id = (select id from job where name = 'a') $$,
  $$ values ('running', 1, true, now() + interval '120 seconds', now(), 0) $$,
  'a claim takes the job: running, first attempt, a lease of 120 s');
select is((select c.id from public.claim_render_job((select id from job where name = 'a')) c), null,
  'a second claim of a running job gets nothing: duplicate deliveries are harmless');
select is((select c.id from public.claim_render_job(gen_random_uuid()) c), null, 'an unknown job cannot be claimed');
select throws_ok($$ select public.claim_render_job((select id from job where name = 'a'), 1) $$,
  '22023', 'lease_seconds: must be between 5 and 3600', 'leases are 5 s to an hour');

-- Heartbeats.
select is(public.heartbeat_render_job((select id from job where name = 'a'), gen_random_uuid(), 10), false,
  'a heartbeat without the lease is refused');
update public.render_jobs set lease_expires_at = now() + interval '5 seconds' where id = (select id from job where name = 'a');
select is(public.heartbeat_render_job((select id from job where name = 'a'), (select token from lease where name = 'a1'), 40), true,
  'a heartbeat with the lease is accepted');
select results_eq(
  $$ select progress::int, lease_expires_at from public.render_jobs where id = (select id from job where name = 'a') $$,
  $$ values (40, now() + interval '120 seconds') $$,
  'it records progress and renews the lease for its full length');
select is(public.heartbeat_render_job((select id from job where name = 'a'), (select token from lease where name = 'a1'), 150), true,
  'a heartbeat may report too much progress');
select is((select progress::int from public.render_jobs where id = (select id from job where name = 'a')), 99,
  'progress stays below 100 until the job completes');

-- Completion.
select is(public.complete_render_job((select id from job where name = 'a'), gen_random_uuid(), '{"pdf_path": "x.pdf"}'), false,
  'completion without the current lease is refused');
select is((select status::text || ' ' || coalesce(result::text, 'no result') from public.render_jobs where id = (select id from job where name = 'a')),
  'running no result', 'and changes nothing');
select throws_ok(
  $$ select public.complete_render_job((select id from job where name = 'a'), (select token from lease where name = 'a1'), '{"pptx_path": "x.pptx"}') $$,
  '22023', 'result.pdf_path: required to complete a proposal job', 'a proposal job completes with its PDF path');
select is(public.complete_render_job((select id from job where name = 'a'), (select token from lease where name = 'a1'),
          format('{"pdf_path": "%1$s/2026/11/client-a_2026-11-22T10-00-00.pdf", "pptx_path": "%1$s/2026/11/client-a_2026-11-22T10-00-00.pptx"}',
                 (select id from demo_user where email = 'dubai.rep1@mmg.demo'))::jsonb), true,
  'completion with the current lease is accepted');
select results_eq(
  $$ select status::text, progress::int, finished_at, lease_token, lease_expires_at, error from public.render_jobs where id = (select id from job where name = 'a') $$,
  $$ values ('succeeded', 100, now(), null::uuid, null::timestamptz, null::text) $$,
  'the job succeeded, at 100 %, its lease released');
select results_eq(
  $$ select p.status::text, p.pdf_path, p.pptx_path from public.proposals p where p.id = (select proposal_id from job where name = 'a') $$,
  $$ select 'ready', id || '/2026/11/client-a_2026-11-22T10-00-00.pdf', id || '/2026/11/client-a_2026-11-22T10-00-00.pptx'
     from demo_user where email = 'dubai.rep1@mmg.demo' $$,
  'the proposal is ready with its PDF and PPTX');
select is(public.complete_render_job((select id from job where name = 'a'), (select token from lease where name = 'a1'), '{"pdf_path": "late.pdf"}'), false,
  'a late second completion is refused');
select is((select c.id from public.claim_render_job((select id from job where name = 'a')) c), null, 'a finished job cannot be claimed');

-- Expired leases are reclaimed and counted; the stale worker is locked out.
select pg_temp.claim('b', 'b1');
update public.render_jobs set lease_expires_at = now() - interval '1 second' where id = (select id from job where name = 'b');
select pg_temp.claim('b', 'b2');
select results_eq(
  $$ select attempts, lease_token = (select token from lease where name = 'b2'), (select token from lease where name = 'b1') <> (select token from lease where name = 'b2')
     from public.render_jobs where id = (select id from job where name = 'b') $$,
  $$ values (2, true, true) $$,
  'a job whose lease expired is claimed again with a new lease, as a second attempt');
select is(public.complete_render_job((select id from job where name = 'b'), (select token from lease where name = 'b1'), '{"pdf_path": "stale.pdf"}'), false,
  'the worker that lost the lease cannot complete');
select is(public.heartbeat_render_job((select id from job where name = 'b'), (select token from lease where name = 'b1'), 50), false,
  'nor keep it alive');

-- Failures: retry while attempts remain, then give up.
select is(public.fail_render_job((select id from job where name = 'b'), (select token from lease where name = 'b2'), 'LibreOffice crashed', true), true,
  'a retryable failure is accepted');
select results_eq(
  $$ select status::text, error, attempts, lease_token, progress::int from public.render_jobs where id = (select id from job where name = 'b') $$,
  $$ values ('queued', 'LibreOffice crashed', 2, null::uuid, 0) $$,
  'with attempts left the job is queued again, keeping the error');
select pg_temp.claim('b', 'b3');
select is(public.fail_render_job((select id from job where name = 'b'), (select token from lease where name = 'b3'), 'LibreOffice crashed again', true), true,
  'the last attempt fails too');
select results_eq(
  $$ select status::text, error, attempts, finished_at from public.render_jobs where id = (select id from job where name = 'b') $$,
  $$ values ('failed', 'gave up after 3 attempts: LibreOffice crashed again', 3, now()) $$,
  'after max_attempts the job fails with a readable error');
select is((select status::text from public.proposals where id = (select proposal_id from job where name = 'b')), 'failed',
  'and its proposal is marked failed');

select pg_temp.claim('c', 'c1');
select is(public.fail_render_job((select id from job where name = 'c'), gen_random_uuid(), 'whatever', false), false,
  'failing without the lease is refused');
select is(public.fail_render_job((select id from job where name = 'c'), (select token from lease where name = 'c1'), 'template dubai_gateway.pptx is missing', false), true,
  'a permanent failure is accepted');
select results_eq(
  $$ select j.status::text, j.error, j.attempts, p.status::text
     from public.render_jobs j join job on job.name = 'c' and j.id = job.id join public.proposals p on p.id = job.proposal_id $$,
  $$ values ('failed', 'template dubai_gateway.pptx is missing', 1, 'failed') $$,
  'a permanent failure fails the job and the proposal at once');

-- A job only ever finishes its owner's own proposal.
reset role;
select pg_temp.sign_in('dubai.rep2@mmg.demo');
insert into job (name, id, proposal_id)
select 'forged', j.id, (select proposal_id from job where name = 'x')
from (select public.request_proposal('{"client_name": "Forger", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') ->> 'job_id') r (id)
join lateral (select r.id::uuid as id) j on true;
reset role;
update public.render_jobs set payload = jsonb_set(payload, '{proposal_id}', to_jsonb((select proposal_id from job where name = 'x')))
  where id = (select id from job where name = 'forged');
set local role service_role;
select pg_temp.claim('forged', 'forged1');
select is(public.complete_render_job((select id from job where name = 'forged'), (select token from lease where name = 'forged1'), '{"pdf_path": "planted.pdf"}'), true,
  'the renderer completes a job whose payload was tampered with');
select results_eq(
  $$ select status::text, pdf_path from public.proposals where id = (select proposal_id from job where name = 'x') $$,
  $$ values ('generating', null::text) $$,
  'a job pointing at someone else''s proposal does not touch it');

-- The sweep ---------------------------------------------------------------------------------------------
select pg_temp.claim('e', 'e1');
select pg_temp.claim('f', 'f1');
reset role;
update public.render_jobs set lease_expires_at = now() - interval '1 minute', last_dispatched_at = now()
  where id in (select id from job where name in ('e', 'f'));
update public.render_jobs set attempts = 3, error = 'out of memory' where id = (select id from job where name = 'f');
update public.render_jobs set last_dispatched_at = now() - interval '45 seconds' where id = (select id from job where name = 'g');
update public.render_jobs set last_dispatched_at = now() - interval '10 seconds' where id = (select id from job where name = 'h');
select is(pg_temp.dispatches('g'), 1::bigint, 'g was dispatched once when it was queued');

select lives_ok($$ select private.sweep_render_jobs() $$, 'the sweep runs');
select results_eq(
  $$ select status::text, lease_token, error, attempts from public.render_jobs where id = (select id from job where name = 'e') $$,
  $$ values ('queued', null::uuid, 'the renderer stopped renewing its lease', 1) $$,
  'a running job whose lease expired is queued again');
select results_eq(
  $$ select j.status::text, j.error, p.status::text
     from public.render_jobs j join job on job.name = 'f' and j.id = job.id join public.proposals p on p.id = job.proposal_id $$,
  $$ values ('failed', 'gave up after 3 attempts: out of memory', 'failed') $$,
  'one out of attempts fails with its last error, and so does its proposal');
select is(pg_temp.dispatches('g'), 2::bigint, 'a queued job not dispatched for 30 s is dispatched again');
select is((select last_dispatched_at from public.render_jobs where id = (select id from job where name = 'g')), now(), 'and marked');
select is(pg_temp.dispatches('h'), 1::bigint, 'a job dispatched 10 s ago is left alone');
select is(pg_temp.dispatches('refused_url'), 1::bigint, 'the job queued under a refused URL is delivered now that the URL works');
select is(pg_temp.dispatches('unconfigured'), 1::bigint, 'and so is the one queued before any URL was set');

delete from private.app_settings where key = 'renderer_url';
update public.render_jobs set last_dispatched_at = now() - interval '1 hour' where id = (select id from job where name = 'g');
select is(private.sweep_render_jobs() ->> 'dispatched', '0', 'without a renderer URL the sweep dispatches nothing');
select is(pg_temp.dispatches('g'), 2::bigint, 'and the job waits');

-- A claim finds the expired job out of attempts and fails it instead.
set local role service_role;
select pg_temp.claim('h', 'h1');
reset role;
update public.render_jobs set attempts = 3, lease_expires_at = now() - interval '1 second' where id = (select id from job where name = 'h');
set local role service_role;
select is((select c.id from public.claim_render_job((select id from job where name = 'h')) c), null,
  'an expired job out of attempts cannot be claimed again');
select is((select status::text || ': ' || error from public.render_jobs where id = (select id from job where name = 'h')),
  'failed: gave up after 3 attempts: the renderer stopped renewing its lease', 'it fails with a readable error');

-- Who may call what ---------------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ select public.claim_render_job((select id from job where name = 'g')) $$,
  '42501', 'permission denied for function claim_render_job', 'a sales user cannot claim jobs');
select throws_ok($$ select public.heartbeat_render_job((select id from job where name = 'g'), gen_random_uuid(), 1) $$,
  '42501', null, 'nor send heartbeats');
select throws_ok($$ select public.fail_render_job((select id from job where name = 'g'), gen_random_uuid(), 'no', false) $$,
  '42501', null, 'nor fail jobs');
select throws_ok($$ select private.sweep_render_jobs() $$, '42501', null, 'nor run the sweep');
select is((select status::text || ' ' || progress from public.render_jobs where id = (select id from job where name = 'a')), 'succeeded 100',
  'the requester follows status and progress of their job');
select throws_ok($$ update public.render_jobs set status = 'queued' where id = (select id from job where name = 'b') $$,
  '42501', null, 'and cannot restart it themselves');
reset role;
set local role anon;
select throws_ok($$ select public.claim_render_job(gen_random_uuid()) $$, '42501', null, 'anonymous callers cannot claim jobs');

reset role;
select throws_ok(
  $$ insert into public.render_jobs (owner_id, kind, max_attempts) select id, 'other', 11 from demo_user where email = 'dubai.rep1@mmg.demo' $$,
  '23514', null, 'at most 10 attempts');
select is(
  (select count(*)::int from pg_proc p
   where p.oid in ('public.claim_render_job(uuid, integer)'::regprocedure, 'public.heartbeat_render_job(uuid, uuid, integer)'::regprocedure,
                   'public.complete_render_job(uuid, uuid, jsonb)'::regprocedure, 'public.fail_render_job(uuid, uuid, text, boolean)'::regprocedure)
     and has_function_privilege('service_role', p.oid, 'execute')
     and not has_function_privilege('authenticated', p.oid, 'execute')
     and not has_function_privilege('anon', p.oid, 'execute')),
  4, 'claim, heartbeat, complete and fail are for the service role only');

-- pg_cron: scheduled where the extension is, and the migration still applies where it is not.
select case
  when exists (select 1 from pg_extension where extname = 'pg_cron') then
    is(pg_temp.cron_job('render-jobs-sweep'), '* * * * * select private.sweep_render_jobs()',
       'pg_cron runs the sweep every minute')
  else
    is(private.schedule_render_job_sweep(), 'pg_cron is not installed in this database: render-jobs-sweep is not scheduled',
       'without pg_cron the sweep is simply not scheduled')
  end;

select * from finish();
rollback;
