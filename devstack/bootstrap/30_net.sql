/*
 * A pg_net-compatible `net` schema: the same function signatures as the pg_net extension
 * (net.http_get / net.http_post / net.http_delete return a request id), writing to a queue
 * table that the local stack's worker drains after commit. Responses land in
 * net._http_response like pg_net's, so code written for hosted Supabase runs unchanged.
 */
create schema if not exists net;
grant usage on schema net to postgres, service_role;

create table if not exists net.http_request_queue (
  id bigserial primary key,
  method text not null check (method in ('GET', 'POST', 'DELETE')),
  url text not null,
  headers jsonb not null default '{}',
  body bytea,
  timeout_milliseconds integer not null
);

create unlogged table if not exists net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index if not exists _http_response_created_idx on net._http_response (created);

create or replace function net._enqueue(
  method text, url text, params jsonb, headers jsonb, body bytea, timeout_milliseconds integer
) returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  _id bigint;
  _url text := url;
  _query text;
begin
  if url is null or url !~* '^https?://' then
    raise exception 'net: url must start with http:// or https://, got %', coalesce(url, 'null');
  end if;
  select string_agg(pg_catalog.format('%s=%s', k, v), '&') into _query
    from jsonb_each_text(coalesce(params, '{}'::jsonb)) as p(k, v);
  if _query is not null then
    _url := _url || case when position('?' in _url) > 0 then '&' else '?' end || _query;
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values (method, _url, coalesce(headers, '{}'::jsonb), body, timeout_milliseconds)
    returning id into _id;
  -- Delivered only on commit, exactly when pg_net would see the queued row.
  perform pg_notify('net_http_request', _id::text);
  return _id;
end
$$;

create or replace function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('GET', url, params, headers, null, timeout_milliseconds)
$$;

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('POST', url, params, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
$$;

create or replace function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('DELETE', url, params, headers, null, timeout_milliseconds)
$$;

revoke all on function net._enqueue(text, text, jsonb, jsonb, bytea, integer) from public;
revoke all on function net.http_get(text, jsonb, jsonb, integer) from public;
revoke all on function net.http_post(text, jsonb, jsonb, jsonb, integer) from public;
revoke all on function net.http_delete(text, jsonb, jsonb, integer) from public;
grant execute on function net.http_get(text, jsonb, jsonb, integer),
  net.http_post(text, jsonb, jsonb, jsonb, integer),
  net.http_delete(text, jsonb, jsonb, integer) to postgres, service_role;
grant select on net._http_response to postgres, service_role;
