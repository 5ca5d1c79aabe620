-- Who reads, edits and deletes proposals, booking orders and mockups through the company rule:
-- administrators (also through a live expiring set) every record in every company, holders of
-- the manage permission the records of their own companies, everyone else none of them. The
-- administrator rule reaches these tables through private.company_reach, so this file pins it.
begin;
select plan(28);

insert into auth.users (id, email) values
  ('12121212-0000-0000-0000-000000000001', 'owner@vis.test'),
  ('12121212-0000-0000-0000-000000000002', 'admin@vis.test'),
  ('12121212-0000-0000-0000-000000000003', 'acting.admin@vis.test'),
  ('12121212-0000-0000-0000-000000000004', 'lapsed.admin@vis.test'),
  ('12121212-0000-0000-0000-000000000005', 'uk.manager@vis.test'),
  ('12121212-0000-0000-0000-000000000006', 'colleague@vis.test'),
  ('12121212-0000-0000-0000-000000000007', 'retired.admin@vis.test');
update public.users u set profile_id = p.id
  from (values ('12121212-0000-0000-0000-000000000002'::uuid, 'system_admin'),
               ('12121212-0000-0000-0000-000000000005'::uuid, 'sales_manager'),
               ('12121212-0000-0000-0000-000000000007'::uuid, 'system_admin')) as v (user_id, profile)
  join public.profiles p on p.name = v.profile
  where u.id = v.user_id;
update public.users set is_active = false where id = '12121212-0000-0000-0000-000000000007';
insert into public.user_companies (user_id, company_id)
  select v.user_id, c.id
  from (values ('12121212-0000-0000-0000-000000000001'::uuid, 'backlite'),
               ('12121212-0000-0000-0000-000000000005'::uuid, 'backlite_uk'),
               ('12121212-0000-0000-0000-000000000006'::uuid, 'backlite')) as v (user_id, slug)
  join public.companies c on c.slug = v.slug;
-- Administration lent for a while: live for one user, over for another.
insert into public.permission_sets (id, name, display_name) values
  ('12121212-5e70-0000-0000-000000000001', 't12_acting_admin', 'Acting administrator');
insert into public.permission_set_permissions (set_id, permission) values
  ('12121212-5e70-0000-0000-000000000001', 'core:system:admin');
insert into public.user_permission_sets (user_id, set_id, expires_at) values
  ('12121212-0000-0000-0000-000000000003', '12121212-5e70-0000-0000-000000000001', now() + interval '1 day'),
  ('12121212-0000-0000-0000-000000000004', '12121212-5e70-0000-0000-000000000001', now() - interval '1 day');

-- One record of each type in three companies, all owned by the same sales person.
insert into public.proposals (id, owner_id, company, client_name) values
  ('12121212-9909-0000-0000-000000000001', '12121212-0000-0000-0000-000000000001', 'backlite_dubai', 'Emaar'),
  ('12121212-9909-0000-0000-000000000002', '12121212-0000-0000-0000-000000000001', 'backlite_uk', 'Harrods'),
  ('12121212-9909-0000-0000-000000000003', '12121212-0000-0000-0000-000000000001', 'viola', 'Aldar');
insert into public.booking_orders (id, owner_id, company, client_name) values
  ('12121212-b000-0000-0000-000000000001', '12121212-0000-0000-0000-000000000001', 'backlite_dubai', 'Emaar'),
  ('12121212-b000-0000-0000-000000000002', '12121212-0000-0000-0000-000000000001', 'backlite_uk', 'Harrods'),
  ('12121212-b000-0000-0000-000000000003', '12121212-0000-0000-0000-000000000001', 'viola', 'Aldar');
insert into public.mockups (id, owner_id, company, location_key) values
  ('12121212-3000-0000-0000-000000000001', '12121212-0000-0000-0000-000000000001', 'backlite_dubai', 'dubai_gateway'),
  ('12121212-3000-0000-0000-000000000002', '12121212-0000-0000-0000-000000000001', 'backlite_uk', 'london_wall'),
  ('12121212-3000-0000-0000-000000000003', '12121212-0000-0000-0000-000000000001', 'viola', 'yas_tower');

create function pg_temp.seen_by(_user uuid)
returns text
language plpgsql
as $$
declare
  _seen text;
begin
  perform set_config('request.jwt.claims', json_build_object('sub', _user, 'role', 'authenticated')::text, true);
  set local role authenticated;
  select concat_ws(' / ',
    (select string_agg(company, ',' order by company) from public.proposals where owner_id = '12121212-0000-0000-0000-000000000001'),
    (select string_agg(company, ',' order by company) from public.booking_orders where owner_id = '12121212-0000-0000-0000-000000000001'),
    (select string_agg(company, ',' order by company) from public.mockups where owner_id = '12121212-0000-0000-0000-000000000001'))
  into _seen;
  reset role;
  return coalesce(nullif(_seen, ''), 'nothing');
end
$$;

select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000001'),
  'backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola',
  'the owner sees all their records');
select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000002'),
  'backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola',
  'an administrator sees every record, also in companies they are not assigned to');
