-- Teams (level 3): a leader sees the records of every member of their team and of all teams
-- below it, at any depth; members do not see their leader's records; sibling leaders see
-- nothing of each other's teams.
--
--   sales_all (leader Tariq)
--   └── dubai (leader Dina)
--       ├── dubai_digital (leader Daniel, member Mona)
--       │   └── dubai_landmark (member Ghada)        ← depth 3 below sales_all
--       └── dubai_static (leader Samir)              ← sibling of dubai_digital
begin;
select plan(21);

insert into auth.users (id, email) values
  ('44444444-0000-0000-0000-00000000000a', 'tariq@mmg.test'),
  ('44444444-0000-0000-0000-00000000000b', 'dina@mmg.test'),
  ('44444444-0000-0000-0000-00000000000c', 'daniel@mmg.test'),
  ('44444444-0000-0000-0000-00000000000d', 'mona@mmg.test'),
  ('44444444-0000-0000-0000-00000000000e', 'ghada@mmg.test'),
  ('44444444-0000-0000-0000-00000000000f', 'samir@mmg.test');
insert into public.user_companies (user_id, company_id)
  select u.id, c.id from public.users u, public.companies c
  where u.email like '%@mmg.test' and c.slug = 'backlite_dubai';

insert into public.teams (id, name, display_name, parent_team_id) values
  ('44444444-7ea0-0000-0000-000000000001', 't04_sales_all', 'All sales', null),
  ('44444444-7ea0-0000-0000-000000000002', 't04_dubai', 'Dubai', '44444444-7ea0-0000-0000-000000000001'),
  ('44444444-7ea0-0000-0000-000000000003', 't04_dubai_digital', 'Dubai digital', '44444444-7ea0-0000-0000-000000000002'),
  ('44444444-7ea0-0000-0000-000000000004', 't04_dubai_landmark', 'Dubai landmark', '44444444-7ea0-0000-0000-000000000003'),
  ('44444444-7ea0-0000-0000-000000000005', 't04_dubai_static', 'Dubai static', '44444444-7ea0-0000-0000-000000000002');
insert into public.team_members (team_id, user_id, role) values
  ('44444444-7ea0-0000-0000-000000000001', '44444444-0000-0000-0000-00000000000a', 'leader'),
  ('44444444-7ea0-0000-0000-000000000002', '44444444-0000-0000-0000-00000000000b', 'leader'),
  ('44444444-7ea0-0000-0000-000000000003', '44444444-0000-0000-0000-00000000000c', 'leader'),
  ('44444444-7ea0-0000-0000-000000000003', '44444444-0000-0000-0000-00000000000d', 'member'),
  ('44444444-7ea0-0000-0000-000000000004', '44444444-0000-0000-0000-00000000000e', 'member'),
  ('44444444-7ea0-0000-0000-000000000005', '44444444-0000-0000-0000-00000000000f', 'leader');

-- One proposal per person; the id's last digit names the owner (a = Tariq … f = Samir).
insert into public.proposals (id, owner_id, company, client_name) values
  ('44444444-9909-0000-0000-00000000000a', '44444444-0000-0000-0000-00000000000a', 'backlite_dubai', 'Client of Tariq'),
  ('44444444-9909-0000-0000-00000000000b', '44444444-0000-0000-0000-00000000000b', 'backlite_dubai', 'Client of Dina'),
  ('44444444-9909-0000-0000-00000000000c', '44444444-0000-0000-0000-00000000000c', 'backlite_dubai', 'Client of Daniel'),
  ('44444444-9909-0000-0000-00000000000d', '44444444-0000-0000-0000-00000000000d', 'backlite_dubai', 'Client of Mona'),
  ('44444444-9909-0000-0000-00000000000e', '44444444-0000-0000-0000-00000000000e', 'backlite_dubai', 'Client of Ghada'),
  ('44444444-9909-0000-0000-00000000000f', '44444444-0000-0000-0000-00000000000f', 'backlite_dubai', 'Client of Samir');

-- Tariq leads the top team.
set local role authenticated;
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000a", "role": "authenticated"}';
select ok(
  exists (select 1 from public.proposals where id = '44444444-9909-0000-0000-00000000000e'),
  'the top team''s leader sees the proposal of a member three levels down');
