-- Booking-order documents (issue 6, spec §3.7/§3.9): the database queues one booking_order
-- render job per content version — on submission, on an edit that changes what is shown, at
-- final approval — and never for transitions that change nothing shown; the renderer reads a
-- version's content only while it is current; completion records paths for the current
-- version only (a late job never overwrites a newer render); users cannot forge jobs or paths;
-- the rendered files open to exactly the people who can read the order.
begin;
select plan(51);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated, service_role;
create temp table bo (name text primary key, id uuid) on commit drop;
create temp table lease (version integer primary key, job_id uuid, token uuid) on commit drop;
grant all on bo, lease to authenticated, service_role;

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.as_renderer() returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
  perform set_config('role', 'service_role', true);
end
$$;
create function pg_temp.bo(_name text) returns uuid language sql as $$ select id from pg_temp.bo where name = _name $$;
create function pg_temp.jobs(_name text) returns text language sql security definer as $$
  select coalesce(string_agg((j.payload ->> 'version') || ':' || (j.payload ->> 'final'), ' ' order by (j.payload ->> 'version')::int), '')
  from public.render_jobs j
  where j.kind = 'booking_order' and j.payload ->> 'booking_order_id' = pg_temp.bo(_name)::text
$$;
create function pg_temp.job_id(_name text, _version integer) returns uuid language sql security definer as $$
  select j.id from public.render_jobs j
  where j.kind = 'booking_order' and j.payload ->> 'booking_order_id' = pg_temp.bo(_name)::text and j.payload ->> 'version' = _version::text
$$;
create function pg_temp.claim(_name text, _version integer) returns void language plpgsql as $$
begin
  insert into pg_temp.lease
  select _version, c.id, c.lease_token from public.claim_render_job(pg_temp.job_id(_name, _version)) c;
end
$$;
create function pg_temp.folder(_name text, _version integer) returns text language sql security definer as $$
  select b.company || '/' || b.id || '/v' || _version || '/' from public.booking_orders b where b.id = pg_temp.bo(_name)
$$;
create function pg_temp.complete(_name text, _version integer, _result jsonb default null) returns boolean language sql as $$
  select public.complete_render_job(l.job_id, l.token, coalesce(_result, jsonb_build_object(
    'excel_path', pg_temp.folder(_name, _version) || 'order.xlsx',
    'combined_pdf_path', pg_temp.folder(_name, _version) || 'order.pdf')))
  from pg_temp.lease l where l.version = _version
$$;
create function pg_temp.paths(_name text) returns text language sql security definer as $$
  select concat_ws(' ', coalesce(b.excel_path, '-'), coalesce(b.combined_pdf_path, '-'), b.documents_version, coalesce(b.documents_rendered_version::text, '-'))
  from public.booking_orders b where b.id = pg_temp.bo(_name)
$$;
grant execute on all functions in schema pg_temp to authenticated, service_role;

-- Submission --------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
insert into pg_temp.bo
select 'emaar', (public.create_booking_order('backlite_dubai', '{
    "bo_number": "EM/2026/118", "client": "Emaar Properties", "brand_campaign": "Dubai Hills", "currency": "AED",
    "sla_pct": 0.10, "municipality_fee": 1040, "production_upload_fee": 3000, "payment_terms": "60 days PDC",
    "locations": [
      {"name": "The Dubai Gateway", "start_date": "2026-12-01", "end_date": "2026-12-14", "campaign_duration": "2 weeks", "net_amount": 250000},
      {"name": "Dubai Marina Mega Screen", "start_date": "2026-12-01", "end_date": "2026-12-28", "campaign_duration": "1 month", "net_amount": 254000}
    ]}'::jsonb) ->> 'id')::uuid;
select is(pg_temp.jobs('emaar'), '1:false', 'submitting a booking order queues one draft render job, version 1');
select is((select row(j.owner_id = u.id, j.requested_by = u.id, j.company, j.status::text)::text
           from public.render_jobs j, pg_temp.demo_user u
           where j.id = pg_temp.job_id('emaar', 1) and u.email = 'dubai.rep1@mmg.demo'),
  '(t,t,backlite_dubai,queued)', 'the job belongs to the submitter, in the order''s company, queued');
select is((select count(*)::int from public.render_jobs where id = pg_temp.job_id('emaar', 1)), 1,
  'the submitter sees the job of their order');

-- Transitions that change nothing shown ------------------------------------------------------
select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.coordinator_reject_booking_order(pg_temp.bo('emaar'), 'check the dates') $$, 'the coordinator rejects it for edits');
select is(pg_temp.jobs('emaar'), '1:false', 'a rejection changes nothing shown: no new job');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"payment_terms": "60 days PDC"}') $$, 'and edits the payment terms to what they are');
select is(pg_temp.jobs('emaar'), '1:false', 'an edit that sets a field to the value it has renders nothing new');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"sla_pct": 0.15}') $$, 'and raises the SLA to 15 %');
select is(pg_temp.jobs('emaar'), '1:false 2:false', 'an edit that changes the figures queues version 2');
select is((select documents_version from public.booking_orders where id = pg_temp.bo('emaar')), 2, 'the order is at documents version 2');
select lives_ok($$ select public.edit_booking_order(pg_temp.bo('emaar'), '{"client": "Emaar Properties PJSC"}') $$, 'and corrects the client''s name');
select is(pg_temp.jobs('emaar'), '1:false 2:false 3:false', 'so does an edit of a field the workbook shows');
select lives_ok($$ select public.resubmit_booking_order(pg_temp.bo('emaar')) $$, 'and resubmits it');
select lives_ok($$ select public.coordinator_approve_booking_order(pg_temp.bo('emaar')) $$, 'and approves it to the head of sales');
select is(pg_temp.jobs('emaar'), '1:false 2:false 3:false', 'resubmitting and approving to the head of sales render nothing new');

