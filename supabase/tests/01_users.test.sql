-- Users: public.users rows follow auth.users (create, sync, cascade) and people cannot raise
-- their own privileges by editing their row.
begin;
select plan(16);

insert into auth.users (id, email, raw_user_meta_data, aud, role) values
  ('11111111-0000-0000-0000-000000000001', 'layla@mmg.test', '{"name": "Layla Nasser", "avatar_url": "https://img.test/l.png"}', 'authenticated', 'authenticated'),
  ('11111111-0000-0000-0000-000000000002', 'karim.saleh@mmg.test', null, 'authenticated', 'authenticated'),
  ('11111111-0000-0000-0000-000000000003', 'admin@mmg.test', '{"name": "Amira"}', 'authenticated', 'authenticated');
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '11111111-0000-0000-0000-000000000003';

select is(
  (select name from public.users where id = '11111111-0000-0000-0000-000000000001'),
  'Layla Nasser',
  'a new auth user gets a profile row named from its metadata');
select is(
  (select name from public.users where id = '11111111-0000-0000-0000-000000000002'),
  'karim.saleh',
  'without a metadata name the email''s local part becomes the name');
select is(
  (select avatar_url from public.users where id = '11111111-0000-0000-0000-000000000001'),
  'https://img.test/l.png',
  'the avatar comes from the auth metadata');
select is(
  (select p.name from public.users u join public.profiles p on p.id = u.profile_id
   where u.id = '11111111-0000-0000-0000-000000000002'),
  'sales_user',
  'new users get the sales_user profile');
select ok(
  (select is_active from public.users where id = '11111111-0000-0000-0000-000000000002'),
  'new users are active');

update auth.users set email = 'layla.nasser@mmg.test', raw_user_meta_data = '{"name": "Layla N."}'
  where id = '11111111-0000-0000-0000-000000000001';
select is(
  (select email || ' / ' || name from public.users where id = '11111111-0000-0000-0000-000000000001'),
  'layla.nasser@mmg.test / Layla N.',
  'email and name follow changes in auth.users');

-- As Karim (sales_user).
set local role authenticated;
set local request.jwt.claims = '{"sub": "11111111-0000-0000-0000-000000000002", "role": "authenticated"}';

select is(
  (select count(*)::int from public.users),
  1,
  'a sales user sees only their own user row');
select lives_ok(
  $$ update public.users set name = 'Karim Saleh' where id = '11111111-0000-0000-0000-000000000002' $$,
  'people can rename themselves');
select throws_ok(
  $$ update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
     where id = '11111111-0000-0000-0000-000000000002' $$,
  '42501', null,
  'people cannot change their own profile');
select throws_ok(
  $$ update public.users set is_active = false where id = '11111111-0000-0000-0000-000000000002' $$,
  '42501', null,
  'people cannot change their own active flag');
select is(
  (select count(*)::int from public.users where id = '11111111-0000-0000-0000-000000000001'),
  0,
  'other users'' rows are invisible without core:users:read');
select throws_ok(
  $$ insert into public.users (id, email, name) values (gen_random_uuid(), 'x@y.test', 'x') $$,
  '42501', null,
  'API users cannot create user rows directly');

-- As the admin.
reset role;
set local role authenticated;
set local request.jwt.claims = '{"sub": "11111111-0000-0000-0000-000000000003", "role": "authenticated"}';

select lives_ok(
  $$ update public.users set profile_id = (select id from public.profiles where name = 'viewer')
     where id = '11111111-0000-0000-0000-000000000002' $$,
  'user admins can change someone''s profile');

reset role;
select is(
  (select count(*)::int from public.audit_log
   where action = 'user.profile_changed' and target_user_id = '11111111-0000-0000-0000-000000000002'
     and actor_id = '11111111-0000-0000-0000-000000000003'),
  1,
  'a profile change is audited with its actor');

delete from auth.users where id = '11111111-0000-0000-0000-000000000002';
select is(
  (select count(*)::int from public.users where id = '11111111-0000-0000-0000-000000000002'),
  0,
  'deleting the auth user deletes the profile row');
select is(
  (select count(*)::int from private.user_access where user_id = '11111111-0000-0000-0000-000000000002'),
  0,
  'and its resolved access');

select * from finish();
rollback;
