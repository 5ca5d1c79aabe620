-- Chat history is private: the owner, explicit sharees and administrators only — a team
-- leader does not read a member's conversations.
begin;
select plan(8);

create temp table who on commit drop as
  select email, id from auth.users where email in ('dubai.rep1@mmg.demo', 'dubai.lead@mmg.demo', 'admin@mmg.demo', 'sales.manager@mmg.demo');
grant select on who to authenticated;

create function pg_temp.act_as(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', json_build_object('sub', (select id from who where email = _email), 'role', 'authenticated')::text, true);
  perform set_config('request.jwt.claim.sub', (select id from who where email = _email)::text, true);
  execute 'set local role authenticated';
end $$;

select pg_temp.act_as('dubai.rep1@mmg.demo');
insert into public.conversations (id, title) values ('52000000-0000-0000-0000-000000000001', 'T52 private brief');
insert into public.messages (conversation_id, role, content) values ('52000000-0000-0000-0000-000000000001', 'user', 'Budget is AED 400k');
select is((select count(*)::int from public.messages where conversation_id = '52000000-0000-0000-0000-000000000001'), 1,
  'the owner reads their own conversation');
reset role;

select pg_temp.act_as('dubai.lead@mmg.demo');
select is((select count(*)::int from public.conversations where id = '52000000-0000-0000-0000-000000000001'), 0,
  'the team leader does not see a member''s conversation');
select is((select count(*)::int from public.messages where conversation_id = '52000000-0000-0000-0000-000000000001'), 0,
  'nor its messages');
select throws_ok($$insert into public.messages (conversation_id, role, content) values ('52000000-0000-0000-0000-000000000001', 'user', 'sneaky')$$,
  '42501', null, 'the leader cannot add a message to it');
update public.conversations set title = 'renamed by leader' where id = '52000000-0000-0000-0000-000000000001';
reset role;

select pg_temp.act_as('sales.manager@mmg.demo');
select is((select count(*)::int from public.conversations where id = '52000000-0000-0000-0000-000000000001'), 0,
  'a sales manager leading the parent team does not see it either');
reset role;

select is((select title from public.conversations where id = '52000000-0000-0000-0000-000000000001'), 'T52 private brief',
  'the leader''s update changed nothing');

select pg_temp.act_as('admin@mmg.demo');
select is((select count(*)::int from public.messages where conversation_id = '52000000-0000-0000-0000-000000000001'), 1,
  'an administrator reads it through the explicit admin permission');
reset role;

select pg_temp.act_as('dubai.lead@mmg.demo');
delete from public.conversations where id = '52000000-0000-0000-0000-000000000001';
reset role;
select is((select count(*)::int from public.conversations where id = '52000000-0000-0000-0000-000000000001'), 1,
  'and the leader cannot delete it');

select * from finish();
rollback;
