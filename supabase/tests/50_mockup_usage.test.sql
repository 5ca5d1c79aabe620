-- Mockup usage log (§2.14): one row per generation attempt, written by the renderer through
-- record_mockup_usage with who/where taken from the job and its mockup; read by admins and
-- mockup managers of the company only; append-only and closed to API writes.
begin;
select plan(27);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated, service_role;
create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.uid(_email text) returns uuid language sql as $$
  select id from pg_temp.demo_user where email = _email
$$;
create temp table m (name text primary key, result jsonb) on commit drop;
grant all on m to authenticated, service_role;
delete from private.app_settings where key in ('renderer_url', 'renderer_secret');

insert into storage.buckets (id, name) values ('uploads', 'uploads') on conflict do nothing;
insert into storage.objects (bucket_id, name)
select 'uploads', pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/' || f from unnest(array['one.png', 'two.png']) f;

-- The table and who may touch it.
select has_table('public', 'mockup_usage', 'the usage log exists');
select is((select relrowsecurity from pg_class where oid = 'public.mockup_usage'::regclass), true, 'with RLS on');
select ok(not has_table_privilege('authenticated', 'public.mockup_usage', 'insert')
          and not has_table_privilege('authenticated', 'public.mockup_usage', 'update')
          and not has_table_privilege('authenticated', 'public.mockup_usage', 'delete')
          and not has_table_privilege('anon', 'public.mockup_usage', 'select'),
  'signed-in users only read (and anon not even that)');
select ok(has_table_privilege('service_role', 'public.mockup_usage', 'insert')
          and not has_table_privilege('service_role', 'public.mockup_usage', 'update'),
  'the service role inserts but never rewrites the log');
select ok(not has_function_privilege('authenticated', 'public.record_mockup_usage(uuid, boolean, integer, integer, text, text, integer)', 'execute')
          and has_function_privilege('service_role', 'public.record_mockup_usage(uuid, boolean, integer, integer, text, text, integer)', 'execute'),
  'only the service role records attempts');

-- A rep asks for two mockups: day/gold with one creative, night/gold with two (one frame → mismatch
-- is checked by request_mockup, so both use one creative here).
select pg_temp.sign_in('dubai.rep1@mmg.demo');
insert into m values ('day', public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'time_of_day', 'day', 'side', 'gold',
  'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/one.png'))));
insert into m values ('night', public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'time_of_day', 'night', 'side', 'gold',
  'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/two.png'))));
insert into m values ('proposal', public.request_proposal(jsonb_build_object('client_name', 'Usage Test',
  'items', jsonb_build_array(jsonb_build_object('location', 'dubai_gateway',
    'options', jsonb_build_array(jsonb_build_object('start_date', '2026-12-01', 'duration_weeks', 4, 'net_rate', 100000)))))));
select throws_ok(
  $$ insert into public.mockup_usage (creative_count, success, duration_ms) values (1, true, 10) $$,
  '42501', null, 'a user cannot write the log directly');
select throws_ok(
  $$ select public.record_mockup_usage((select (result ->> 'job_id')::uuid from m where name = 'day'), true, 10, 1) $$,
  '42501', null, 'nor forge an attempt through the function');

-- The renderer claims and reports.
reset role;
set local role service_role;
create temp table lease_day on commit drop as
  select c.id, c.attempts from public.claim_render_job((select (result ->> 'job_id')::uuid from m where name = 'day')) c;
create temp table usage_day on commit drop as
  select * from public.record_mockup_usage(
    job_id => (select id from lease_day), success => true, duration_ms => 1234, creative_count => 1,
    photo_path => 'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png');
select results_eq(
  $$ select company, user_id, mockup_id, job_id, attempt, location_key, environment::text, time_of_day::text, side::text,
            photo_path, creative_type, creative_count, success, error, duration_ms from usage_day $$,
  $$ select 'backlite_dubai', pg_temp.uid('dubai.rep1@mmg.demo'), (select (result ->> 'mockup_id')::uuid from m where name = 'day'),
            (select id from lease_day), 1, 'dubai_gateway', 'outdoor', 'day', 'gold',
            'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png', 'uploaded', 1, true, null::text, 1234 $$,
  'a successful attempt: user, company, location, time of day, side, photo, creatives, duration');
