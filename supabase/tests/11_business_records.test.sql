-- Business tables: RLS from the first migration, ownership rules, booking order history,
-- AI costs, render jobs, conversations, documents, and modules in my_context.
begin;
select plan(32);

insert into auth.users (id, email) values
  ('bbbbbbbb-0000-0000-0000-000000000001', 'rep@mmg.test'),
  ('bbbbbbbb-0000-0000-0000-000000000002', 'coordinator@mmg.test'),
  ('bbbbbbbb-0000-0000-0000-000000000003', 'finance@mmg.test'),
  ('bbbbbbbb-0000-0000-0000-000000000004', 'viewer@mmg.test'),
  ('bbbbbbbb-0000-0000-0000-000000000005', 'cost.manager@mmg.test'),
  ('bbbbbbbb-0000-0000-0000-000000000006', 'uk.coordinator@mmg.test');
insert into public.profiles (id, name, display_name) values
  ('bbbbbbbb-b0f1-0000-0000-000000000001', 't11_cost_manager', 'Cost manager');
insert into public.profile_permissions (profile_id, permission) values
  ('bbbbbbbb-b0f1-0000-0000-000000000001', 'core:ai_costs:manage');
update public.users u set profile_id = p.id
  from (values ('bbbbbbbb-0000-0000-0000-000000000002'::uuid, 'coordinator'),
               ('bbbbbbbb-0000-0000-0000-000000000003'::uuid, 'finance'),
               ('bbbbbbbb-0000-0000-0000-000000000004'::uuid, 'viewer'),
               ('bbbbbbbb-0000-0000-0000-000000000005'::uuid, 't11_cost_manager'),
               ('bbbbbbbb-0000-0000-0000-000000000006'::uuid, 'coordinator')) as v (user_id, profile)
  join public.profiles p on p.name = v.profile
  where u.id = v.user_id;
insert into public.user_companies (user_id, company_id)
  select v.user_id, c.id
  from (values ('bbbbbbbb-0000-0000-0000-000000000001'::uuid, 'backlite_dubai'),
               ('bbbbbbbb-0000-0000-0000-000000000002'::uuid, 'backlite'),
               ('bbbbbbbb-0000-0000-0000-000000000003'::uuid, 'mmg'),
               ('bbbbbbbb-0000-0000-0000-000000000004'::uuid, 'backlite_dubai'),
               ('bbbbbbbb-0000-0000-0000-000000000005'::uuid, 'backlite_dubai'),
               ('bbbbbbbb-0000-0000-0000-000000000006'::uuid, 'backlite_uk')) as v (user_id, slug)
  join public.companies c on c.slug = v.slug;

-- The rep works.
set local role authenticated;
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000001", "role": "authenticated"}';
insert into public.booking_orders (id, company, client_name, bo_number, gross_amount)
  values ('bbbbbbbb-b000-0000-0000-000000000001', 'backlite_dubai', 'Emaar', 'BO-7781', 525000);
insert into public.booking_order_items (booking_order_id, position, name, start_date, end_date, net_amount)
  values ('bbbbbbbb-b000-0000-0000-000000000001', 1, 'The Dubai Gateway', '2026-12-01', '2026-12-14', 500000);
insert into public.proposals (id, company, client_name) values
  ('bbbbbbbb-9909-0000-0000-000000000001', 'backlite_dubai', 'Emaar');

select is(
  (select owner_id from public.booking_orders where id = 'bbbbbbbb-b000-0000-0000-000000000001'),
  'bbbbbbbb-0000-0000-0000-000000000001'::uuid,
  'owner_id defaults to the signed-in user');
