-- AI cost accounting: prices from llm_model_prices, the §4.8 formula in record_ai_cost
-- (reasoning counted once), provider fallbacks, the cached-price default, and who may read,
-- write and price what.
begin;
select plan(44);

insert into auth.users (id, email) values
  ('30303030-0000-0000-0000-000000000001', 'cost.rep.a@mmg.test'),
  ('30303030-0000-0000-0000-000000000002', 'cost.rep.b@mmg.test'),
  ('30303030-0000-0000-0000-000000000003', 'cost.admin@mmg.test');
update public.users set profile_id = (select id from public.profiles where name = 'system_admin')
  where id = '30303030-0000-0000-0000-000000000003';
insert into public.conversations (id, owner_id, title) values
  ('30303030-c000-0000-0000-000000000001', '30303030-0000-0000-0000-000000000001', 'Gateway proposal');

-- The table, as §4.8 and §11.19 want it.
select col_type_is('public', 'ai_costs', 'owner_id', 'uuid', 'the user of a cost row is a user id, not a display name');
select col_default_is('public', 'ai_costs', 'call_type', 'other', 'the default call type is one of the allowed ones');
select lives_ok(
  $$ insert into public.ai_costs (owner_id, model) values ('30303030-0000-0000-0000-000000000002', 'gpt-5.1') $$,
  'a row relying on the defaults passes the checks');
select col_type_is('public', 'ai_costs', 'total_cost', 'numeric(20,12)', 'costs are exact decimals, never floats');
select col_type_is('public', 'llm_model_prices', 'input_price', 'numeric(12,6)', 'prices are exact decimals');
select throws_ok(
  $$ insert into public.ai_costs (owner_id, model, input_tokens, output_tokens, reasoning_tokens, total_tokens)
     values ('30303030-0000-0000-0000-000000000002', 'gpt-5.1', 100, 800, 300, 1500) $$,
  '23514', null,
  'total tokens that count reasoning twice are rejected');

-- The scripted usage block, as the server records it.
set local role service_role;
create temporary table chat_turn on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001',
    model => 'gpt-5.1',
    provider => 'openai',
    input_tokens => 12000,
    cached_input_tokens => 2000,
    output_tokens => 800,
    reasoning_tokens => 300,
    call_type => 'main_llm',
    workflow => 'general_chat',
    conversation_id => '30303030-c000-0000-0000-000000000001');

-- 10,000 uncached × $1.25/M + 2,000 cached × $0.125/M = 0.0125 + 0.00025
select is((select input_cost::text from chat_turn), '0.012750000000', 'gpt-5.1 input cost: uncached at 1.25, cached at 0.125 per million');
-- 800 × $10/M
select is((select output_cost::text from chat_turn), '0.008000000000', 'gpt-5.1 output cost: output tokens (reasoning excluded) at 10.00');
-- 300 × $10/M (reasoning at the output price)
select is((select reasoning_cost::text from chat_turn), '0.003000000000', 'gpt-5.1 reasoning cost: reasoning tokens once, at the output price');
select is((select total_cost::text from chat_turn), '0.023750000000', 'gpt-5.1 total is the sum of the parts');
select is((select total_tokens from chat_turn), 13100, 'total tokens = 12,000 input + 800 output + 300 reasoning');
select is(
  (select (owner_id, provider, call_type, workflow, conversation_id)::text from chat_turn),
  '(30303030-0000-0000-0000-000000000001,openai,main_llm,general_chat,30303030-c000-0000-0000-000000000001)',
  'the row names the user, provider, call type, workflow and conversation');
select is(
  (select p.model from chat_turn c join public.llm_model_prices p on p.id = c.price_id),
  'gpt-5.1',
  'the row points at the price it was computed with');
select is((select count(*)::int from public.ai_costs where id = (select id from chat_turn)), 1, 'the row is stored');

-- Fallbacks: unknown OpenAI models are priced as gpt-5, unknown Gemini models as gemini-2.5-flash.
create temporary table openai_fallback on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.2-preview', provider => 'openai',
    input_tokens => 2000000, cached_input_tokens => 1000000, output_tokens => 100000, reasoning_tokens => 50000);
-- 1,000,000 × 1.25 + 1,000,000 × 0.125 = 1.375; 100,000 × 10 = 1.0; 50,000 × 10 = 0.5 (per million)
select is(
  (select (input_cost, output_cost, reasoning_cost, total_cost)::text from openai_fallback),
  '(1.375000000000,1.000000000000,0.500000000000,2.875000000000)',
  'an unknown OpenAI model is priced as gpt-5');
