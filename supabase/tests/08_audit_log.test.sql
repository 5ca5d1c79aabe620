-- Audit log: append-only for every role, written by triggers for grants and revokes,
-- readable by admins only.
begin;
select plan(17);

insert into auth.users (id, email) values
  ('88888888-0000-0000-0000-000000000001', 'admin@mmg.test'),
  ('88888888-0000-0000-0000-000000000002', 'rep@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '88888888-0000-0000-0000-000000000001';

-- Grants and revokes made by the admin through the API.
set local role authenticated;
set local request.jwt.claims = '{"sub": "88888888-0000-0000-0000-000000000001", "role": "authenticated"}';
insert into public.user_companies (user_id, company_id)
  select '88888888-0000-0000-0000-000000000002', id from public.companies where slug = 'viola';
insert into public.user_permission_sets (user_id, set_id)
  select '88888888-0000-0000-0000-000000000002', id from public.permission_sets where name = 'api_access';
delete from public.user_permission_sets where user_id = '88888888-0000-0000-0000-000000000002';
insert into public.teams (id, name, display_name) values ('88888888-7ea0-0000-0000-000000000001', 't08_viola_sales', 'Viola sales');
insert into public.team_members (team_id, user_id) values ('88888888-7ea0-0000-0000-000000000001', '88888888-0000-0000-0000-000000000002');
update public.team_members set role = 'leader' where user_id = '88888888-0000-0000-0000-000000000002';

select is(
  (select count(*)::int from public.audit_log where action = 'company_assignment.granted'
     and target_user_id = '88888888-0000-0000-0000-000000000002' and actor_id = '88888888-0000-0000-0000-000000000001'),
  1,
  'a company assignment is audited with actor and target');
select is(
  (select count(*)::int from public.audit_log where action in ('permission_set_assignment.granted', 'permission_set_assignment.revoked')
     and target_user_id = '88888888-0000-0000-0000-000000000002'),
  2,
  'assigning and removing a permission set are audited');
select is(
  (select new_data ->> 'role' from public.audit_log where action = 'team_membership.changed'
     and target_user_id = '88888888-0000-0000-0000-000000000002'),
  'leader',
  'a role change in a team is audited with the new row');
select ok(
  (select count(*) from public.audit_log) > 0,
  'admins can read the audit log');

-- Immutability for authenticated users (even admins).
select throws_ok(
  $$ update public.audit_log set action = 'nothing.happened' $$,
  '42501', null,
  'authenticated users cannot update audit entries');
select throws_ok(
  $$ delete from public.audit_log $$,
  '42501', null,
  'authenticated users cannot delete audit entries');
select throws_ok(
  $$ insert into public.audit_log (action) values ('forged.entry') $$,
  '42501', null,
  'authenticated users cannot forge audit entries');

-- A sales user cannot read it.
set local request.jwt.claims = '{"sub": "88888888-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select count(*)::int from public.audit_log), 0, 'non-admins read nothing from the audit log');

-- The service role bypasses RLS but still cannot rewrite history.
reset role;
set local role service_role;
set local request.jwt.claims = '{"role": "service_role"}';
select ok((select count(*) from public.audit_log) > 0, 'the service role can read the audit log');
select throws_ok(
  $$ update public.audit_log set action = 'nothing.happened' $$,
  '42501', null,
  'the service role cannot update audit entries');
select throws_ok(
  $$ delete from public.audit_log $$,
  '42501', null,
  'the service role cannot delete audit entries');
select throws_ok(
  $$ truncate public.audit_log $$,
  '42501', null,
  'the service role cannot truncate the audit log');

-- Not even the database owner, short of dropping the trigger.
reset role;
select throws_ok(
  $$ update public.audit_log set action = 'nothing.happened' $$,
  '42501', 'audit_log is append-only: update is not allowed',
  'the owner is stopped by the append-only trigger on update');
select throws_ok(
  $$ delete from public.audit_log $$,
  '42501', 'audit_log is append-only: delete is not allowed',
  'the owner is stopped by the append-only trigger on delete');
select throws_ok(
  $$ truncate public.audit_log $$,
  '42501', null,
  'the owner is stopped by the append-only trigger on truncate');

-- Profile permission changes and team deletion are audited too.
insert into public.profile_permissions (profile_id, permission)
  select id, 'sales:reports:read' from public.profiles where name = 'viewer';
select is(
  (select new_data ->> 'permission' from public.audit_log where action = 'profile_permission.granted' order by id desc limit 1),
  'sales:reports:read',
  'granting a permission to a profile is audited');
delete from public.teams where name = 't08_viola_sales';
select is(
  (select count(*)::int from public.audit_log where action in ('team.deleted', 'team_membership.revoked')
     and (target_id = '88888888-7ea0-0000-0000-000000000001' or target_user_id = '88888888-0000-0000-0000-000000000002')),
  2,
  'deleting a team audits the team and the memberships it removed');

select * from finish();
rollback;
