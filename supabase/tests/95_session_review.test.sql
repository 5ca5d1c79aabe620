-- Holes found in the review of the booking-order documents work:
--  * a documents row is a read grant (the storage policies of proposals, mockups and
--    booking-orders open every object a readable documents row names, and the renderer copies a
--    booking order's source document into its combined PDF), so a person may only record files
--    in their own folder and never move a row to another object;
--  * a booking_order render job belongs to the workflow: the order's owner cannot delete it
--    (the version it renders would never be recorded, e.g. the stamped final PDF).
begin;
select plan(10);

create temp table demo_user on commit drop as select id, email from auth.users where email like '%@mmg.demo';
grant select on demo_user to authenticated;
create temp table bo (id uuid) on commit drop;
grant all on bo to authenticated;

create function pg_temp.sign_in(_email text) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', (select json_build_object('sub', u.id, 'role', 'authenticated')::text
                                            from pg_temp.demo_user u where u.email = _email), true);
  perform set_config('role', 'authenticated', true);
end
$$;
create function pg_temp.uid(_email text) returns uuid language sql as $$ select id from pg_temp.demo_user where email = _email $$;
grant execute on all functions in schema pg_temp to authenticated;

-- A rendered order of rep1, its files in the order's version folder ------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
insert into pg_temp.bo
select (public.create_booking_order('backlite_dubai', '{"client": "Review Co", "net_pre_vat": 1000}'::jsonb) ->> 'id')::uuid;
reset role;
insert into storage.buckets (id, name) values ('booking-orders', 'booking-orders') on conflict do nothing;
insert into storage.buckets (id, name) values ('uploads', 'uploads') on conflict do nothing;
insert into storage.objects (bucket_id, name)
select 'booking-orders', 'backlite_dubai/' || id || '/v1/order.pdf' from pg_temp.bo;
insert into storage.objects (bucket_id, name) values ('uploads', pg_temp.uid('dubai.rep1@mmg.demo') || '/private.pdf');

create function pg_temp.visible_bo_files() returns integer language sql as $$
  select count(*)::int from storage.objects o where o.bucket_id = 'booking-orders' and o.name like '%' || (select id from pg_temp.bo) || '%'
$$;
grant execute on function pg_temp.visible_bo_files() to authenticated;

-- Forged documents rows -------------------------------------------------------------------------
select pg_temp.sign_in('uk.rep@mmg.demo');
select is(pg_temp.visible_bo_files(), 0, 'another company''s sales person cannot see the order''s files');
select throws_ok($$ insert into public.documents (owner_id, bucket, storage_path, original_filename)
                   select auth.uid(), 'booking-orders', 'backlite_dubai/' || id || '/v1/order.pdf', 'theirs.pdf' from pg_temp.bo $$,
  '42501', null, 'nor record a document naming a file outside their own folder');
select is(pg_temp.visible_bo_files(), 0, 'so the file stays closed to them');
select throws_ok($$ insert into public.documents (owner_id, bucket, storage_path, original_filename)
                   values (auth.uid(), 'uploads', pg_temp.uid('dubai.rep1@mmg.demo') || '/private.pdf', 'x.pdf') $$,
  '42501', null, 'nor point a document at another person''s upload (the renderer would copy it into their order)');
select lives_ok($$ insert into public.documents (owner_id, bucket, storage_path, original_filename)
                   values (auth.uid(), 'uploads', auth.uid() || '/mine.pdf', 'mine.pdf') $$,
  'a document in their own folder is recorded as before');
select throws_ok($$ update public.documents set storage_path = 'backlite_dubai/' || (select id from pg_temp.bo) || '/v1/order.pdf',
                          bucket = 'booking-orders'
                   where owner_id = auth.uid() and storage_path = auth.uid() || '/mine.pdf' $$,
  '42501', null, 'and their own row cannot be moved onto someone else''s file');
select is(pg_temp.visible_bo_files(), 0, 'which stays closed to them');
select lives_ok($$ update public.documents set document_type = 'bo_pdf'
                   where owner_id = auth.uid() and storage_path = auth.uid() || '/mine.pdf' $$,
  'other columns of their own document still change');

-- Booking-order render jobs are the workflow's ---------------------------------------------------
select pg_temp.sign_in('dubai.rep1@mmg.demo');
select throws_ok($$ delete from public.render_jobs j where j.kind = 'booking_order'
                   and j.payload ->> 'booking_order_id' = (select id from pg_temp.bo)::text $$,
  '42501', null, 'the owner cannot delete the queued render job of their order');
reset role;
select is((select count(*)::int from public.render_jobs j where j.kind = 'booking_order'
           and j.payload ->> 'booking_order_id' = (select id from pg_temp.bo)::text), 1,
  'so the job is still there to render the version');

select * from finish();
rollback;
