-- Company scoping (level 5): users see only the companies assigned to them (groups expand to
-- their leaves), in the company schemas, the cross-company views and the business tables.
begin;
select plan(26);

insert into auth.users (id, email) values
  ('66666666-0000-0000-0000-000000000001', 'uk.rep@mmg.test'),
  ('66666666-0000-0000-0000-000000000002', 'dubai.rep@mmg.test'),
  ('66666666-0000-0000-0000-000000000003', 'backlite.manager@mmg.test'),
  ('66666666-0000-0000-0000-000000000004', 'viola.rep@mmg.test'),
  ('66666666-0000-0000-0000-000000000005', 'inventory@mmg.test'),
  ('66666666-0000-0000-0000-000000000006', 'admin@mmg.test');
insert into public.profiles (id, name, display_name) values
  ('66666666-b0f1-0000-0000-000000000001', 't06_inventory_manager', 'Inventory manager');
insert into public.profile_permissions (profile_id, permission) values
  ('66666666-b0f1-0000-0000-000000000001', 'assets:locations:manage'),
  ('66666666-b0f1-0000-0000-000000000001', 'sales:mockups:setup');
update public.users u set profile_id = p.id
  from (values ('66666666-0000-0000-0000-000000000003'::uuid, 'sales_manager'),
               ('66666666-0000-0000-0000-000000000005'::uuid, 't06_inventory_manager'),
               ('66666666-0000-0000-0000-000000000006'::uuid, 'system_admin')) as v (user_id, profile)
  join public.profiles p on p.name = v.profile
  where u.id = v.user_id;
insert into public.user_companies (user_id, company_id)
  select v.user_id, c.id
  from (values ('66666666-0000-0000-0000-000000000001'::uuid, 'backlite_uk'),
               ('66666666-0000-0000-0000-000000000002'::uuid, 'backlite_dubai'),
               ('66666666-0000-0000-0000-000000000003'::uuid, 'backlite'),
               ('66666666-0000-0000-0000-000000000004'::uuid, 'viola'),
               ('66666666-0000-0000-0000-000000000005'::uuid, 'backlite_dubai')) as v (user_id, slug)
  join public.companies c on c.slug = v.slug;

insert into backlite_dubai.locations (id, location_key, display_name, display_type, sov_percent, upload_fee, city) values
  ('66666666-10c0-0000-0000-000000000001', 't06_dubai_gateway', 'The Dubai Gateway', 'digital', 16.67, 2000, 'Dubai'),
  ('66666666-10c0-0000-0000-000000000002', 't06_sheikh_zayed_unipole', 'Sheikh Zayed Road Unipole', 'static', null, null, 'Dubai');
insert into backlite_uk.locations (location_key, display_name, display_type, sov_percent, city) values
  ('t06_piccadilly_screen', 'Piccadilly Screen', 'digital', 12.50, 'London');
insert into viola.locations (location_key, display_name, display_type, city) values
  ('t06_viola_04b', '04B', 'static', 'Dubai');
insert into backlite_dubai.rate_cards (location_id, valid_from, duration_weeks, net_rate) values
  ('66666666-10c0-0000-0000-000000000001', '2026-01-01', 2, 150000);

insert into public.proposals (owner_id, company, client_name) values
  ('66666666-0000-0000-0000-000000000001', 'backlite_uk', 'T06 UK client'),
  ('66666666-0000-0000-0000-000000000002', 'backlite_dubai', 'T06 Dubai client'),
  ('66666666-0000-0000-0000-000000000004', 'viola', 'T06 Viola client');

-- The UK rep.
set local role authenticated;
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000001", "role": "authenticated"}';
select is((select count(*)::int from backlite_dubai.locations where location_key like 't06_%'), 0, 'a backlite_uk user never sees backlite_dubai locations');
select is((select count(*)::int from backlite_dubai.rate_cards), 0, 'nor its rate cards');
select is((select display_name from backlite_uk.locations where location_key = 't06_piccadilly_screen'), 'Piccadilly Screen', 'they see their own company''s locations');
select is(
  array(select distinct company from public.all_locations),
  array['backlite_uk'],
  'the cross-company view shows only their company');
select ok(not public.has_company_access('backlite_dubai'), 'has_company_access: no access to backlite_dubai');
select ok(public.has_company_access('backlite_uk'), 'has_company_access: access to backlite_uk');
select throws_ok(
  $$ insert into backlite_dubai.locations (location_key, display_name, display_type) values ('x_board', 'X', 'static') $$,
  '42501', null,
  'they cannot add a location to another company');
