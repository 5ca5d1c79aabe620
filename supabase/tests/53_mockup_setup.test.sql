-- Mockup setup: save_location_photo_frames writes a photo and its frames only for people with
-- sales:mockups:setup in that company, refuses bad input with nothing written, replaces a
-- photo's frames when saved again, and the result is a template request_mockup can use.
begin;
select plan(25);

create or replace function pg_temp.act_as(_user uuid) returns void language plpgsql as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', json_build_object('sub', _user, 'role', 'authenticated')::text, true);
  perform set_config('role', 'authenticated', true);
end
$$;

create or replace function pg_temp.frame_rows(_path text) returns integer language sql as $$
  select count(*)::integer from backlite_dubai.mockup_frames where photo_path = _path
$$;
create or replace function pg_temp.photo_rows(_path text) returns integer language sql as $$
  select count(*)::integer from backlite_dubai.location_photos where storage_path = _path
$$;

-- Layla (Dubai sales lead) is given the template set, which holds sales:mockups:setup; Karim
-- (Dubai sales rep) is not. Two photos are "uploaded" (object rows, as Storage would write them).
insert into public.user_permission_sets (user_id, set_id)
select '1805b448-86be-4079-a1d0-bcbc35386ce4', id from public.permission_sets where name = 'manage_templates';
insert into storage.objects (bucket_id, name, owner) values
  ('location-photos', 'backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png', '1805b448-86be-4079-a1d0-bcbc35386ce4'),
  ('location-photos', 'backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg', '1805b448-86be-4079-a1d0-bcbc35386ce4'),
  ('location-photos', 'backlite_uk/westway_gantry/outdoor/day/gold/setup-test-3.png', '1805b448-86be-4079-a1d0-bcbc35386ce4');

-- Permission ------------------------------------------------------------------------------------
select pg_temp.act_as('65767ab5-a881-4ea5-ab7b-3579e3ec7ff5');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '42501', 'setting up mockup frames in backlite_dubai needs sales:mockups:setup in that company',
  'a sales rep without sales:mockups:setup cannot save frames');
select is(pg_temp.frame_rows('backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png'), 0, 'and nothing was written');
select throws_ok(
  $$ select public.delete_location_photo_frames('backlite_dubai', 'backlite_dubai/dubai_gateway/outdoor/day/gold/DubaiGateway_1.png') $$,
  '42501', null,
  'nor remove a template');

select pg_temp.act_as('1805b448-86be-4079-a1d0-bcbc35386ce4');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_uk', 'westway_gantry',
       '{"storage_path": "backlite_uk/westway_gantry/outdoor/day/gold/setup-test-3.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "gold"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '42501', 'setting up mockup frames in backlite_uk needs sales:mockups:setup in that company',
  'the setup permission does not reach a company the user does not work for');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'westway_gantry',
       '{"storage_path": "backlite_dubai/westway_gantry/outdoor/day/gold/x.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "gold"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '22023', 'unknown location "westway_gantry" in backlite_dubai',
  'another company''s location is not found under the user''s company');

-- Bad input, nothing written --------------------------------------------------------------------
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}, {"points": [[0,0],[100,0],[200,0],[300,0]]}]') $$,
  '22023', 'frames[2]: the 4 points must form a convex quadrilateral with no three on a line',
  'a degenerate second frame is refused by position');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400]]}]') $$,
  '22023', 'frames[1]: needs exactly 4 points',
  'three points are refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[900,120],[520,400],[90,380]]}]') $$,
  '22023', 'frames[1]: point [900, 120] lies outside the 800x600 photo',
  'a corner outside the photo is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]], "config": {"lightDirection": "top"}}]') $$,
  '22023', 'frames[1].config: unknown effect parameter "lightDirection"',
  'an effect the renderer does not know is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]], "config": {"brightness": 250}}]') $$,
  '22023', 'frames[1].config: brightness must be from 0 to 200, got 250',
  'an effect value outside its range is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "dusk", "side": "silver"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '22023', 'photo.time_of_day: an outdoor photo is day or night, got "dusk"',
  'an unknown time of day is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/jumeirah_beach_screen/outdoor/day/gold/a.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "gold"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '22023', 'photo.storage_path: must start with "backlite_dubai/dubai_gateway/", got "backlite_dubai/jumeirah_beach_screen/outdoor/day/gold/a.png"',
  'a photo path of another location is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/../../backlite_uk/x.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "gold"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '22023', 'photo.storage_path: "backlite_dubai/dubai_gateway/../../backlite_uk/x.png" is not a plain object name',
  'path traversal is refused');
select throws_ok(
  $$ select public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
       '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/gold/never-uploaded.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "gold"}',
       '[{"points": [[100,100],[500,120],[520,400],[90,380]]}]') $$,
  '22023', 'photo.storage_path: no uploaded photo "backlite_dubai/dubai_gateway/outdoor/day/gold/never-uploaded.png" in the location-photos bucket',
  'a photo that was never uploaded is refused');