select is((select template_id from usage_day), (select frame_id from public.mockups where id = (select (result ->> 'mockup_id')::uuid from m where name = 'day')),
  'it names the template the mockup was rendered from');
select ok((select created_at from usage_day) is not null, 'and when');
select is(
  (public.record_mockup_usage(job_id => (select id from lease_day), success => true, duration_ms => 999, creative_count => 1)).id,
  null, 'the same attempt reported twice is ignored (no row returned)');
select is((select count(*)::int from public.mockup_usage where job_id = (select id from lease_day)), 1, 'one row for the attempt');

-- A failing attempt, retried: each attempt is its own row.
create temp table lease_night on commit drop as
  select c.id, c.lease_token from public.claim_render_job((select (result ->> 'job_id')::uuid from m where name = 'night')) c;
select is((public.record_mockup_usage((select id from lease_night), false, 87, 1, null, 'creative 1 could not be decoded: the file is corrupt or not an image')).error,
  'creative 1 could not be decoded: the file is corrupt or not an image', 'a failed attempt keeps its error');
select is(public.fail_render_job((select id from lease_night), (select lease_token from lease_night), 'storage hiccup', true), true, 'the job goes back to the queue');
create temp table lease_night2 on commit drop as
  select c.id from public.claim_render_job((select (result ->> 'job_id')::uuid from m where name = 'night')) c;
select is((public.record_mockup_usage((select id from lease_night2), false, 5, 1, null, '   ')).error, 'unknown error',
  'a failure without a message still says it failed');
select results_eq(
  $$ select attempt, success, time_of_day::text, photo_path from public.mockup_usage
     where job_id = (select id from lease_night) order by attempt $$,
  $$ values (1, false, 'night', 'backlite_dubai/dubai_gateway/outdoor/night/gold/DubaiGateway_2.png'),
            (2, false, 'night', 'backlite_dubai/dubai_gateway/outdoor/night/gold/DubaiGateway_2.png') $$,
  'attempts 1 and 2 of the retried job, with the template''s photo when the renderer names none');

-- Bad reports.
select throws_ok(
  $$ select public.record_mockup_usage((select (result ->> 'job_id')::uuid from m where name = 'proposal'), true, 10, 1) $$,
  '22023', format('job_id: no mockup render job %s', (select result ->> 'job_id' from m where name = 'proposal')),
  'a proposal job is not a mockup attempt');
select throws_ok(
  $$ select public.record_mockup_usage((select id from lease_day), true, -1, 1) $$,
  '22023', 'duration_ms: must be a number of milliseconds, not negative', 'durations are not negative');
select throws_ok(
  $$ select public.record_mockup_usage((select id from lease_day), true, 10, 51) $$,
  '22023', 'creative_count: must be between 0 and 50', 'at most 50 creatives, as request_mockup allows');
select throws_ok(
  $$ insert into public.mockup_usage (creative_count, success, duration_ms) values (1, false, 10) $$,
  '23514', null, 'a failed attempt without an error is refused');
select lives_ok(
  $$ insert into public.mockup_usage (company, creative_count, success, duration_ms) values ('viola', 1, true, 40) $$,
  'the service role may insert rows directly (another company''s here)');
select throws_ok(
  $$ update public.mockup_usage set success = true $$,
  '42501', null, 'nobody rewrites history');

-- Who reads the log.
reset role;
select pg_temp.sign_in('sales.manager@mmg.demo');
select is((select count(*)::int from public.mockup_usage), 3, 'a sales manager reads every attempt in their companies');
select is((select count(*)::int from public.mockup_usage where company = 'viola'), 0, 'but not another company''s');
select pg_temp.sign_in('admin@mmg.demo');
select is((select count(*)::int from public.mockup_usage), 4, 'an admin reads them all');
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select is((select count(*)::int from public.mockup_usage), 0, 'the rep who generated them does not');
select pg_temp.sign_in('dubai.lead@mmg.demo');
select is((select count(*)::int from public.mockup_usage), 0, 'nor does their team leader');

select * from finish();
rollback;
