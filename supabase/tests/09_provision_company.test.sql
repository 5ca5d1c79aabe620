-- provision_company: one call adds a company, its schema from the template and its place in
-- the cross-company views; calling it again changes nothing; bad slugs change nothing.
begin;
select plan(23);

insert into auth.users (id, email) values
  ('99999999-0000-0000-0000-000000000001', 'admin@mmg.test'),
  ('99999999-0000-0000-0000-000000000002', 'rep@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '99999999-0000-0000-0000-000000000001';

select ok(
  array(select slug from public.companies where schema_provisioned_at is not null)
    @> array['backlite_abudhabi', 'backlite_dubai', 'backlite_uk', 'viola'],
  'the four group companies are provisioned by the migrations');
select has_table('backlite_abudhabi', 'locations', 'every company schema has locations');
select has_table('backlite_abudhabi', 'mockup_frames', 'every company schema has mockup frames');
select has_table('backlite_abudhabi', 'rate_cards', 'every company schema has rate cards');
select has_table('backlite_abudhabi', 'location_occupations', 'every company schema has location occupations');
select has_table('backlite_abudhabi', 'location_photos', 'every company schema has location photos');

create temporary table schema_snapshot as
  select (select count(*) from pg_namespace) as schemas,
         (select count(*) from public.companies) as companies,
         (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public') as public_relations;
grant select on schema_snapshot to authenticated;

-- A sales user cannot provision.
set local role authenticated;
set local request.jwt.claims = '{"sub": "99999999-0000-0000-0000-000000000002", "role": "authenticated"}';
select throws_ok(
  $$ select public.provision_company('backlite_ksa', 'Backlite KSA', 'backlite') $$,
  '42501', 'only administrators can provision companies',
  'only administrators can provision companies');

-- The admin.
set local request.jwt.claims = '{"sub": "99999999-0000-0000-0000-000000000001", "role": "authenticated"}';
select throws_ok(
  $$ select public.provision_company('x; drop schema public', 'Evil') $$,
  '22023', null,
  'an injection attempt in the slug is rejected');
select throws_ok(
  $$ select public.provision_company('Backlite-KSA', 'Backlite KSA') $$,
  '22023', null,
  'upper case and dashes are rejected');
select throws_ok(
  $$ select public.provision_company('pg_catalog2', 'Sneaky') $$,
  '22023', 'company slug "pg_catalog2" is reserved',
  'reserved schema names are rejected');
select throws_ok(
  $$ select public.provision_company('auth', 'Sneaky') $$,
  '22023', null,
  'system schema names are rejected');
select throws_ok(
  $$ select public.provision_company('backlite_ksa', 'Backlite KSA', 'backlite_dubai') $$,
  '22023', 'parent "backlite_dubai" is a company, not a group',
  'the parent must be a group');
select throws_ok(
  $$ select public.provision_company('backlite', 'Backlite') $$,
  '22023', null,
  'a group cannot be provisioned as a company');
select ok(
  (select schemas = (select count(*) from pg_namespace)
      and companies = (select count(*) from public.companies)
      and public_relations = (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public')
   from schema_snapshot),
  'rejected calls changed nothing: same schemas, companies and public relations');

select is(
  public.provision_company('backlite_ksa', 'Backlite KSA', 'backlite') ->> 'created',
  'true',
  'a new company is provisioned with one call');
select is(
  public.provision_company('backlite_ksa', 'Backlite KSA (again)', 'backlite') ->> 'created',
  'false',
  'provisioning it again reports nothing created');
select is(
  (select count(*)::int from public.companies where slug = 'backlite_ksa'),
  1,
  'and does not duplicate the company');
select is(
  (select name from public.companies where slug = 'backlite_ksa'),
  'Backlite KSA',
  'nor change it');

reset role;
select has_table('backlite_ksa', 'locations', 'the new company got its schema from the template');
select policies_are('backlite_ksa', 'locations', array[
  'company staff read locations', 'location creators add locations',
  'location editors change locations', 'location deleters remove locations'],
  'the new schema carries the template''s policies');
insert into backlite_ksa.locations (location_key, display_name, display_type) values ('riyadh_tower', 'Riyadh Tower', 'digital');

set local role authenticated;
set local request.jwt.claims = '{"sub": "99999999-0000-0000-0000-000000000001", "role": "authenticated"}';
select is(
  (select display_name from public.all_locations where company = 'backlite_ksa'),
  'Riyadh Tower',
  'the new company appears in the cross-company view with no code change');

reset role;
select is(
  (select count(*)::int from public.audit_log where action = 'company.provisioned'
     and metadata ->> 'schema' = 'backlite_ksa'),
  1,
  'provisioning is audited once, not on the idempotent repeat');
select ok(
  (select c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'backlite_ksa' and c.relname = 'rate_cards'),
  'row-level security is on in the new schema');

select * from finish();
rollback;
