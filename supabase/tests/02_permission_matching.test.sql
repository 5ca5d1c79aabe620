-- Permission matching (spec §6.1): one matcher, wildcards per position, manage implies every
-- action of the same module:resource, malformed strings rejected.
begin;
select plan(27);

-- The matcher itself.
select ok(private.permission_matches('sales:proposals:read', 'sales:proposals:read'), 'an exact grant matches');
select ok(private.permission_matches('*:*:*', 'core:system:admin'), '*:*:* matches everything');
select ok(private.permission_matches('sales:*:*', 'sales:mockups:setup'), 'sales:*:* matches any sales permission');
select ok(not private.permission_matches('sales:*:*', 'core:users:read'), 'sales:*:* does not match another module');
select ok(private.permission_matches('*:proposals:read', 'sales:proposals:read'), 'a * module matches any module');
select ok(private.permission_matches('sales:proposals:*', 'sales:proposals:delete'), 'a * action matches any action');
select ok(private.permission_matches('sales:proposals:manage', 'sales:proposals:delete'), 'manage implies delete on the same resource');
select ok(private.permission_matches('sales:proposals:manage', 'sales:proposals:export'), 'manage implies any action on the same resource');
select ok(not private.permission_matches('sales:proposals:manage', 'sales:mockups:read'), 'manage does not reach another resource');
select ok(not private.permission_matches('sales:proposals:read', 'sales:proposals:update'), 'read does not imply update');
select ok(not private.permission_matches('sales:proposals:read', 'sales:proposals:*'), 'a * in the wanted permission is only covered by a * grant');
select ok(not private.permission_matches('sales:proposals:read', '*:*:*'), 'only a super grant covers *:*:*');

-- Fixtures: a sales user, a sales manager, an admin.
insert into auth.users (id, email) values
  ('22222222-0000-0000-0000-000000000001', 'rep@mmg.test'),
  ('22222222-0000-0000-0000-000000000002', 'manager@mmg.test'),
  ('22222222-0000-0000-0000-000000000003', 'admin@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'sales_manager')
  where id = '22222222-0000-0000-0000-000000000002';
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '22222222-0000-0000-0000-000000000003';

set local role authenticated;
set local request.jwt.claims = '{"sub": "22222222-0000-0000-0000-000000000001", "role": "authenticated"}';
select ok(public.has_permission('sales:proposals:create'), 'a sales user may create proposals');
select ok(not public.has_permission('sales:mockups:setup'), 'a sales user may not set up mockups');
select ok(not public.has_permission('sales:proposals:delete'), 'a sales user has no delete permission');
select ok(not public.has_permission('*:*:*'), 'a sales user is not a super-admin');
select throws_ok($$ select public.has_permission('sales:proposals') $$, '22023',
  'malformed permission "sales:proposals": expected module:resource:action (lower-case words or *)',
  'a permission with two parts is rejected with a message naming it');
select throws_ok($$ select public.has_permission('Sales:Proposals:Read') $$, '22023', null,
  'upper-case permissions are rejected');
select throws_ok($$ select public.has_permission(null) $$, '22023', null, 'a null permission is rejected');

set local request.jwt.claims = '{"sub": "22222222-0000-0000-0000-000000000002", "role": "authenticated"}';
select ok(public.has_permission('sales:mockups:setup'), 'sales:*:* lets a sales manager set up mockups');
select ok(not public.has_permission('core:system:admin'), 'but is not an admin');

set local request.jwt.claims = '{"sub": "22222222-0000-0000-0000-000000000003", "role": "authenticated"}';
select ok(public.has_permission('video:review:final'), '*:*:* grants any permission');
select ok((public.my_context() ->> 'is_admin')::boolean, 'my_context reports an admin');

select throws_ok(
  $$ insert into public.profile_permissions (profile_id, permission)
     select id, 'sales;proposals;read' from public.profiles where name = 'viewer' $$,
  '22023', null,
  'granting a malformed permission is rejected');
select throws_ok(
  $$ insert into public.permissions (permission) values ('sales:*:read') $$,
  '23514', null,
  'the catalogue holds only concrete permissions');

-- Anti-escalation: a sales manager allowed to edit profiles still cannot grant what they lack.
reset role;
insert into public.profile_permissions (profile_id, permission)
  select id, 'core:profiles:update' from public.profiles where name = 'sales_manager';
set local role authenticated;
set local request.jwt.claims = '{"sub": "22222222-0000-0000-0000-000000000002", "role": "authenticated"}';
select throws_ok(
  $$ insert into public.profile_permissions (profile_id, permission)
     select id, 'core:system:admin' from public.profiles where name = 'sales_manager' $$,
  '42501', null,
  'nobody can grant a permission they do not hold');
select lives_ok(
  $$ insert into public.profile_permissions (profile_id, permission)
     select id, 'sales:reports:export' from public.profiles where name = 'viewer' $$,
  'a profile editor can grant permissions they hold');

select * from finish();
rollback;
