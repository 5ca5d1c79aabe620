-- Permission sets (level 2): additive grants with expiry. An expired or inactive set grants
-- nothing the moment it lapses, with no cleanup job having run.
begin;
select plan(16);

insert into auth.users (id, email) values
  ('33333333-0000-0000-0000-000000000001', 'rep@mmg.test'),
  ('33333333-0000-0000-0000-000000000002', 'other.rep@mmg.test'),
  ('33333333-0000-0000-0000-000000000003', 'useradmin@mmg.test');

insert into public.permission_sets (id, name, display_name) values
  ('33333333-5e75-0000-0000-000000000001', 't03_bulk_delete', 'Bulk delete'),
  ('33333333-5e75-0000-0000-000000000002', 't03_rate_card_editor', 'Rate card editor'),
  ('33333333-5e75-0000-0000-000000000003', 't03_super_powers', 'Super powers');
insert into public.permission_set_permissions (set_id, permission) values
  ('33333333-5e75-0000-0000-000000000001', 'sales:proposals:delete'),
  ('33333333-5e75-0000-0000-000000000002', 'sales:rate_cards:manage'),
  ('33333333-5e75-0000-0000-000000000003', 'core:system:admin');

-- The user admin holds core:users:{read,update} and sales:*:* but not core:system:admin.
insert into public.profiles (id, name, display_name) values
  ('33333333-b0f1-0000-0000-000000000001', 't03_user_admin', 'User admin');
insert into public.profile_permissions (profile_id, permission) values
  ('33333333-b0f1-0000-0000-000000000001', 'core:users:read'),
  ('33333333-b0f1-0000-0000-000000000001', 'core:users:update'),
  ('33333333-b0f1-0000-0000-000000000001', 'sales:*:*');
update public.users set profile_id = '33333333-b0f1-0000-0000-000000000001'
  where id = '33333333-0000-0000-0000-000000000003';

-- Granted as a seed would: one live set, one that expired a minute ago.
insert into public.user_permission_sets (user_id, set_id, expires_at) values
  ('33333333-0000-0000-0000-000000000001', '33333333-5e75-0000-0000-000000000001', now() + interval '1 day'),
  ('33333333-0000-0000-0000-000000000001', '33333333-5e75-0000-0000-000000000002', now() - interval '1 minute');

set local role authenticated;
set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000001", "role": "authenticated"}';

select ok(public.has_permission('sales:proposals:delete'), 'a live permission set adds its permissions to the profile''s');
select ok(public.has_permission('sales:proposals:create'), 'profile permissions still apply');
select ok(not public.has_permission('sales:rate_cards:update'), 'an expired set grants nothing, without any cleanup');
select is(
  (select count(*)::int from public.user_permission_sets where user_id = '33333333-0000-0000-0000-000000000001'),
  2,
  'the expired assignment row is still there');
select ok(
  not (public.my_context() -> 'permissions') ? 'sales:rate_cards:manage',
  'my_context leaves out permissions of expired sets');
select is(
  jsonb_array_length(public.my_context() -> 'permission_sets'),
  1,
  'my_context lists only live sets');

reset role;
update public.permission_sets set is_active = false where name = 't03_bulk_delete';
set local role authenticated;
set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000001", "role": "authenticated"}';
select ok(not public.has_permission('sales:proposals:delete'), 'an inactive set grants nothing');

reset role;
update public.permission_sets set is_active = true where name = 't03_bulk_delete';
update public.users set is_active = false where id = '33333333-0000-0000-0000-000000000001';
set local role authenticated;
set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000001", "role": "authenticated"}';
select ok(not public.has_permission('sales:proposals:read'), 'an inactive user holds no permission at all');

-- Assigning sets through the API.
set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000003", "role": "authenticated"}';
select lives_ok(
  $$ insert into public.user_permission_sets (user_id, set_id, expires_at)
     values ('33333333-0000-0000-0000-000000000002', '33333333-5e75-0000-0000-000000000002', now() + interval '7 days') $$,
  'a user admin assigns a set whose permissions they hold');
reset role;
select is(
  (select granted_by from public.user_permission_sets
   where user_id = '33333333-0000-0000-0000-000000000002' and set_id = '33333333-5e75-0000-0000-000000000002'),
  '33333333-0000-0000-0000-000000000003'::uuid,
  'granted_by records the granting user');
set local role authenticated;
set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000003", "role": "authenticated"}';
select throws_ok(
  $$ insert into public.user_permission_sets (user_id, set_id)
     values ('33333333-0000-0000-0000-000000000002', '33333333-5e75-0000-0000-000000000003') $$,
  '42501', null,
  'nobody assigns a set containing permissions they do not hold');
select throws_ok(
  $$ insert into public.user_permission_sets (user_id, set_id, expires_at)
     values ('33333333-0000-0000-0000-000000000002', '33333333-5e75-0000-0000-000000000001', now() - interval '1 hour') $$,
  '22023', null,
  'an assignment that is already expired is rejected');

select throws_ok(
  $$ update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
     where id = '33333333-0000-0000-0000-000000000002' $$,
  '42501', 'you cannot give this profile: it includes *:*:* which you do not hold yourself',
  'a user admin cannot hand out a profile more powerful than their own');
update public.users set profile_id = (select id from public.profiles where name = 'viewer')
  where id = '33333333-0000-0000-0000-000000000002';
select is(
  (select p.name from public.users u join public.profiles p on p.id = u.profile_id
   where u.id = '33333333-0000-0000-0000-000000000002'),
  'viewer',
  'a user admin can hand out a profile whose permissions they hold');

set local request.jwt.claims = '{"sub": "33333333-0000-0000-0000-000000000002", "role": "authenticated"}';
select ok(public.has_permission('sales:rate_cards:update'), 'the assignee gets the set''s permissions at once');
select throws_ok(
  $$ insert into public.user_permission_sets (user_id, set_id)
     values ('33333333-0000-0000-0000-000000000002', '33333333-5e75-0000-0000-000000000001') $$,
  '42501', null,
  'a sales user cannot assign sets to themselves');

select * from finish();
rollback;