-- Final approval -------------------------------------------------------------------------------
select pg_temp.sign_in('hos.backlite@mmg.demo');
select lives_ok($$ select public.hos_approve_booking_order(pg_temp.bo('emaar')) $$, 'the head of sales approves it');
select is(pg_temp.jobs('emaar'), '1:false 2:false 3:false 4:true', 'the head of sales'' approval queues the final version 4');

select pg_temp.as_renderer();
select is((select public.booking_order_render_input(pg_temp.bo('emaar'), 4) -> 'document' ->> 'final'), 'true',
  'the renderer reads the current version''s content: final');
select is((select d -> 'document' -> 'approval' ->> 'hos_name' from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  'Tariq Aziz', 'the head of sales who approved signs it');
select ok((select d -> 'document' -> 'approval' ->> 'approved_on' = to_char(now() at time zone 'Asia/Dubai', 'DD-MM-YYYY')
           from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  'the stamp date is the approval day in the company''s time zone, DD-MM-YYYY');
select ok((select d -> 'document' ->> 'bo_ref' ~ '^BO-\d{4}-\d{4}$' from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  'the final content carries the BO reference');
select is((select d -> 'document' -> 'figures' -> 'gross_amount' from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  to_jsonb((select gross_amount::text from public.booking_orders where id = pg_temp.bo('emaar'))),
  'money travels as a decimal string, exactly the column''s value');
select is((select jsonb_agg(i -> 'post_sla_amount') from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d,
                 jsonb_array_elements(d -> 'document' -> 'items') i),
  '["212500.00", "215900.00"]'::jsonb, 'items carry their post-SLA amounts as decimal strings');
select is((select d -> 'document' -> 'currency' from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  '{"code": "AED", "symbol": "AED", "decimals": 2, "symbol_position": "suffix"}'::jsonb, 'with the currency''s display metadata');
select is((select d -> 'document' -> 'company' from public.booking_order_render_input(pg_temp.bo('emaar'), 4) d),
  '{"name": "Backlite Dubai", "slug": "backlite_dubai", "brand": "backlite", "brand_name": "Backlite"}'::jsonb,
  'and the brand the workbook is headed with');
select is((select (d ->> 'current_version') || ' ' || jsonb_typeof(d -> 'document') from public.booking_order_render_input(pg_temp.bo('emaar'), 2) d),
  '4 null', 'an older version is stale: no content to render');

-- Completion: only the current version is recorded ------------------------------------------------
select pg_temp.claim('emaar', 2);
select pg_temp.claim('emaar', 4);
select pg_temp.claim('emaar', 1);
select ok(pg_temp.complete('emaar', 2), 'a stale job still completes');
select is(pg_temp.paths('emaar'), '- - 4 -', 'but its paths are not recorded on the order');
select ok(pg_temp.complete('emaar', 4), 'the current version completes');
select is(pg_temp.paths('emaar'), pg_temp.folder('emaar', 4) || 'order.xlsx ' || pg_temp.folder('emaar', 4) || 'order.pdf 4 4',
  'and its workbook and combined PDF are recorded');
select ok(pg_temp.complete('emaar', 1), 'a late job of version 1 completes after it');
select is(pg_temp.paths('emaar'), pg_temp.folder('emaar', 4) || 'order.xlsx ' || pg_temp.folder('emaar', 4) || 'order.pdf 4 4',
  'and never overwrites the newer render');

select pg_temp.claim('emaar', 3);
select throws_ok($$ select pg_temp.complete('emaar', 3, '{"excel_path": "someone/else.xlsx", "combined_pdf_path": "someone/else.pdf"}') $$,
  '22023', null, 'a result with paths outside the version''s folder is refused');
select ok(pg_temp.complete('emaar', 3, '{"stale": true}'), 'a job that found its version stale completes with {stale: true}');
select is(pg_temp.paths('emaar'), pg_temp.folder('emaar', 4) || 'order.xlsx ' || pg_temp.folder('emaar', 4) || 'order.pdf 4 4',
  'recording nothing');

reset role;
select is(private.queue_booking_order_documents(pg_temp.bo('emaar')), null, 'queueing again without a change does nothing');
select throws_ok($$ insert into public.render_jobs (owner_id, kind, payload)
                   select owner_id, 'booking_order', jsonb_build_object('booking_order_id', id, 'version', 4)
                   from public.booking_orders where id = pg_temp.bo('emaar') $$,
  '23505', null, 'there is never a second job for the same version');

-- Reading ------------------------------------------------------------------------------------------
select pg_temp.sign_in('finance@mmg.demo');
select is((select public.get_booking_order(pg_temp.bo('emaar')) ->> 'combined_pdf_path'), pg_temp.folder('emaar', 4) || 'order.pdf',
  'get_booking_order returns the combined PDF path');
select is((select (public.get_booking_order(pg_temp.bo('emaar')) -> 'documents_pending')::text), 'false',
  'and says no newer render is pending');

reset role;
insert into storage.buckets (id, name) values ('booking-orders', 'booking-orders') on conflict do nothing;
insert into storage.objects (bucket_id, name) values
  ('booking-orders', pg_temp.folder('emaar', 4) || 'order.pdf'),
  ('booking-orders', pg_temp.folder('emaar', 4) || 'order.xlsx'),
  ('booking-orders', pg_temp.folder('emaar', 2) || 'order.pdf');
create function pg_temp.readable(_email text) returns text language plpgsql as $$
declare
  _names text;
begin
  perform pg_temp.sign_in(_email);
  select coalesce(string_agg(split_part(o.name, '/', 3) || '/' || split_part(o.name, '/', 4), ' ' order by o.name), '') into _names
  from storage.objects o where o.bucket_id = 'booking-orders' and o.name like '%' || pg_temp.bo('emaar') || '%';
  reset role;
  return _names;
end
$$;
grant execute on function pg_temp.readable(text) to authenticated;
select is(pg_temp.readable('dubai.rep1@mmg.demo'), 'v4/order.pdf v4/order.xlsx', 'the owner downloads both current files');
select is(pg_temp.readable('coordinator@mmg.demo'), 'v4/order.pdf v4/order.xlsx', 'so does the coordinator');
select is(pg_temp.readable('hos.backlite@mmg.demo'), 'v4/order.pdf v4/order.xlsx', 'so does the head of sales');
select is(pg_temp.readable('finance@mmg.demo'), 'v4/order.pdf v4/order.xlsx', 'so does finance, the order being approved');
select is(pg_temp.readable('uk.rep@mmg.demo'), '', 'a sales person of another company reads none of them');
select is(pg_temp.readable('dubai.rep2@mmg.demo'), '', 'nor does a colleague outside the owner''s team');

-- Nobody forges jobs or paths ----------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ insert into public.render_jobs (kind, payload)
                   values ('booking_order', jsonb_build_object('booking_order_id', pg_temp.bo('emaar'), 'version', 9)) $$,
  '42501', null, 'users cannot queue booking_order jobs (a forged future version would block the real one)');
with d as (insert into public.booking_orders (company, client_name) values ('backlite_dubai', 'Draft client') returning id)
insert into pg_temp.bo select 'draft', id from d;
select throws_ok($$ update public.booking_orders set excel_path = 'backlite_uk/elsewhere/v1/theirs.xlsx' where id = pg_temp.bo('draft') $$,
  '42501', null, 'not even on their own draft can users point the paths at a file');
select is(pg_temp.jobs('draft'), '', 'a draft that was never submitted is not rendered');
select throws_ok($$ select public.booking_order_render_input(pg_temp.bo('emaar'), 4) $$,
  '42501', null, 'the render input is for the renderer only');

-- Cancellation --------------------------------------------------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
insert into pg_temp.bo
select 'cancelled', (public.create_booking_order('backlite_dubai', '{"client": "Cancelled Co", "net_pre_vat": 1000}'::jsonb) ->> 'id')::uuid;
select pg_temp.sign_in('coordinator@mmg.demo');
select lives_ok($$ select public.cancel_booking_order(pg_temp.bo('cancelled'), 'client withdrew') $$, 'the coordinator cancels a submitted order');
select is(pg_temp.jobs('cancelled'), '1:false', 'cancelling queues nothing further');

select * from finish();
rollback;