select is(
  (select event_type || ':' || to_status from public.booking_order_events where booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'),
  'created:draft',
  'creating a booking order writes its first history event');
select throws_ok(
  $$ insert into public.proposals (owner_id, company, client_name)
     values ('bbbbbbbb-0000-0000-0000-000000000004', 'backlite_dubai', 'Planted') $$,
  '42501', 'a proposal can only be created with yourself as owner',
  'nobody creates records in someone else''s name');
select throws_ok(
  $$ update public.proposals set owner_id = 'bbbbbbbb-0000-0000-0000-000000000004' $$,
  '42501', null,
  'only admins hand a record to another owner');
select throws_ok(
  $$ insert into public.booking_orders (company, bo_ref) values ('backlite_dubai', 'BO-26-1') $$,
  '23514', null,
  'a malformed BO reference is rejected');
select lives_ok(
  $$ insert into public.proposal_items (proposal_id, location_key, start_date, duration_weeks, net_rate)
     values ('bbbbbbbb-9909-0000-0000-000000000001', 'dubai_gateway', '2026-12-01', 2, 150000) $$,
  'the owner adds items to their proposal');
update public.booking_orders set status = 'pending' where id = 'bbbbbbbb-b000-0000-0000-000000000001';
select is(
  (select count(*)::int from public.booking_order_events where event_type = 'status_changed' and booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'),
  1,
  'a status change is recorded in the history');
select throws_ok(
  $$ update public.booking_order_events set reason = 'rewritten' $$,
  '42501', null,
  'booking order history cannot be rewritten');
select throws_ok(
  $$ delete from public.booking_order_events $$,
  '42501', null,
  'booking order history cannot be deleted');
select lives_ok(
  $$ insert into public.booking_order_events (booking_order_id, event_type, reason)
     values ('bbbbbbbb-b000-0000-0000-000000000001', 'note', 'Client asked for an earlier start') $$,
  'people who can update a booking order add notes to its history');

-- The coordinator (sales:booking_orders:* over the Backlite group) sees the company's BOs.
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select client_name from public.booking_orders where id = 'bbbbbbbb-b000-0000-0000-000000000001'), 'Emaar',
  'a coordinator sees the booking orders of their companies');