select is(pg_temp.frame_rows('backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png')
          + pg_temp.photo_rows('backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png'), 0,
  'none of the refused saves wrote a photo or a frame');

-- Happy path --------------------------------------------------------------------------------------
select is(
  public.save_location_photo_frames('backlite_dubai', 'Dubai_Gateway',
    '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "day", "side": "silver", "config": {"edge_blur": 5}}',
    '[{"points": [[100,100],[500,120],[520,400],[90,380]], "config": {"brightness": 110}}, {"points": [[600,100],[780,100],[780,300],[600,300]]}]')
    - 'photo_id' - 'frames_id',
  '{"company": "backlite_dubai", "location_key": "dubai_gateway", "photo_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png",
    "environment": "outdoor", "time_of_day": "day", "side": "silver", "frame_count": 2, "replaced": false}'::jsonb,
  'a setup user saves a photo with two frames');
select is(
  (select jsonb_build_object('frames', frames_data, 'config', config, 'side', side)
   from public.all_mockup_frames where photo_path = 'backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png'),
  '{"frames": [{"points": [[100,100],[500,120],[520,400],[90,380]], "config": {"brightness": 110}}, {"points": [[600,100],[780,100],[780,300],[600,300]]}],
    "config": {"edge_blur": 5}, "side": "silver"}'::jsonb,
  'the template is readable with its frames, effects and variant');
select is(
  (select jsonb_build_object('w', width_px, 'h', height_px, 'by', created_by) from backlite_dubai.location_photos
   where storage_path = 'backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png'),
  '{"w": 800, "h": 600, "by": "1805b448-86be-4079-a1d0-bcbc35386ce4"}'::jsonb,
  'the photo row records its size and who added it');

select is(
  public.save_location_photo_frames('backlite_dubai', 'dubai_gateway',
    '{"storage_path": "backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png", "width_px": 800, "height_px": 600, "time_of_day": "night", "side": "silver"}',
    '[{"points": [[120,110],[500,120],[520,400],[90,380]]}]') ->> 'replaced',
  'true',
  'saving the same photo again replaces its template');
select is(
  (select jsonb_agg(jsonb_build_object('n', jsonb_array_length(frames_data), 'tod', time_of_day))
   from backlite_dubai.mockup_frames where photo_path = 'backlite_dubai/dubai_gateway/outdoor/day/silver/setup-test-1.png'),
  '[{"n": 1, "tod": "night"}]'::jsonb,
  'one template row remains, with the new frames and time of day');
set local role postgres;
select is(
  (select count(*)::int from public.audit_log where action in ('mockup_frames.created', 'mockup_frames.replaced')
     and metadata ->> 'photo_id' is not null and actor_id = '1805b448-86be-4079-a1d0-bcbc35386ce4'),
  2, 'both saves are in the audit log under the user');
select pg_temp.act_as('1805b448-86be-4079-a1d0-bcbc35386ce4');

select is(
  public.save_location_photo_frames('backlite_dubai', 'marina_mega_screen',
    '{"storage_path": "backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg", "environment": "indoor", "width_px": 640, "height_px": 480, "time_of_day": "night"}',
    '[{"points": [[10,10],[600,20],[610,470],[5,460]]}]') ->> 'time_of_day',
  null,
  'an indoor photo has no time of day or side');

-- The saved template is usable: a generating user's request picks it.
select pg_temp.act_as('65767ab5-a881-4ea5-ab7b-3579e3ec7ff5');
insert into storage.objects (bucket_id, name, owner) values
  ('uploads', '65767ab5-a881-4ea5-ab7b-3579e3ec7ff5/creatives/setup-test.png', '65767ab5-a881-4ea5-ab7b-3579e3ec7ff5');
create temp table requested on commit drop as
select public.request_mockup(
  '{"location": "marina_mega_screen", "company": "backlite_dubai", "environment": "indoor", "creative_paths": ["65767ab5-a881-4ea5-ab7b-3579e3ec7ff5/creatives/setup-test.png"]}') as r;
select is(
  (select m.photo_path from public.mockups m join requested on m.id = (requested.r ->> 'mockup_id')::uuid),
  'backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg',
  'a mockup request for the location uses the new template');

select pg_temp.act_as('1805b448-86be-4079-a1d0-bcbc35386ce4');
select is(
  public.delete_location_photo_frames('backlite_dubai', 'backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg') ->> 'photo_path',
  'backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg',
  'a setup user removes a template');
select is((select count(*)::int from backlite_dubai.mockup_frames where photo_path = 'backlite_dubai/marina_mega_screen/indoor/setup-test-2.jpg'),
  0, 'and it is gone');

select * from finish();
rollback;
