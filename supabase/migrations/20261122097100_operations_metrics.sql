/*
 * Figures for the /metrics endpoints that only the database knows: how many render jobs wait or
 * run per kind, how many pg_net requests are queued, and the LLM calls, tokens and cost per model
 * recorded in public.ai_costs. The gateway and the renderer read them at scrape time with one
 * call, under a short client-side timeout, so a slow database makes a scrape report the database
 * as unavailable instead of hanging.
 *
 * Cheap by construction: queued and running jobs are found through their partial indexes, and
 * pg_net's queue is small by nature. The ai_costs totals scan that table; at our volumes (a few
 * thousand calls a day) that is milliseconds, and the scrape timeout bounds it either way.
 * Costs are returned as decimal strings (numeric, never rounded here); turning them into a
 * Prometheus sample is the caller's business.
 *
 * On hosted Supabase pg_net keeps its queue in net.http_request_queue too; when the extension is
 * absent the figure is null. Service role only: the figures span every company.
 */

create or replace function public.operations_metrics()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _render jsonb;
  _llm jsonb;
  _net bigint;
begin
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('kind', j.kind, 'status', j.status, 'jobs', j.n)
                                       order by j.kind, j.status), '[]'::jsonb)
    into _render
  from (
    select r.kind::text as kind, r.status::text as status, count(*) as n
    from public.render_jobs r
    where r.status in ('queued', 'running')
    group by r.kind, r.status
  ) j;

  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'model', c.model, 'calls', c.calls, 'input_tokens', c.input_tokens,
           'output_tokens', c.output_tokens, 'cost_usd', c.cost::numeric(20, 6)::text) order by c.model), '[]'::jsonb)
    into _llm
  from (
    select a.model, count(*) as calls, sum(a.input_tokens) as input_tokens,
           sum(a.output_tokens) as output_tokens, sum(a.total_cost) as cost
    from public.ai_costs a
    group by a.model
  ) c;

  if pg_catalog.to_regclass('net.http_request_queue') is not null then
    execute 'select count(*) from net.http_request_queue' into _net;
  end if;

  return pg_catalog.jsonb_build_object('render_jobs', _render, 'llm', _llm, 'pg_net_queue', _net);
end
$$;
comment on function public.operations_metrics() is
  'Service role only. {render_jobs: [{kind, status, jobs}] for queued and running jobs, llm: [{model, calls, '
  'input_tokens, output_tokens, cost_usd (decimal string)}] over all of ai_costs, pg_net_queue: requests waiting '
  'in net.http_request_queue (null without pg_net)}. Read by the /metrics endpoints at scrape time.';
revoke execute on function public.operations_metrics() from public, anon, authenticated;
grant execute on function public.operations_metrics() to service_role;
