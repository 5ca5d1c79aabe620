-- Observability in the database: a render job records the x-request-id of the API request that
-- queued it (only a well-formed one) and its dispatch carries that id to the renderer, also when
-- the sweep re-dispatches; public.operations_metrics() reports the queues and LLM usage to the
-- service role only.
begin;
select plan(12);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;
create function pg_temp.sign_in(_email text, _headers jsonb) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('request.headers', _headers::text, true);
  perform set_config('role', 'authenticated', true);
end
$$;
create temp table job (name text primary key, id uuid) on commit drop;
grant all on job to authenticated;
create function pg_temp.new_job(_name text) returns void language plpgsql as $$
declare
  _result jsonb := public.request_proposal(pg_catalog.jsonb_build_object('client_name', 'Trace ' || _name,
    'items', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('location', 'dubai_gateway',
      'options', '[{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1250000}]'::jsonb))));
begin
  insert into pg_temp.job values (_name, (_result ->> 'job_id')::uuid);
end
$$;
create function pg_temp.request_id(_name text) returns text language sql as $$
  select r.request_id from public.render_jobs r where r.id = (select id from pg_temp.job where name = _name)
$$;
create function pg_temp.sent_ids(_name text) returns setof text language sql as $$
  select q.headers ->> 'X-Request-Id' from net.http_request_queue q
  where convert_from(q.body, 'UTF8')::jsonb ->> 'job_id' = (select id::text from pg_temp.job where name = _name)
  order by q.id
$$;

delete from private.app_settings where key in ('renderer_url', 'renderer_secret');
insert into private.app_settings (key, value) values ('renderer_url', 'http://127.0.0.1:8791');

-- Request ids ---------------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo', '{"x-request-id": "req-7f3a.trace:1", "authorization": "Bearer x"}');
select pg_temp.new_job('traced');
select pg_temp.sign_in('dubai.rep1@mmg.demo', '{"x-request-id": "bad id; drop table"}');
select pg_temp.new_job('malformed');
select pg_temp.sign_in('dubai.rep1@mmg.demo', '{}');
select pg_temp.new_job('untraced');
reset role;
select set_config('request.headers', 'not json', true);
select lives_ok($$ insert into public.render_jobs (owner_id, kind) select id, 'other' from auth.users where email = 'dubai.rep1@mmg.demo' $$,
  'a request.headers setting that is not JSON never breaks an insert');
select set_config('request.headers', '', true);

select is(pg_temp.request_id('traced'), 'req-7f3a.trace:1', 'a job records the x-request-id of the request that queued it');
select results_eq($$ select pg_temp.sent_ids('traced') $$, $$ values ('req-7f3a.trace:1') $$,
  'and its dispatch sends that id as X-Request-Id');
select is(pg_temp.request_id('malformed'), null, 'a malformed request id is not recorded');
select results_eq($$ select pg_temp.sent_ids('malformed') $$, $$ select id::text from job where name = 'malformed' $$,
  'and the dispatch falls back to the job id');
select is(pg_temp.request_id('untraced'), null, 'without a request id the column stays empty');

update public.render_jobs set last_dispatched_at = now() - interval '1 minute'
where id = (select id from job where name = 'traced');
select private.sweep_render_jobs();
select results_eq($$ select pg_temp.sent_ids('traced') $$, $$ values ('req-7f3a.trace:1'), ('req-7f3a.trace:1') $$,
  'a re-dispatch by the sweep (outside any request) still carries the original request id');

select throws_ok($$ update public.render_jobs set request_id = 'two words' where id = (select id from job where name = 'traced') $$,
  '23514', null, 'the column only ever holds a short, safe id');

-- operations_metrics --------------------------------------------------------------------------------
select cmp_ok(((public.operations_metrics() -> 'pg_net_queue')::bigint), '>=', 3::bigint,
  'operations_metrics counts the queued pg_net requests');
select ok(exists (select 1 from jsonb_array_elements(public.operations_metrics() -> 'render_jobs') r
                  where r ->> 'kind' = 'proposal' and r ->> 'status' = 'queued' and (r ->> 'jobs')::int >= 3),
  'and the queued render jobs by kind and status');
insert into public.ai_costs (owner_id, model, input_tokens, output_tokens, total_tokens, total_cost)
select id, 't70-model', 1200, 300, 1500, 0.012345 from auth.users where email = 'dubai.rep1@mmg.demo';
select is((select r from jsonb_array_elements(public.operations_metrics() -> 'llm') r where r ->> 'model' = 't70-model'),
  '{"model": "t70-model", "calls": 1, "input_tokens": 1200, "output_tokens": 300, "cost_usd": "0.012345"}'::jsonb,
  'and LLM calls, tokens and the exact cost (a decimal string) per model');

select pg_temp.sign_in('admin@mmg.demo', '{}');
select throws_ok($$ select public.operations_metrics() $$, '42501', null,
  'people (even administrators) cannot read the operations figures; only the service role');
reset role;

select * from finish();
rollback;
