-- Storage policies: uploads live in the owner's folder; generated files are readable by whoever
-- can read the record pointing at them; location photos and templates follow the company in
-- the first path segment.
begin;
select plan(16);

insert into storage.buckets (id, name) values
  ('uploads', 'uploads'), ('proposals', 'proposals'), ('location-photos', 'location-photos'), ('templates', 'templates')
  on conflict do nothing;

insert into auth.users (id, email) values
  ('aaaaaaaa-0000-0000-0000-000000000001', 'dubai.rep@mmg.test'),
  ('aaaaaaaa-0000-0000-0000-000000000002', 'uk.rep@mmg.test'),
  ('aaaaaaaa-0000-0000-0000-000000000003', 'dubai.lead@mmg.test'),
  ('aaaaaaaa-0000-0000-0000-000000000004', 'setup@mmg.test');
insert into public.profiles (id, name, display_name) values
  ('aaaaaaaa-b0f1-0000-0000-000000000001', 't10_mockup_setup', 'Mockup setup');
insert into public.profile_permissions (profile_id, permission) values
  ('aaaaaaaa-b0f1-0000-0000-000000000001', 'sales:mockups:*');
update public.users set profile_id = 'aaaaaaaa-b0f1-0000-0000-000000000001'
  where id = 'aaaaaaaa-0000-0000-0000-000000000004';
insert into public.user_companies (user_id, company_id)
  select v.user_id, c.id
  from (values ('aaaaaaaa-0000-0000-0000-000000000001'::uuid, 'backlite_dubai'),
               ('aaaaaaaa-0000-0000-0000-000000000002'::uuid, 'backlite_uk'),
               ('aaaaaaaa-0000-0000-0000-000000000003'::uuid, 'backlite_dubai'),
               ('aaaaaaaa-0000-0000-0000-000000000004'::uuid, 'backlite_dubai')) as v (user_id, slug)
  join public.companies c on c.slug = v.slug;
insert into public.teams (id, name, display_name) values ('aaaaaaaa-7ea0-0000-0000-000000000001', 't10_dubai_digital', 'Dubai digital');
insert into public.team_members (team_id, user_id, role) values
  ('aaaaaaaa-7ea0-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000003', 'leader'),
  ('aaaaaaaa-7ea0-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'member');

insert into storage.objects (bucket_id, name, owner) values
  ('uploads', 'aaaaaaaa-0000-0000-0000-000000000002/2026/11/22/brief.pdf', 'aaaaaaaa-0000-0000-0000-000000000002'),
  ('proposals', 'aaaaaaaa-0000-0000-0000-000000000001/2026/11/22/Emaar_0907.pdf', 'aaaaaaaa-0000-0000-0000-000000000001'),
  ('location-photos', 'backlite_dubai/t10_gateway/day_gold_1.jpg', null),
  ('location-photos', 'backlite_uk/t10_piccadilly/day_gold_1.jpg', null),
  ('templates', 'backlite_dubai/t10_gateway/t10_gateway.pptx', null);
insert into public.proposals (owner_id, company, client_name, pdf_path) values
  ('aaaaaaaa-0000-0000-0000-000000000001', 'backlite_dubai', 'Emaar',
   'aaaaaaaa-0000-0000-0000-000000000001/2026/11/22/Emaar_0907.pdf');

-- The Dubai rep.
set local role authenticated;
set local request.jwt.claims = '{"sub": "aaaaaaaa-0000-0000-0000-000000000001", "role": "authenticated"}';
select lives_ok(
  $$ insert into storage.objects (bucket_id, name, owner)
     values ('uploads', 'aaaaaaaa-0000-0000-0000-000000000001/2026/11/22/artwork.png', 'aaaaaaaa-0000-0000-0000-000000000001') $$,
  'people upload into their own uploads folder');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name, owner)
     values ('uploads', 'aaaaaaaa-0000-0000-0000-000000000002/planted.png', 'aaaaaaaa-0000-0000-0000-000000000001') $$,
  '42501', null,
  'nobody uploads into someone else''s folder');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('uploads', 'loose-file.png') $$,
  '42501', null,
  'files outside any user folder are refused');
select is(
  (select count(*)::int from storage.objects where bucket_id = 'uploads'),
  1,
  'people see only their own uploads');
with changed as (update storage.objects set metadata = '{"x": 1}' where bucket_id = 'uploads'
                   and name like 'aaaaaaaa-0000-0000-0000-000000000002/%' returning 1)
select is(count(*)::int, 0, 'nobody changes someone else''s upload') from changed;
with gone as (delete from storage.objects where bucket_id = 'uploads' and name like 'aaaaaaaa-0000-0000-0000-000000000001/%' returning 1)
select is(count(*)::int, 1, 'people delete their own uploads') from gone;
select is(
  (select count(*)::int from storage.objects where bucket_id = 'location-photos' and name like '%/t10_%'),
  1,
  'location photos are visible only for the companies people can access');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('location-photos', 'backlite_dubai/t10_gateway/night_gold_1.jpg') $$,
  '42501', null,
  'a sales user cannot upload location photos');
select is(
  (select count(*)::int from storage.objects where bucket_id = 'templates' and name like '%/t10_%'),
  1,
  'a sales user reads their company''s templates');

-- The leader of the rep's team reads the rep's proposal PDF through the proposal's visibility.
set local request.jwt.claims = '{"sub": "aaaaaaaa-0000-0000-0000-000000000003", "role": "authenticated"}';
select is(
  (select count(*)::int from storage.objects where bucket_id = 'proposals'),
  1,
  'a team leader can read the PDF of a proposal they can read');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('proposals', 'aaaaaaaa-0000-0000-0000-000000000001/2026/11/22/forged.pdf') $$,
  '42501', null,
  'but cannot write into the rep''s folder');

-- The UK rep sees nothing of Dubai.
set local request.jwt.claims = '{"sub": "aaaaaaaa-0000-0000-0000-000000000002", "role": "authenticated"}';
select is(
  (select count(*)::int from storage.objects where bucket_id = 'proposals'),
  0,
  'proposal files of unreadable proposals stay hidden');
select is(
  array(select name from storage.objects where bucket_id = 'location-photos' and name like '%/t10_%'),
  array['backlite_uk/t10_piccadilly/day_gold_1.jpg'],
  'a backlite_uk user sees only backlite_uk location photos');

-- Mockup setup may upload photos for its company only.
set local request.jwt.claims = '{"sub": "aaaaaaaa-0000-0000-0000-000000000004", "role": "authenticated"}';
select lives_ok(
  $$ insert into storage.objects (bucket_id, name) values ('location-photos', 'backlite_dubai/t10_gateway/night_gold_1.jpg') $$,
  'mockup setup uploads location photos of its company');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('location-photos', 'backlite_uk/t10_piccadilly/night_gold_1.jpg') $$,
  '42501', null,
  'but not of another company');
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('templates', 'backlite_dubai/t10_gateway/new.pptx') $$,
  '42501', null,
  'uploading templates needs a template permission');

select * from finish();
rollback;
