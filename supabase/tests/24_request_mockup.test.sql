-- request_mockup: one template chosen per request and the creative count checked against that
-- very template (§2.3, §11.18), creatives only from the caller's own uploads folder, the
-- mockup and its job recorded, and a finished job finishing the mockup.
begin;
select plan(28);

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated, service_role;
create function pg_temp.uid(_email text) returns text language sql as $$
  select id::text from pg_temp.demo_user where email = _email
$$;
create function pg_temp.mockup_request(_time text, _side text, variadic _files text[]) returns jsonb language sql as $$
  select jsonb_build_object('location', 'dubai_gateway', 'time_of_day', _time, 'side', _side,
    'creative_paths', (select jsonb_agg(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/' || f) from unnest(_files) f),
    'config', jsonb_build_object('edgeBlur', 9))
$$;
create temp table m (name text primary key, result jsonb) on commit drop;
grant all on m to authenticated, service_role;
delete from private.app_settings where key in ('renderer_url', 'renderer_secret');

-- Uploaded creatives, and more templates of the Dubai Gateway: day/silver with 2 frames and
-- night/silver with 3 (the seed has day/gold and night/gold with one frame each).
insert into storage.buckets (id, name) values ('uploads', 'uploads') on conflict do nothing;
insert into storage.objects (bucket_id, name)
select 'uploads', pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/' || f from unnest(array['one.png', 'two.png', 'three.png']) f
union all
select 'uploads', pg_temp.uid('dubai.rep2@mmg.demo') || '/creatives/theirs.png';
insert into backlite_dubai.mockup_frames (id, location_id, environment, time_of_day, side, photo_path, frames_data, config)
select v.id, l.id, 'outdoor', v.time_of_day::public.time_of_day, 'silver', v.photo_path, v.frames::jsonb, '{"brightness": 110}'
from backlite_dubai.locations l,
  (values
    ('24000000-0000-0000-0000-000000000002'::uuid, 'day', 'backlite_dubai/dubai_gateway/outdoor/day/silver/DubaiGateway_3.png',
     '[{"points": [[10,10],[100,10],[100,60],[10,60]]}, {"points": [[200,10],[300,10],[300,60],[200,60]]}]'),
    ('24000000-0000-0000-0000-000000000003'::uuid, 'night', 'backlite_dubai/dubai_gateway/outdoor/night/silver/DubaiGateway_4.png',
     '[{"points": [[10,10],[100,10],[100,60],[10,60]]}, {"points": [[200,10],[300,10],[300,60],[200,60]]}, {"points": [[400,10],[500,10],[500,60],[400,60]]}]')
  ) as v (id, time_of_day, photo_path, frames)
where l.location_key = 'dubai_gateway';

select pg_temp.sign_in('dubai.rep1@mmg.demo');

-- One creative on the day/gold photo.
insert into m values ('day_gold', public.request_mockup(pg_temp.mockup_request('day', 'gold', 'one.png')));
select results_eq(
  $$ select mk.owner_id::text, mk.company, mk.location_key, mk.environment::text, mk.time_of_day::text, mk.side::text,
            mk.status::text, mk.creative_type, mk.frame_id, mk.photo_path
     from public.mockups mk where mk.id = (select (result ->> 'mockup_id')::uuid from m where name = 'day_gold') $$,
  $$ select pg_temp.uid('dubai.rep1@mmg.demo'), 'backlite_dubai', 'dubai_gateway', 'outdoor', 'day', 'gold', 'generating', 'uploaded', f.id, f.photo_path
     from backlite_dubai.mockup_frames f where f.photo_path = 'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png' $$,
  'the mockup records the chosen template and is generating');
select results_eq(
  $$ select j.kind::text, j.status::text, j.company, j.owner_id::text from public.render_jobs j
     where j.id = (select (result ->> 'job_id')::uuid from m where name = 'day_gold') $$,
  $$ values ('mockup', 'queued', 'backlite_dubai', pg_temp.uid('dubai.rep1@mmg.demo')) $$,
  'with a queued mockup job');
select is(
  (select j.payload from public.render_jobs j where j.id = (select (result ->> 'job_id')::uuid from m where name = 'day_gold')),
  (select jsonb_build_object(
     'mockup_id', (select result ->> 'mockup_id' from m where name = 'day_gold'),
     'company', 'backlite_dubai',
     'photo_path', f.photo_path,
     'frames', f.frames_data,
     'photo_config', f.config,
     'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/one.png'),
     'config', '{"edgeBlur": 9}'::jsonb,
     'time_of_day', 'day')
   from backlite_dubai.mockup_frames f where f.photo_path = 'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png'),
  'the job payload carries everything the renderer needs: photo, frames, configs, creatives');

-- Creative counts against the chosen template.
select throws_ok(
  $$ select public.request_mockup(pg_temp.mockup_request('day', 'gold', 'one.png', 'two.png')) $$,
  '22023', 'Creative count mismatch: provided 2, but location requires 1 or 1 frame(s)',
  'two creatives do not fit a one-frame photo');
insert into m values ('day_silver', public.request_mockup(pg_temp.mockup_request('day', 'silver', 'one.png', 'two.png')));
select is((select frame_id from public.mockups where id = (select (result ->> 'mockup_id')::uuid from m where name = 'day_silver')),
  '24000000-0000-0000-0000-000000000002'::uuid, 'two creatives fit the two-frame photo, one per frame');
select throws_ok(
  $$ select public.request_mockup(pg_temp.mockup_request('day', 'silver', 'one.png', 'two.png', 'three.png')) $$,
  '22023', 'Creative count mismatch: provided 3, but location requires 1 or 2 frame(s)',
  'three creatives do not fit a two-frame photo');
select lives_ok(
  $$ select public.request_mockup(pg_temp.mockup_request('day', 'silver', 'one.png')) $$,
  'one creative fits any photo: it goes on every frame');
insert into m select 'fit_' || n, public.request_mockup(pg_temp.mockup_request('all', 'silver', 'one.png', 'two.png', 'three.png'))
  from generate_series(1, 6) n;
select is(
  (select array_agg(distinct mk.frame_id) from m join public.mockups mk on mk.id = (m.result ->> 'mockup_id')::uuid where m.name like 'fit\_%'),
  array['24000000-0000-0000-0000-000000000003'::uuid],
  'with several matching photos the one the creatives fit is chosen, every time');
insert into m select 'any_' || n, public.request_mockup(pg_temp.mockup_request('all', 'all', 'one.png'))
  from generate_series(1, 10) n;
select is(
  (select count(*)::int from m
   join public.mockups mk on mk.id = (m.result ->> 'mockup_id')::uuid
   join backlite_dubai.mockup_frames f on f.id = mk.frame_id and f.location_id = (select id from backlite_dubai.locations where location_key = 'dubai_gateway')
   where m.name like 'any\_%'),
  10, '"all" picks among the photos of the location');
select is(
  (select count(*)::int from public.mockups mk
   join public.render_jobs j on j.kind = 'mockup' and (j.payload ->> 'mockup_id')::uuid = mk.id
   where jsonb_array_length(j.payload -> 'frames') = (select jsonb_array_length(f.frames_data) from backlite_dubai.mockup_frames f where f.id = mk.frame_id)),
  (select count(*)::int from public.mockups),
  'every job renders exactly the template its mockup was validated against');

-- Other refusals.
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'time_of_day', 'day', 'side', 'gold',
       'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep2@mmg.demo') || '/creatives/theirs.png'))) $$,
  '42501', format('creative_paths[1]: "%s/creatives/theirs.png" is not in your uploads folder (%s/…)',
                  pg_temp.uid('dubai.rep2@mmg.demo'), pg_temp.uid('dubai.rep1@mmg.demo')),
  'a creative from someone else''s folder is refused');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway',
       'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/../' || pg_temp.uid('dubai.rep2@mmg.demo') || '/creatives/theirs.png'))) $$,
  '42501', null, 'so is one that climbs out of the caller''s folder');