select is((select count(*)::int from public.proposals), 6, 'the top leader sees every proposal of the tree');
select ok(public.can_access('proposal', '44444444-9909-0000-0000-00000000000e', 'full'),
  'the top leader has full access to the grand-child team member''s proposal');
with changed as (update public.proposals set client_name = 'Renamed by Tariq'
                    where id = '44444444-9909-0000-0000-00000000000e' returning 1)
select is(count(*)::int, 1,
  'the top leader can update it')
from changed;
select ok(
  exists (select 1 from public.users where id = '44444444-0000-0000-0000-00000000000e'),
  'the top leader can read the user rows of the people they lead');

-- Daniel leads dubai_digital.
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000c", "role": "authenticated"}';
select is(
  array(select client_name from public.proposals order by client_name),
  array['Client of Daniel', 'Client of Mona', 'Renamed by Tariq'],
  'a mid-level leader sees their own, their member''s and their sub-team''s proposals only');

-- Mona is a plain member of dubai_digital.
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000d", "role": "authenticated"}';
select ok(
  not exists (select 1 from public.proposals where id = '44444444-9909-0000-0000-00000000000c'),
  'a member does not see their leader''s proposal');
select ok(
  not exists (select 1 from public.proposals where id = '44444444-9909-0000-0000-00000000000e'),
  'a member does not see the sub-team''s proposals');
select is((select count(*)::int from public.proposals), 1, 'a member sees only their own proposal');
select ok(not public.can_access('proposal', '44444444-9909-0000-0000-00000000000c', 'read'),
  'can_access agrees: no read access to the leader''s proposal');
with changed as (update public.proposals set client_name = 'Hijacked'
                    where id = '44444444-9909-0000-0000-00000000000c' returning 1)
select is(count(*)::int, 0,
  'a member cannot update their leader''s proposal')
from changed;

-- Samir leads dubai_static, a sibling of dubai_digital.
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000f", "role": "authenticated"}';
select ok(
  not exists (select 1 from public.proposals where id = '44444444-9909-0000-0000-00000000000d'),
  'a sibling team''s leader does not see the other team''s member''s proposal');
select ok(
  not exists (select 1 from public.proposals where id = '44444444-9909-0000-0000-00000000000e'),
  'nor anything further down the other branch');
with gone as (delete from public.proposals where id = '44444444-9909-0000-0000-00000000000d' returning 1)
select is(count(*)::int, 0,
  'a sibling team''s leader cannot delete the other team''s proposals')
from gone;

-- Ghada, deepest member, sees nothing above her.
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000e", "role": "authenticated"}';
select is((select count(*)::int from public.proposals), 1, 'the deepest member sees only her own proposal');
select is(
  (select jsonb_agg(t ->> 'name' || ':' || (t ->> 'role')) from jsonb_array_elements(public.my_context() -> 'teams') t),
  '["t04_dubai_landmark:member"]'::jsonb,
  'my_context lists the user''s teams with their role');

reset role;
select ok(private.leads_user('44444444-0000-0000-0000-00000000000a', '44444444-0000-0000-0000-00000000000e'),
  'leads_user follows the tree down from the top');
select ok(not private.leads_user('44444444-0000-0000-0000-00000000000f', '44444444-0000-0000-0000-00000000000e'),
  'leads_user does not cross to a sibling branch');

update public.teams set is_active = false where name = 't04_dubai';
set local role authenticated;
set local request.jwt.claims = '{"sub": "44444444-0000-0000-0000-00000000000a", "role": "authenticated"}';
select is((select count(*)::int from public.proposals), 1,
  'deactivating a middle team cuts its whole branch off from the leaders above');

reset role;
select throws_ok(
  $$ update public.teams set parent_team_id = '44444444-7ea0-0000-0000-000000000004' where name = 't04_sales_all' $$,
  '22023', null,
  'a team cannot move under its own sub-team');
select is(
  (select count(*)::int from public.audit_log where action = 'team_membership.granted'
     and target_user_id = '44444444-0000-0000-0000-00000000000e'),
  1,
  'team membership grants are audited');

select * from finish();
rollback;