select is((select metadata ->> 'priced_as' from openai_fallback), 'gpt-5', 'the fallback is noted on the row');
select is((select model from openai_fallback), 'gpt-5.2-preview', 'the row keeps the model that was called');

create temporary table gemini_fallback on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001', model => 'gemini-3-flash', provider => 'google',
    input_tokens => 1000000, cached_input_tokens => 250000, output_tokens => 200000, reasoning_tokens => 100000);
-- 750,000 × 0.15 + 250,000 × 0.0375 = 0.121875; 200,000 × 0.60 = 0.12; 100,000 thinking × 3.50 = 0.35
select is(
  (select (input_cost, output_cost, reasoning_cost, total_cost)::text from gemini_fallback),
  '(0.121875000000,0.120000000000,0.350000000000,0.591875000000)',
  'an unknown Gemini model is priced as gemini-2.5-flash, thinking at its own rate');

-- Cached price defaults to 10 % of the input price; image tokens at image prices.
create temporary table image_call on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001', model => 'gemini-3-pro-image-preview', provider => 'google',
    input_tokens => 10000, cached_input_tokens => 4000, output_tokens => 1200, image_output_tokens => 1120,
    reasoning_tokens => 100, call_type => 'image_generation', workflow => 'mockup_ai');
-- 6,000 × 2.00 + 4,000 × 0.20 (10 % of 2.00) = 0.0128; 80 text × 12 + 1,120 image × 120 = 0.13536;
-- 100 thinking × 12 = 0.0012
select is(
  (select (input_cost, output_cost, reasoning_cost, total_cost)::text from image_call),
  '(0.012800000000,0.135360000000,0.001200000000,0.149360000000)',
  'a model without a cached price bills cached tokens at 10 % of its input price');
create temporary table image_input_call on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-image-1', provider => 'openai',
    input_tokens => 1000, image_input_tokens => 600, output_tokens => 4160, image_output_tokens => 4160,
    call_type => 'image_generation', workflow => 'mockup_ai');
-- 400 text × 5.00 + 600 image × 10.00 = 0.008; 4,160 × 40.00 = 0.1664
select is(
  (select (input_cost, output_cost, reasoning_cost, total_cost)::text from image_input_call),
  '(0.008000000000,0.166400000000,0.000000000000,0.174400000000)',
  'image input tokens are billed at the image input price');

select throws_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000001', model => 'mystery-model', input_tokens => 10) $$,
  '22023', null,
  'a model without a price and without a provider is refused, not recorded at zero');
select throws_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.1', provider => 'openai',
       input_tokens => 100, cached_input_tokens => 80, image_input_tokens => 40) $$,
  '22023', null,
  'cached and image tokens cannot exceed the input tokens');
select throws_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.1', provider => 'openai',
       output_tokens => -1) $$,
  '22023', null,
  'negative token counts are refused');
select throws_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.1', provider => 'openai',
       call_type => 'llm_call') $$,
  '23514', null,
  'the original''s invalid call type llm_call is refused');
select lives_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000002', model => 'gpt-5.1', provider => 'openai',
       input_tokens => 500, output_tokens => 50) $$,
  'the service role records costs for any user');
reset role;