select throws_ok(
  $$ select public.request_mockup(pg_temp.mockup_request('day', 'gold', 'missing.png')) $$,
  '22023', format('creative_paths[1]: no uploaded file "%s/creatives/missing.png"', pg_temp.uid('dubai.rep1@mmg.demo')),
  'a creative that was never uploaded is refused');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'creative_paths', '[]'::jsonb)) $$,
  '22023', 'creative_paths: at least one uploaded creative is required', 'at least one creative');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'cromwell_road_screen',
       'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/one.png'))) $$,
  '22023', 'unknown location "cromwell_road_screen"', 'another company''s location is unknown');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'environment', 'indoor',
       'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/one.png'))) $$,
  '22023', 'no mockup photo of "dubai_gateway" matches indoor', 'a location without a matching photo says so');
select throws_ok(
  $$ select public.request_mockup(pg_temp.mockup_request('day', 'purple', 'one.png')) $$,
  '22023', 'side: must be gold, silver, single_side or all, got "purple"', 'an unknown side is refused');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'config', '[1]'::jsonb,
       'creative_paths', jsonb_build_array(pg_temp.uid('dubai.rep1@mmg.demo') || '/creatives/one.png'))) $$,
  '22023', 'config: must be an object of effect settings', 'effect settings are an object');
