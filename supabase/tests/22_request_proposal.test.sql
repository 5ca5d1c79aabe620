-- request_proposal: one call records the proposal (generating, AED totals), its items and a
-- proposal render job, under the caller's own policies; a request the quote refuses writes nothing.
begin;
select plan(27);

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;
create temp table r (name text primary key, request jsonb, result jsonb) on commit drop;
grant all on r to authenticated;
-- The renderer is not configured here: jobs stay queued (dispatch is tested with the queue).
delete from private.app_settings where key in ('renderer_url', 'renderer_secret');

select pg_temp.sign_in('dubai.rep1@mmg.demo');
insert into r (name, request) values
  ('separate', $${ "client_name": "Emirates NBD", "items": [{ "location": "dubai_gateway", "options": [
      { "start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1250000 },
      { "start_date": "2026-12-01", "duration_weeks": 8, "net_rate": "2,300,000" } ] }] }$$),
  ('combined', $${ "client_name": "Emaar", "proposal_type": "combined", "combined_net_rate": "AED 2,000,000", "currency": "USD",
      "items": [
        { "location": "dubai_gateway", "options": [{ "start_date": "2026-12-01", "duration_weeks": 4 }] },
        { "location": "szr_unipole_north", "production_fee": 8500, "options": [{ "start_date": "2027-01-01", "duration_weeks": 2 }] }] }$$);
update r set result = public.request_proposal(request) where name = 'separate';

create temp view separate_result as
  select (result ->> 'proposal_id')::uuid as proposal_id, (result ->> 'job_id')::uuid as job_id, result -> 'quote' as quote, request
  from r where name = 'separate';
grant select on separate_result to authenticated;

select is((select quote from separate_result), (select public.quote_proposal(request) from separate_result),
  'the result carries the quote');
select results_eq(
  $$ select p.owner_id, p.company, p.client_name, p.proposal_type::text, p.currency, p.payment_terms, p.status::text,
            p.combined_net_rate, p.subtotal, p.vat_amount, p.total_amount
     from public.proposals p where p.id = (select proposal_id from separate_result) $$,
  $$ select (select id from pg_temp.demo_user where email = 'dubai.rep1@mmg.demo'), 'backlite_dubai', 'Emirates NBD', 'separate', 'AED',
            '100% upfront', 'generating', null::numeric, 1253520.00, 62676.00, 1316196.00 $$,
  'the proposal is the caller''s, generating, with the first option''s totals in AED');
select is((select data from public.proposals where id = (select proposal_id from separate_result)), (select request from separate_result),
  'the proposal keeps the request it was made from');
select results_eq(
  $$ select position, option_no, location_key, location_company, display_name, start_date, duration_weeks, net_rate,
            upload_fee, production_fee, spots, data ->> 'end_date'
     from public.proposal_items where proposal_id = (select proposal_id from separate_result) order by position, option_no $$,
  $$ values (1, 1, 'dubai_gateway', 'backlite_dubai', 'The Dubai Gateway', date '2026-12-01', 4, 1250000.00, 3000.00, null::numeric, 1, '2026-12-29'),
            (1, 2, 'dubai_gateway', 'backlite_dubai', 'The Dubai Gateway', date '2026-12-01', 8, 2300000.00, 3000.00, null::numeric, 1, '2027-01-26') $$,
  'one item row per location option');
select results_eq(
  $$ select kind::text, status::text, company, owner_id = requested_by, attempts, progress::int, max_attempts, last_dispatched_at
     from public.render_jobs where id = (select job_id from separate_result) $$,
  $$ values ('proposal', 'queued', 'backlite_dubai', true, 0, 0, 3, null::timestamptz) $$,
  'a queued proposal job, not dispatched while no renderer is configured');
select is((select payload from public.render_jobs where id = (select job_id from separate_result)),
  (select jsonb_build_object('proposal_id', proposal_id, 'quote', quote) from separate_result),
  'the job payload is {proposal_id, quote}');
select is((select owner_id from public.render_jobs where id = (select job_id from separate_result)),
  (select id from pg_temp.demo_user where email = 'dubai.rep1@mmg.demo'), 'the job belongs to the requester');

-- Combined, in USD.
update r set result = public.request_proposal(request) where name = 'combined';
select results_eq(
  $$ select p.proposal_type::text, p.currency, p.combined_net_rate, p.subtotal, p.vat_amount, p.total_amount
     from public.proposals p join r on r.name = 'combined' and p.id = (r.result ->> 'proposal_id')::uuid $$,
  $$ values ('combined', 'USD', 2000000.00, 2012020.00, 100601.00, 2112621.00) $$,
  'a combined proposal stores the package in AED and the display currency');
select results_eq(
  $$ select i.position, i.option_no, i.location_key, i.net_rate, i.upload_fee, i.production_fee, i.data ->> 'fee_label'
     from public.proposal_items i join r on r.name = 'combined' and i.proposal_id = (r.result ->> 'proposal_id')::uuid
     order by i.position $$,
  $$ values (1, 1, 'dubai_gateway', null::numeric, 3000.00, null::numeric, 'Upload Fee:'),
            (2, 1, 'szr_unipole_north', null::numeric, null::numeric, 8500.00, 'Production Fee:') $$,
  'combined items have dates and fees but no rate of their own');

-- A refused request writes nothing.
select is((select count(*)::int from public.proposals), 2, 'two proposals so far');
select throws_ok(
  $$ select public.request_proposal('{"client_name": "X", "items": [
       {"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]},
       {"location": "cromwell_road_screen", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '22023', 'unknown location "cromwell_road_screen"', 'a quote error fails the request');
select is((select count(*)::int from public.proposals), 2, 'no proposal was written');
select is((select count(*)::int from public.proposal_items), 4, 'no item was written');
select is((select count(*)::int from public.render_jobs), 2, 'no job was written');
select throws_ok(
  $$ select public.request_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1.005}]}]}') $$,
  '22023', 'items[1].options[1].net_rate: at most 2 decimals, got 1.005', 'sub-fils amounts are refused');