select is((select count(*)::int from public.booking_order_items where booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'), 1, 'and their items');
select is((select count(*)::int from public.booking_order_events where booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'), 3, 'and their history');
update public.booking_orders set stage = 'hos', status = 'pending' where id = 'bbbbbbbb-b000-0000-0000-000000000001';
select is(
  (select actor_id from public.booking_order_events where to_stage = 'hos' and booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'),
  'bbbbbbbb-0000-0000-0000-000000000002'::uuid,
  'the history records who moved the booking order');

-- A coordinator of another company does not.
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000006", "role": "authenticated"}';
select is((select count(*)::int from public.booking_orders where id = 'bbbbbbbb-b000-0000-0000-000000000001'), 0, 'a coordinator of another company sees nothing');

-- Finance reads booking orders only when they are theirs or shared (no manage permission).
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000003", "role": "authenticated"}';
select is((select count(*)::int from public.booking_orders where id = 'bbbbbbbb-b000-0000-0000-000000000001'), 0,
  'sales:booking_orders:read alone does not open everyone''s booking orders (§11.7)');
select is(
  (select jsonb_agg(m ->> 'name') from jsonb_array_elements(public.my_context() -> 'modules') m),
  '["sales", "core"]'::jsonb,
  'finance gets the sales and administration modules (booking order and AI cost reads)');

-- The viewer.
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000004", "role": "authenticated"}';
select is(
  (select jsonb_agg(m ->> 'name') from jsonb_array_elements(public.my_context() -> 'modules') m),
  '["sales"]'::jsonb,
  'a viewer gets only the sales module');
select throws_ok(
  $$ insert into public.proposals (company, client_name) values ('backlite_dubai', 'Viewer client') $$,
  '42501', 'creating a proposal needs sales:proposals:create',
  'creating a proposal needs the create permission');

-- AI costs are written by the server only.
reset role;
insert into public.ai_costs (owner_id, company, call_type, workflow, model, input_tokens, output_tokens, total_tokens, total_cost) values
  ('bbbbbbbb-0000-0000-0000-000000000001', 'backlite_dubai', 'parsing', 'bo_parsing', 'gpt-5.1', 12000, 800, 12800, 0.023),
  ('bbbbbbbb-0000-0000-0000-000000000003', null, 'main_llm', 'general_chat', 'gpt-5.1', 900, 120, 1020, 0.0023);
set local role authenticated;
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000001", "role": "authenticated"}';
select is((select count(*)::int from public.ai_costs), 1, 'people see their own AI costs');
select throws_ok(
  $$ insert into public.ai_costs (owner_id, model) values ('bbbbbbbb-0000-0000-0000-000000000001', 'gpt-5.1') $$,
  '42501', null,
  'AI costs cannot be written through the API');
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000003", "role": "authenticated"}';
select is((select count(*)::int from public.ai_costs), 1, 'core:ai_costs:read alone shows only one''s own costs');
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000005", "role": "authenticated"}';
select is((select count(*)::int from public.ai_costs where owner_id::text like 'bbbbbbbb-%'), 2, 'a cost manager sees their companies'' costs and company-less ones');

-- Render jobs.
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000001", "role": "authenticated"}';
select lives_ok(
  $$ insert into public.render_jobs (kind, company, payload) values ('proposal', 'backlite_dubai', '{"proposal_id": "x"}') $$,
  'people queue render jobs for themselves');
select throws_ok(
  $$ insert into public.render_jobs (kind, status, progress) values ('mockup', 'succeeded', 100) $$,
  '42501', null,
  'nobody queues a job that claims to be finished');
select throws_ok(
  $$ update public.render_jobs set status = 'running' $$,
  '42501', null,
  'only the renderer (service role) updates jobs');

-- Conversations.
insert into public.conversations (id, title) values ('bbbbbbbb-c000-0000-0000-000000000001', 'Gateway proposal');
insert into public.messages (conversation_id, role, content)
  values ('bbbbbbbb-c000-0000-0000-000000000001', 'user', 'Make a proposal for the Dubai Gateway');
select throws_ok(
  $$ insert into public.messages (conversation_id, role, content)
     values ('bbbbbbbb-c000-0000-0000-000000000001', 'user', '   ') $$,
  '23514', null,
  'an empty user message is rejected');
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000004", "role": "authenticated"}';
select is((select count(*)::int from public.messages), 0, 'other people''s chats are private');
select throws_ok(
  $$ insert into public.messages (conversation_id, role, content)
     values ('bbbbbbbb-c000-0000-0000-000000000001', 'user', 'hello') $$,
  '42501', null,
  'nobody writes into someone else''s conversation');

-- Documents attached to a booking order follow the booking order.
reset role;
insert into public.documents (owner_id, company, bucket, storage_path, original_filename, document_type, booking_order_id)
  values ('bbbbbbbb-0000-0000-0000-000000000001', 'backlite_dubai', 'booking-orders',
          'bbbbbbbb-0000-0000-0000-000000000001/bo/original.pdf', 'BO-7781.pdf', 'bo_pdf', 'bbbbbbbb-b000-0000-0000-000000000001');
set local role authenticated;
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000002", "role": "authenticated"}';
select is((select original_filename from public.documents where booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'), 'BO-7781.pdf',
  'a document of a booking order is readable by whoever reads the booking order');
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000006", "role": "authenticated"}';
select is((select count(*)::int from public.documents where booking_order_id = 'bbbbbbbb-b000-0000-0000-000000000001'), 0, 'and by nobody else');

-- Deleting a booking order (the owner) removes items and history and is audited.
set local request.jwt.claims = '{"sub": "bbbbbbbb-0000-0000-0000-000000000001", "role": "authenticated"}';
delete from public.booking_orders where id = 'bbbbbbbb-b000-0000-0000-000000000001';
reset role;
select is(
  (select count(*)::int from public.audit_log where action = 'booking_order.deleted'
     and target_id = 'bbbbbbbb-b000-0000-0000-000000000001'),
  1,
  'deleting a booking order is audited');

select * from finish();
rollback;
