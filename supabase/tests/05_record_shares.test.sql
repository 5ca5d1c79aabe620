-- Record shares (level 4): read < read_write < full, optional expiry checked at query time,
-- team shares reach every member, and only the owner or a full holder may share.
begin;
select plan(30);

insert into auth.users (id, email) values
  ('55555555-0000-0000-0000-000000000001', 'owner@mmg.test'),
  ('55555555-0000-0000-0000-000000000002', 'reader@mmg.test'),
  ('55555555-0000-0000-0000-000000000003', 'editor@mmg.test'),
  ('55555555-0000-0000-0000-000000000004', 'partner@mmg.test'),
  ('55555555-0000-0000-0000-000000000005', 'lapsed@mmg.test'),
  ('55555555-0000-0000-0000-000000000006', 'teammate@mmg.test'),
  ('55555555-0000-0000-0000-000000000007', 'stranger@mmg.test');
insert into public.user_companies (user_id, company_id)
  select u.id, c.id from public.users u, public.companies c
  where u.email like '%@mmg.test' and c.slug = 'backlite_dubai';
insert into public.teams (id, name, display_name) values
  ('55555555-7ea0-0000-0000-000000000001', 't05_events_desk', 'Events desk');
insert into public.team_members (team_id, user_id) values
  ('55555555-7ea0-0000-0000-000000000001', '55555555-0000-0000-0000-000000000006');

insert into public.proposals (id, owner_id, company, client_name) values
  ('55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000001', 'backlite_dubai', 'Emaar'),
  ('55555555-9909-0000-0000-000000000002', '55555555-0000-0000-0000-000000000001', 'backlite_dubai', 'Nakheel');

-- The owner shares proposal 1 at each level.
set local role authenticated;
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000001", "role": "authenticated"}';
select lives_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id, access) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000002', 'read'),
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000003', 'read_write'),
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000004', 'full') $$,
  'the owner shares a proposal at read, read_write and full');
select lives_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_team_id, access) values
       ('proposal', '55555555-9909-0000-0000-000000000002', '55555555-7ea0-0000-0000-000000000001', 'read') $$,
  'the owner shares a proposal with a team');
select is(
  (select shared_by from public.record_shares where shared_with_user_id = '55555555-0000-0000-0000-000000000002'),
  '55555555-0000-0000-0000-000000000001'::uuid,
  'shared_by is always the caller');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id, access) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000002', 'full') $$,
  '23505', null,
  'sharing the same record with the same user twice is a unique violation');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id, shared_with_team_id) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007',
        '55555555-7ea0-0000-0000-000000000001') $$,
  '22023', null,
  'a share has exactly one receiver');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id, expires_at) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007', now() - interval '1 day') $$,
  '22023', null,
  'a share cannot be created already expired');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('invoice', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007') $$,
  '22023', 'unknown record type "invoice"',
  'unknown record types are rejected by name');

select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('render_job', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007') $$,
  '22023', 'records of type "render_job" cannot be shared',
  'render jobs and AI costs are not shareable');

-- An expired share, as a seed would record it.
reset role;
insert into public.record_shares (record_type, record_id, shared_with_user_id, access, expires_at, shared_by) values
  ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000005', 'full',
   now() - interval '1 minute', '55555555-0000-0000-0000-000000000001');

-- read
set local role authenticated;
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select client_name from public.proposals), 'Emaar', 'a read share makes the proposal visible');
select is(
  (select count(*)::int from public.proposal_items), 0,
  'items follow their proposal (none here, and no error)');
with changed as (update public.proposals set client_name = 'x' returning 1)
select is(count(*)::int, 0, 'a read share does not allow updates') from changed;
select ok(not public.can_access('proposal', '55555555-9909-0000-0000-000000000001', 'read_write'),
  'can_access: read share is below read_write');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007') $$,
  '42501', 'you may share this proposal only if you own it or hold full access to it',
  'a read holder cannot re-share');

-- read_write
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000003", "role": "authenticated"}';
with changed as (update public.proposals set client_name = 'Emaar Properties' returning 1)
select is(count(*)::int, 1, 'a read_write share allows updates') from changed;
with gone as (delete from public.proposals returning 1)
select is(count(*)::int, 0, 'a read_write share does not allow deletion') from gone;
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007') $$,
  '42501', null,
  'a read_write holder cannot re-share');

-- full
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000004", "role": "authenticated"}';
select ok(public.can_access('proposal', '55555555-9909-0000-0000-000000000001', 'full'), 'a full share gives full access');
select lives_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000007') $$,
  'a full holder may share further');

-- expired
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000005", "role": "authenticated"}';
select is((select count(*)::int from public.proposals), 0, 'an expired share shows nothing, without any cleanup');
select ok(not public.can_access('proposal', '55555555-9909-0000-0000-000000000001', 'read'), 'can_access ignores expired shares');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id) values
       ('proposal', '55555555-9909-0000-0000-000000000001', '55555555-0000-0000-0000-000000000005') $$,
  '42501', null,
  'an expired full share does not allow sharing');

-- team share
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000006", "role": "authenticated"}';
select is((select client_name from public.proposals), 'Nakheel', 'a team share reaches the team''s members');

-- stranger: received proposal 1 from the full holder, read only; nothing of proposal 2.
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000007", "role": "authenticated"}';
select is((select count(*)::int from public.proposals), 1, 'a re-shared read grant works for its receiver');
select throws_ok(
  $$ insert into public.record_shares (record_type, record_id, shared_with_user_id, access) values
       ('proposal', '55555555-9909-0000-0000-000000000002', '55555555-0000-0000-0000-000000000007', 'full') $$,
  '42501', null,
  'nobody can share a record they cannot see to themselves');
select is(
  (select count(*)::int from public.record_shares where record_id = '55555555-9909-0000-0000-000000000002'),
  0,
  'strangers do not see the shares of records they have no access to');

-- The owner revokes; the revoked user loses access at once.
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000001", "role": "authenticated"}';
delete from public.record_shares where shared_with_user_id = '55555555-0000-0000-0000-000000000002';
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select count(*)::int from public.proposals), 0, 'revoking a share removes access');

-- Deleting with a full share, then the audit trail.
set local request.jwt.claims = '{"sub": "55555555-0000-0000-0000-000000000004", "role": "authenticated"}';
with gone as (delete from public.proposals where id = '55555555-9909-0000-0000-000000000001' returning 1)
select is(count(*)::int, 1, 'a full share allows deletion') from gone;

reset role;
select is(
  (select count(*)::int from public.audit_log where action = 'record_share.granted'
     and new_data ->> 'record_id' like '55555555-9909-%'),
  6,
  'every share is audited');
select is(
  (select count(*)::int from public.audit_log where action = 'record_share.revoked'
     and target_user_id = '55555555-0000-0000-0000-000000000002'),
  1,
  'revoking a share is audited');
select is(
  (select count(*)::int from public.audit_log where action = 'proposal.deleted'
     and old_data ->> 'client_name' = 'Emaar Properties'),
  1,
  'deleting a proposal keeps a copy in the audit log');

select * from finish();
rollback;
