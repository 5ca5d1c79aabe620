-- Invites: admin-only creation with a one-time plaintext token (only its hash is stored);
-- redemption only by the signed-in user with the invited email, once, before expiry and
-- revocation; redemption applies profile, companies, teams and permission sets.
begin;
select plan(25);

insert into auth.users (id, email) values
  ('77777777-0000-0000-0000-000000000001', 'admin@mmg.test'),
  ('77777777-0000-0000-0000-000000000002', 'new.hire@mmg.test'),
  ('77777777-0000-0000-0000-000000000003', 'someone.else@mmg.test'),
  ('77777777-0000-0000-0000-000000000004', 'late@mmg.test'),
  ('77777777-0000-0000-0000-000000000005', 'revoked@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '77777777-0000-0000-0000-000000000001';
insert into public.teams (id, name, display_name) values
  ('77777777-7ea0-0000-0000-000000000001', 't07_uk_sales', 'UK sales');

create temporary table invite_tokens_seen (who text primary key, invite jsonb);
grant all on invite_tokens_seen to authenticated;

-- A sales user may not invite.
set local role authenticated;
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000003", "role": "authenticated"}';
select throws_ok(
  $$ select public.create_invite('x@mmg.test') $$,
  '42501', 'only administrators can create invites',
  'only administrators can create invites');

-- The admin invites.
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000001", "role": "authenticated"}';
insert into invite_tokens_seen
  select 'new_hire', public.create_invite('New.Hire@mmg.test', 'coordinator', array['backlite'],
    '[{"team": "t07_uk_sales", "role": "leader"}]', array['data_export'], 7);
insert into invite_tokens_seen
  select 'late', public.create_invite('late@mmg.test');
insert into invite_tokens_seen
  select 'revoked', public.create_invite('revoked@mmg.test');

select is(
  (select invite ->> 'email' from invite_tokens_seen where who = 'new_hire'),
  'new.hire@mmg.test',
  'the invited email is normalised to lower case');
select ok(
  length((select invite ->> 'token' from invite_tokens_seen where who = 'new_hire')) >= 43,
  'the plaintext token is returned once, 32 random bytes');
select throws_ok(
  $$ select public.create_invite('new.hire@mmg.test') $$,
  '23505', null,
  'a second pending invite for the same email is a duplicate');
select throws_ok(
  $$ select public.create_invite('not-an-email') $$,
  '22023', 'invalid email address "not-an-email"',
  'a malformed email is rejected');
select throws_ok(
  $$ select public.create_invite('a@mmg.test', 'wizard') $$,
  '22023', 'unknown profile "wizard"',
  'an unknown profile is rejected');
select throws_ok(
  $$ select public.create_invite('a@mmg.test', 'sales_user', array['atlantis']) $$,
  '22023', 'unknown or inactive company "atlantis"',
  'an unknown company is rejected');
select throws_ok(
  $$ select public.create_invite('a@mmg.test', 'sales_user', '{}', '[{"team": "t07_uk_sales", "role": "boss"}]') $$,
  '22023', null,
  'an unknown team role is rejected');
select throws_ok(
  $$ select public.create_invite('a@mmg.test', 'sales_user', '{}', '[]', '{}', 90) $$,
  '22023', null,
  'an expiry beyond 30 days is rejected');
select lives_ok(
  $$ select public.revoke_invite((select (invite ->> 'id')::uuid from invite_tokens_seen where who = 'revoked')) $$,
  'the admin revokes an invite');

reset role;
select is(
  (select count(*)::int from private.invite_tokens t join invite_tokens_seen s on t.invite_id = (s.invite ->> 'id')::uuid
   where t.token_hash = encode(extensions.digest(s.invite ->> 'token', 'sha256'), 'hex')),
  3,
  'only the SHA-256 of each token is stored');
select is(
  (select count(*)::int from private.invite_tokens t join invite_tokens_seen s on t.invite_id = (s.invite ->> 'id')::uuid
   where t.token_hash = s.invite ->> 'token'),
  0,
  'the plaintext token is not stored');
update public.invites set expires_at = now() - interval '1 second', created_at = now() - interval '8 days'
  where email = 'late@mmg.test';

-- Someone else tries the new hire's token.
set local role authenticated;
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000003", "role": "authenticated"}';
select throws_ok(
  format('select public.redeem_invite(%L)', (select invite ->> 'token' from invite_tokens_seen where who = 'new_hire')),
  '42501', 'this invite was issued to a different email address',
  'an invite cannot be redeemed by someone with another email');
select is(
  (select p.name from public.users u join public.profiles p on p.id = u.profile_id
   where u.id = '77777777-0000-0000-0000-000000000003'),
  'sales_user',
  'and the failed attempt changed nothing');
select throws_ok(
  $$ select public.redeem_invite('not-a-real-token') $$,
  '22023', 'invite token is not valid',
  'an unknown token is rejected');

-- Expired and revoked invites.
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000004", "role": "authenticated"}';
select throws_ok(
  format('select public.redeem_invite(%L)', (select invite ->> 'token' from invite_tokens_seen where who = 'late')),
  'P0001', null,
  'an expired invite cannot be redeemed');
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000005", "role": "authenticated"}';
select throws_ok(
  format('select public.redeem_invite(%L)', (select invite ->> 'token' from invite_tokens_seen where who = 'revoked')),
  'P0001', 'this invite has been revoked',
  'a revoked invite cannot be redeemed');

-- The new hire redeems.
set local request.jwt.claims = '{"sub": "77777777-0000-0000-0000-000000000002", "role": "authenticated"}';
select lives_ok(
  format('select public.redeem_invite(%L)', (select invite ->> 'token' from invite_tokens_seen where who = 'new_hire')),
  'the invited user redeems their invite');
select is(public.my_context() -> 'profile' ->> 'name', 'coordinator', 'redeeming applies the profile');
select is(
  public.my_context() -> 'companies',
  '["backlite_abudhabi", "backlite_dubai", "backlite_uk"]'::jsonb,
  'redeeming assigns the companies (a group expands to its leaves)');
select is(
  public.my_context() -> 'teams' -> 0 ->> 'role',
  'leader',
  'redeeming adds the team membership with its role');
select ok(public.has_permission('sales:proposals:export'), 'redeeming assigns the permission sets');
select throws_ok(
  format('select public.redeem_invite(%L)', (select invite ->> 'token' from invite_tokens_seen where who = 'new_hire')),
  'P0001', 'this invite has already been used',
  'an invite works only once');

reset role;
select is(
  (select used_by from public.invites where email = 'new.hire@mmg.test'),
  '77777777-0000-0000-0000-000000000002'::uuid,
  'the invite records who used it');
select is(
  (select array_agg(a.action order by a.action) from public.audit_log a
   where a.action like 'invite.%' and a.target_id in (select s.invite ->> 'id' from invite_tokens_seen s)),
  array['invite.created', 'invite.created', 'invite.created', 'invite.redeemed', 'invite.revoked'],
  'creation, revocation and redemption are audited');

select * from finish();
rollback;