select throws_ok(
  $$ insert into public.proposals (company, client_name) values ('backlite_dubai', 'Sneaky') $$,
  '42501', 'you have no access to company "backlite_dubai"',
  'they cannot create a proposal for another company');
select is((select count(*)::int from public.proposals), 1, 'they see only their own proposal');

-- The Backlite sales manager: assigned the backlite group, holds sales:*:* (so proposals:manage).
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000003", "role": "authenticated"}';
select is(
  public.my_context() -> 'companies',
  '["backlite_abudhabi", "backlite_dubai", "backlite_uk"]'::jsonb,
  'a group assignment expands to the group''s leaf companies');
select ok(public.has_company_access('backlite'), 'the group itself counts as accessible');
select ok(not public.has_company_access('viola'), 'a sibling company outside the group does not');
select is(
  array(select client_name from public.proposals where client_name like 'T06 %' order by client_name),
  array['T06 Dubai client', 'T06 UK client'],
  'sales:proposals:manage shows every proposal of the manager''s companies, and only those');
select is((select count(*)::int from public.all_locations where location_key like 't06_%'), 3,
  'the view unions every Backlite company schema');
select ok(not public.can_access('proposal', (select id from public.proposals where client_name = 'T06 Viola client' limit 1), 'read'),
  'manage does not reach proposals of other companies');

-- The inventory manager of backlite_dubai.
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000005", "role": "authenticated"}';
select lives_ok(
  $$ insert into backlite_dubai.locations (location_key, display_name, display_type, sov_percent, spot_duration, loop_duration)
     values ('t06_marina_screen', 'Marina Screen', 'digital', 12.5, 10, 80) $$,
  'assets:locations:manage lets them add locations to their company');
select throws_ok(
  $$ insert into backlite_uk.locations (location_key, display_name, display_type) values ('uk_board', 'UK board', 'static') $$,
  '42501', null,
  'but not to a company they cannot access');
select throws_ok(
  $$ insert into backlite_dubai.locations (location_key, display_name, display_type, sov_percent)
     values ('fraction_board', 'Fraction', 'digital', 0.125) $$,
  '23514', null,
  'SOV is stored as a percentage: a fraction like 0.125 is rejected');
select is(
  (select upload_fee from backlite_dubai.locations where location_key = 't06_sheikh_zayed_unipole'),
  null::numeric,
  'an unknown upload fee stays null rather than 0');
select lives_ok(
  $$ insert into backlite_dubai.mockup_frames (location_id, photo_path, frames_data)
     values ('66666666-10c0-0000-0000-000000000001', 'backlite_dubai/dubai_gateway/day_gold_1.jpg',
             '[{"points": [[10, 10], [410, 12], [408, 220], [12, 218]], "config": {"edge_blur": 8}}]') $$,
  'a frame with four non-negative points is accepted');
select throws_ok(
  $$ insert into backlite_dubai.mockup_frames (location_id, photo_path, frames_data)
     values ('66666666-10c0-0000-0000-000000000001', 'backlite_dubai/dubai_gateway/day_gold_2.jpg',
             '[{"points": [[10, 10], [410, 12], [408, 220]]}]') $$,
  '23514', null,
  'a frame with three points is rejected');
select throws_ok(
  $$ insert into backlite_dubai.mockup_frames (location_id, photo_path, frames_data)
     values ('66666666-10c0-0000-0000-000000000001', 'backlite_dubai/dubai_gateway/day_gold_3.jpg',
             '[{"points": [[-1, 10], [410, 12], [408, 220], [12, 218]]}]') $$,
  '23514', null,
  'a frame with a negative coordinate is rejected');

-- The Dubai rep reads inventory but cannot edit it.
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select count(*)::int from backlite_dubai.rate_cards where location_id = '66666666-10c0-0000-0000-000000000001'), 1,
  'a sales user reads their company''s rate cards');
with changed as (update backlite_dubai.locations set display_name = 'Renamed' where location_key like 't06_%' returning 1)
select is(count(*)::int, 0, 'a sales user cannot edit locations') from changed;

-- Deactivating a company hides it from its users.
reset role;
update public.companies set is_active = false where slug = 'backlite_uk';
set local role authenticated;
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000001", "role": "authenticated"}';
select is((select count(*)::int from backlite_uk.locations where location_key like 't06_%'), 0,
  'an inactive company''s inventory is hidden');

-- Admins see every company.
set local request.jwt.claims = '{"sub": "66666666-0000-0000-0000-000000000006", "role": "authenticated"}';
select is((select count(*)::int from public.all_locations where location_key like 't06_%'), 5,
  'an admin sees the locations of every company, inactive ones included');

select * from finish();
rollback;