select is((select count(*)::int from public.mockups), 19, 'refused requests record nothing');

-- Who sees and who may.
select pg_temp.sign_in('dubai.lead@mmg.demo');
select is((select count(*)::int from public.mockups), 19, 'the team leader sees the rep''s mockups');
select pg_temp.sign_in('uk.rep@mmg.demo');
select is((select count(*)::int from public.mockups) + (select count(*)::int from public.render_jobs), 0,
  'another company''s rep sees neither mockups nor jobs');
select pg_temp.sign_in('viewer@mmg.demo');
select throws_ok(
  $$ select public.request_mockup(jsonb_build_object('location', 'dubai_gateway', 'creative_paths', '["x/y.png"]'::jsonb)) $$,
  '42501', 'generating a mockup needs sales:mockups:generate', 'a viewer cannot generate mockups');

-- The renderer finishes the mockup.
reset role;
set local role service_role;
create temp table mockup_lease on commit drop as
  select c.id, c.lease_token from public.claim_render_job((select (result ->> 'job_id')::uuid from m where name = 'day_gold')) c;
select throws_ok(
  $$ select public.complete_render_job((select id from mockup_lease), (select lease_token from mockup_lease), '{"pdf_path": "x.pdf"}') $$,
  '22023', 'result.output_path: required to complete a mockup job', 'a mockup job completes with its image path');
select is(public.complete_render_job((select id from mockup_lease), (select lease_token from mockup_lease),
          jsonb_build_object('output_path', pg_temp.uid('dubai.rep1@mmg.demo') || '/' || (select result ->> 'mockup_id' from m where name = 'day_gold') || '.jpg')),
  true, 'the renderer completes the mockup job');
select results_eq(
  $$ select status::text, output_path from public.mockups where id = (select (result ->> 'mockup_id')::uuid from m where name = 'day_gold') $$,
  $$ select 'ready', pg_temp.uid('dubai.rep1@mmg.demo') || '/' || (select result ->> 'mockup_id' from m where name = 'day_gold') || '.jpg' $$,
  'the mockup is ready with its image');
create temp table mockup_lease2 on commit drop as
  select c.id, c.lease_token from public.claim_render_job((select (result ->> 'job_id')::uuid from m where name = 'day_silver')) c;
select is(public.fail_render_job((select id from mockup_lease2), (select lease_token from mockup_lease2), 'creative is not an image', false),
  true, 'a mockup job fails for good');
select is((select status::text from public.mockups where id = (select (result ->> 'mockup_id')::uuid from m where name = 'day_silver')),
  'failed', 'and its mockup is marked failed');
select is((select status::text from public.mockups where output_path is null and status = 'ready' limit 1), null,
  'no mockup claims to be ready without an image');

select * from finish();
rollback;
