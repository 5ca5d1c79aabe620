-- add_location / delete_location route writes to a company schema as the caller, so the
-- company's own policies decide; held_permissions answers with the platform's one matcher.
begin;
select plan(17);

create or replace function pg_temp.act_as(_user uuid) returns void language plpgsql as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', json_build_object('sub', _user, 'role', 'authenticated')::text, true);
  perform set_config('role', 'authenticated', true);
end
$$;

-- Demo users: an administrator and a Dubai sales user.
select pg_temp.act_as('3ddc4855-d475-4b1a-ab08-ef1d217b51d6');

select is(
  public.add_location('backlite_dubai', '{"location_key": "Test_Wall", "display_name": "Test Wall", "display_type": "static", "city": "Dubai"}') ->> 'location_key',
  'test_wall',
  'an administrator adds a location; the key is stored in lower case');
select is(
  (select company from public.all_locations where location_key = 'test_wall'),
  'backlite_dubai',
  'the new location shows up in all_locations under its company');
select throws_ok(
  $$ select public.add_location('backlite_dubai', '{"location_key": "test_wall", "display_name": "Again", "display_type": "static"}') $$,
  '23505', 'location "test_wall" already exists in backlite_dubai',
  'a duplicate key is refused by name');
select throws_ok(
  $$ select public.add_location('backlite_dubai', '{"location_key": "x1", "display_name": "X", "display_type": "static", "colour": "red"}') $$,
  '22023', 'location: unknown field(s) colour',
  'unknown fields are refused, not ignored');
select throws_ok(
  $$ select public.add_location('backlite_dubai', '{"location_key": "x2", "display_name": "X"}') $$,
  '22023', null,
  'a missing display_type is a clear input error');
select throws_ok(
  $$ select public.add_location('backlite_dubai', '{"location_key": "x3", "display_name": "X", "display_type": "neon"}') $$,
  '22023', null,
  'a bad display type is an input error');
select throws_ok(
  $$ select public.add_location('public', '{"location_key": "x4", "display_name": "X", "display_type": "static"}') $$,
  '22023', 'unknown company "public"',
  'only provisioned companies are schemas the function writes to');
select throws_ok(
  $$ select public.add_location('backlite', '{"location_key": "x5", "display_name": "X", "display_type": "static"}') $$,
  '22023', 'unknown company "backlite"',
  'a group is not a company with inventory');

-- A booking that is not over blocks deletion.
insert into backlite_dubai.location_occupations (location_id, start_date, end_date, status)
select id, current_date, current_date + 14, 'confirmed' from backlite_dubai.locations where location_key = 'test_wall';
select throws_ok(
  $$ select public.delete_location('backlite_dubai', 'test_wall') $$,
  '22023', 'location "test_wall" has 1 current or upcoming booking(s) and cannot be deleted',
  'a location with a running booking is not deleted');
update backlite_dubai.location_occupations set status = 'cancelled'
where location_id = (select id from backlite_dubai.locations where location_key = 'test_wall');
select is(
  public.delete_location('backlite_dubai', 'TEST_WALL') ->> 'display_name',
  'Test Wall',
  'with the booking cancelled the location is deleted (key matched case-insensitively)');
select is((select count(*)::int from backlite_dubai.locations where location_key = 'test_wall'), 0, 'and it is gone');
select throws_ok(
  $$ select public.delete_location('backlite_dubai', 'test_wall') $$,
  '22023', 'unknown location "test_wall" in backlite_dubai',
  'deleting an unknown key says so');

-- A sales user holds neither permission.
select pg_temp.act_as('65767ab5-a881-4ea5-ab7b-3579e3ec7ff5');
select throws_ok(
  $$ select public.add_location('backlite_dubai', '{"location_key": "rep_wall", "display_name": "Rep Wall", "display_type": "static"}') $$,
  '42501', 'adding a location to backlite_dubai needs assets:locations:create in that company',
  'a sales user cannot add locations');
select throws_ok(
  $$ select public.delete_location('backlite_dubai', 'dubai_gateway') $$,
  '42501', 'deleting a location of backlite_dubai needs assets:locations:delete in that company',
  'a sales user cannot delete locations');
select is(
  public.held_permissions(array['sales:chat:use', 'assets:locations:create', 'sales:proposals:create', 'sales:chat:use']),
  array['sales:chat:use', 'sales:proposals:create'],
  'held_permissions keeps the given order, drops what is not held and duplicates');
select throws_ok(
  $$ select public.held_permissions(array['sales.chat.use']) $$,
  '22023', null,
  'a malformed permission is an error, not a silent false');

select pg_temp.act_as('3ddc4855-d475-4b1a-ab08-ef1d217b51d6');
select is(
  public.held_permissions(array['assets:locations:delete', 'core:ai_costs:manage']),
  array['assets:locations:delete', 'core:ai_costs:manage'],
  'an administrator (*:*:*) holds everything asked about');

select * from finish();
rollback;