-- Who sees it.
select pg_temp.sign_in('dubai.lead@mmg.demo');
select is((select count(*)::int from public.proposals p join separate_result s on s.proposal_id = p.id), 1,
  'the team leader sees the rep''s proposal');
select is((select status::text from public.render_jobs j join separate_result s on s.job_id = j.id), 'queued',
  'and follows its job');
select pg_temp.sign_in('dubai.rep2@mmg.demo');
select is((select count(*)::int from public.proposals p join separate_result s on s.proposal_id = p.id), 0,
  'a colleague does not');
select is((select count(*)::int from public.render_jobs j join separate_result s on s.job_id = j.id), 0,
  'nor its job');
select pg_temp.sign_in('uk.rep@mmg.demo');
select is((select count(*)::int from public.proposals), 0, 'another company''s rep sees nothing');

select pg_temp.sign_in('viewer@mmg.demo');
select throws_ok(
  $$ select public.request_proposal('{"client_name": "X", "items": [{"location": "dubai_gateway", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 1}]}]}') $$,
  '42501', 'quoting a proposal needs sales:proposals:create', 'a viewer cannot request proposals');

select pg_temp.sign_in('uk.rep@mmg.demo');
select lives_ok(
  $$ select public.request_proposal('{"client_name": "Harrods", "currency": "GBP", "items": [{"location": "cromwell_road_screen", "options": [{"start_date": "2026-12-01", "duration_weeks": 4, "net_rate": 314160}]}]}') $$,
  'a UK rep requests a proposal for a UK screen');
select results_eq(
  $$ select company, currency, total_amount from public.proposals $$,
  $$ values ('backlite_uk', 'GBP', 331044.00) $$,
  'in their company, totals in AED (314160 + 600 + 520 + 5 %)');

-- The renderer API and direct job edits are closed to users.
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok(
  $$ select public.complete_render_job((select job_id from separate_result), gen_random_uuid(), '{}') $$,
  '42501', null, 'a sales user cannot complete jobs');
select throws_ok(
  $$ insert into public.render_jobs (kind, lease_token, lease_expires_at) values ('proposal', gen_random_uuid(), now()) $$,
  '42501', null, 'nobody queues a job with a lease of its own');

reset role;
set local role anon;
select throws_ok(
  $$ select public.request_proposal('{}') $$,
  '42501', null, 'anonymous callers cannot request proposals');
select throws_ok(
  $$ select public.quote_proposal('{}') $$,
  '42501', null, 'nor quote');

select * from finish();
rollback;