-- Written by a trusted process under a group company: administrators see it all the same.
insert into public.proposals (id, owner_id, company, client_name) values
  ('12121212-9909-0000-0000-000000000004', '12121212-0000-0000-0000-000000000006', 'mmg', 'Group deal');
set local role authenticated;
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select client_name from public.proposals where id = '12121212-9909-0000-0000-000000000004'), 'Group deal',
  'an administrator also sees a record filed under a group company');
reset role;
delete from public.proposals where id = '12121212-9909-0000-0000-000000000004';

select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000003'),
  'backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola / backlite_dubai,backlite_uk,viola',
  'a live expiring administrator grant sees every record');
select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000004'), 'nothing',
  'an expired administrator grant sees nothing');
select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000005'), 'backlite_uk / backlite_uk / backlite_uk',
  'a manager sees the records of their own company only');
select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000006'), 'nothing',
  'a colleague in the same companies without the manage permission sees nothing');
select is(pg_temp.seen_by('12121212-0000-0000-0000-000000000007'), 'nothing',
  'an inactive administrator sees nothing');

-- The helpers behind the rule, as the caller.
set local role authenticated;
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000002", "role": "authenticated"}';
select is(private.company_reach('sales:proposals:manage'),
  array(select slug from public.companies order by slug),
  'company_reach: every company slug for an administrator, groups included');
select is(private.companies_with_permission('sales:proposals:manage'),
  array(select slug from public.companies where not is_group order by slug),
  'companies_with_permission: every leaf company for an administrator');
select ok(private.is_admin(), 'is_admin: a system_admin profile');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000003", "role": "authenticated"}';
select ok(private.is_admin(), 'is_admin: a live expiring grant');
select is(private.company_reach('sales:mockups:manage'),
  array(select slug from public.companies order by slug),
  'company_reach: every company slug for a live expiring administrator');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000004", "role": "authenticated"}';
select ok(not private.is_admin(), 'is_admin: not through an expired grant');
select is(private.company_reach('sales:proposals:manage'), '{}'::text[],
  'company_reach: nothing through an expired grant');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000005", "role": "authenticated"}';
select is(private.company_reach('sales:booking_orders:manage'), array['backlite_uk'],
  'company_reach: a manager''s own leaf companies');
select is(private.companies_with_permission('sales:booking_orders:manage'), array['backlite_uk'],
  'companies_with_permission: a manager''s own leaf companies');
select ok(not private.is_admin(), 'is_admin: not for a manager');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000006", "role": "authenticated"}';
select is(private.company_reach('sales:proposals:manage'), '{}'::text[],
  'company_reach: nothing without the manage permission');
select is(private.companies_with_permission('sales:proposals:manage'), '{}'::text[],
  'companies_with_permission: nothing without the manage permission');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000007", "role": "authenticated"}';
select is(private.company_reach('sales:proposals:manage'), '{}'::text[],
  'company_reach: nothing for an inactive administrator');

-- Changing and removing records through the same rule.
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000002", "role": "authenticated"}';
update public.proposals set client_name = 'Aldar Properties' where id = '12121212-9909-0000-0000-000000000003';
update public.booking_orders set client_name = 'Aldar Properties' where id = '12121212-b000-0000-0000-000000000003';
delete from public.mockups where id = '12121212-3000-0000-0000-000000000003';
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000005", "role": "authenticated"}';
update public.proposals set client_name = 'Harrods Ltd' where company in ('backlite_uk', 'backlite_dubai');
delete from public.booking_orders where company in ('backlite_uk', 'backlite_dubai');
set local request.jwt.claims = '{"sub": "12121212-0000-0000-0000-000000000006", "role": "authenticated"}';
update public.mockups set location_key = 'moved' where owner_id = '12121212-0000-0000-0000-000000000001';
delete from public.proposals where owner_id = '12121212-0000-0000-0000-000000000001';
reset role;

select is((select client_name from public.proposals where id = '12121212-9909-0000-0000-000000000003'), 'Aldar Properties',
  'an administrator edits a proposal of a company they are not assigned to');
select is((select client_name from public.booking_orders where id = '12121212-b000-0000-0000-000000000003'), 'Aldar Properties',
  'an administrator edits a booking order of a company they are not assigned to');
select ok(not exists (select 1 from public.mockups where id = '12121212-3000-0000-0000-000000000003'),
  'an administrator deletes a mockup of a company they are not assigned to');
select is(
  (select string_agg(company || '=' || client_name, ',' order by company) from public.proposals
   where owner_id = '12121212-0000-0000-0000-000000000001' and company <> 'viola'),
  'backlite_dubai=Emaar,backlite_uk=Harrods Ltd',
  'a manager edits the proposals of their company and no other');
select is(
  (select string_agg(company, ',' order by company) from public.booking_orders
   where owner_id = '12121212-0000-0000-0000-000000000001'),
  'backlite_dubai,viola',
  'a manager deletes the booking orders of their company and no other');
select is((select count(*)::int from public.mockups where location_key = 'moved'), 0,
  'a colleague without the manage permission edits no mockup');
select is((select count(*)::int from public.proposals where owner_id = '12121212-0000-0000-0000-000000000001'), 3,
  'a colleague without the manage permission deletes no proposal');

select * from finish();
rollback;