-- Who may write costs.
set local role authenticated;
set local request.jwt.claims = '{"sub": "30303030-0000-0000-0000-000000000001", "role": "authenticated"}';
select throws_ok(
  $$ select public.record_ai_cost(user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.1', provider => 'openai') $$,
  '42501', null,
  'signed-in users cannot record costs through the RPC');
select throws_ok(
  $$ insert into public.ai_costs (owner_id, model) values ('30303030-0000-0000-0000-000000000002', 'gpt-5.1') $$,
  '42501', null,
  'a sales user cannot insert a cost row for someone else');
select throws_ok(
  $$ insert into public.ai_costs (owner_id, model) values ('30303030-0000-0000-0000-000000000001', 'gpt-5.1') $$,
  '42501', null,
  'nor for themselves');

-- Who may read them.
select is(
  (select count(*)::int from public.ai_costs where owner_id = '30303030-0000-0000-0000-000000000001'),
  5, 'a sales user reads their own cost rows');
select is(
  (select count(*)::int from public.ai_costs where owner_id = '30303030-0000-0000-0000-000000000002'),
  0, 'a sales user cannot read another user''s cost rows');
delete from public.ai_costs where owner_id = '30303030-0000-0000-0000-000000000002';
select throws_ok(
  $$ update public.ai_costs set total_cost = 0 where owner_id = '30303030-0000-0000-0000-000000000001' $$,
  '42501', null,
  'a sales user cannot rewrite their own costs');
reset role;
select is(
  (select count(*)::int from public.ai_costs where owner_id = '30303030-0000-0000-0000-000000000002'),
  2, 'a sales user cannot delete another user''s cost rows');

set local role authenticated;
set local request.jwt.claims = '{"sub": "30303030-0000-0000-0000-000000000003", "role": "authenticated"}';
select is(
  (select count(*)::int from public.ai_costs where owner_id::text like '30303030-%'),
  7, 'an admin reads everyone''s cost rows');

-- Prices: everyone signed in reads them, only admins change them.
set local request.jwt.claims = '{"sub": "30303030-0000-0000-0000-000000000001", "role": "authenticated"}';
select is(
  (select count(*)::int from public.llm_model_prices
    where model in ('gpt-5.1', 'gpt-5', 'gpt-4.1', 'gpt-image-1', 'gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-3-pro-image-preview')),
  7, 'signed-in people read the §4.8 price table');
select is(
  (select string_agg(provider || '→' || model, ', ' order by provider) from public.llm_price_fallbacks),
  'google→gemini-2.5-flash, openai→gpt-5',
  'the fallbacks are gpt-5 for OpenAI and gemini-2.5-flash for Gemini');
select throws_ok(
  $$ insert into public.llm_model_prices (model, provider, input_price, output_price) values ('gpt-5.1', 'openai', 0, 0) $$,
  '42501', null,
  'a sales user cannot add prices');
update public.llm_model_prices set input_price = 0 where model = 'gpt-5.1';
update public.llm_price_fallbacks set model = 'gpt-4.1' where provider = 'openai';
reset role;
select is(
  (select input_price::text from public.llm_model_prices where model = 'gpt-5.1'),
  '1.250000', 'a sales user cannot change prices');
select is(
  (select model from public.llm_price_fallbacks where provider = 'openai'),
  'gpt-5', 'a sales user cannot change the fallbacks');

set local role anon;
select throws_ok($$ select count(*) from public.llm_model_prices $$, '42501', null, 'anonymous callers cannot read prices');
reset role;

-- A price change is a new row; calls after it use it, earlier rows keep their prices.
set local role authenticated;
set local request.jwt.claims = '{"sub": "30303030-0000-0000-0000-000000000003", "role": "authenticated"}';
select lives_ok(
  $$ insert into public.llm_model_prices (model, provider, effective_from, input_price, cached_input_price, output_price)
     values ('gpt-5.1', 'openai', now() - interval '1 minute', 2.00, null, 8.00),
            ('gpt-5.1', 'openai', now() + interval '1 day', 99.00, null, 99.00) $$,
  'an admin adds new prices');
reset role;
set local role service_role;
create temporary table after_price_change on commit drop as
  select * from public.record_ai_cost(
    user_id => '30303030-0000-0000-0000-000000000001', model => 'gpt-5.1', provider => 'openai',
    input_tokens => 12000, cached_input_tokens => 2000, output_tokens => 800, reasoning_tokens => 300);
reset role;
-- 10,000 × 2.00 + 2,000 × 0.20 = 0.0204; 800 × 8 = 0.0064; 300 × 8 = 0.0024 (the future row is ignored)
select is(
  (select (input_cost, output_cost, reasoning_cost, total_cost)::text from after_price_change),
  '(0.020400000000,0.006400000000,0.002400000000,0.029200000000)',
  'a call is priced with the newest row in effect, not a future one');
select is(
  (select total_cost::text from public.ai_costs where id = (select id from chat_turn)),
  '0.023750000000', 'earlier cost rows keep the price they were charged at');
select ok(
  exists (select 1 from public.audit_log
          where action = 'llm_model_price.created' and actor_id = '30303030-0000-0000-0000-000000000003'),
  'price changes are audited with the admin who made them');

-- The rows are private to their owner: another sales user sees none of them.
set local role authenticated;
set local request.jwt.claims = '{"sub": "30303030-0000-0000-0000-000000000002", "role": "authenticated"}';
select is(
  (select count(*)::int from public.ai_costs where conversation_id = '30303030-c000-0000-0000-000000000001'),
  0, 'another sales user cannot see the costs of someone else''s conversation');
reset role;

select * from finish();
rollback;
