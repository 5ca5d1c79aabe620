/*
 * LLM pricing and cost recording (spec §4.7, §4.8, §11.19).
 *
 * Prices live in a table, not in code, so finance can follow a provider's price change with
 * one insert (a new effective_from row) while past cost rows keep the price they were charged
 * at. The cost formula exists once, here in SQL: the edge functions hand over the normalised
 * token counts and public.record_ai_cost prices and stores them.
 *
 * Token counts are normalised before they arrive: output_tokens EXCLUDES reasoning tokens
 * (OpenAI's completion_tokens include them; the provider layer subtracts them), so reasoning
 * is billed exactly once — the original's double count (§4.8 quirk, §11.19) cannot recur.
 */

-- ---------------------------------------------------------------------------------------------
-- Prices

create table public.llm_model_prices (
  id uuid primary key default gen_random_uuid(),
  model text not null check (length(model) between 1 and 100 and model = btrim(model)),
  provider text not null check (provider in ('openai', 'google')),
  effective_from timestamptz not null default now(),
  input_price numeric(12, 6) not null check (input_price >= 0),
  cached_input_price numeric(12, 6) check (cached_input_price >= 0),
  output_price numeric(12, 6) not null check (output_price >= 0),
  reasoning_price numeric(12, 6) check (reasoning_price >= 0),
  image_input_price numeric(12, 6) check (image_input_price >= 0),
  image_output_price numeric(12, 6) check (image_output_price >= 0),
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (model, effective_from)
);

comment on table public.llm_model_prices is
  'USD prices per 1 M tokens of each LLM/image model. A price change is a new row with a later '
  'effective_from; a call is priced with the newest row that was in effect when it happened.';
comment on column public.llm_model_prices.model is 'Model name as sent to the provider, e.g. gpt-5.1.';
comment on column public.llm_model_prices.provider is 'openai or google.';
comment on column public.llm_model_prices.effective_from is 'From when these prices apply.';
comment on column public.llm_model_prices.input_price is 'USD per 1 M uncached text input tokens.';
comment on column public.llm_model_prices.cached_input_price is 'USD per 1 M cached input tokens; null = 10 % of input_price.';
comment on column public.llm_model_prices.output_price is 'USD per 1 M output tokens (reasoning excluded).';
comment on column public.llm_model_prices.reasoning_price is 'USD per 1 M reasoning/thinking tokens; null = output_price.';
comment on column public.llm_model_prices.image_input_price is 'USD per 1 M image input tokens; null = input_price.';
comment on column public.llm_model_prices.image_output_price is 'USD per 1 M image output tokens; null = output_price.';
comment on column public.llm_model_prices.notes is 'Where the figures come from, caveats.';

create index llm_model_prices_lookup_idx on public.llm_model_prices (model, effective_from desc);

/*
 * Which model's prices apply to a model that has no price row of its own (a new or dated
 * model name) — one row per provider, so the fallback follows that model's price changes.
 */
create table public.llm_price_fallbacks (
  provider text primary key check (provider in ('openai', 'google')),
  model text not null check (length(model) between 1 and 100),
  updated_at timestamptz not null default now()
);

comment on table public.llm_price_fallbacks is
  'Per provider: the model whose prices apply to models without a row in llm_model_prices.';
comment on column public.llm_price_fallbacks.provider is 'openai or google.';
comment on column public.llm_price_fallbacks.model is 'Model in llm_model_prices used as the fallback.';

alter table public.llm_model_prices enable row level security;
alter table public.llm_price_fallbacks enable row level security;
select private.comment_standard_columns('public.llm_model_prices');
select private.comment_standard_columns('public.llm_price_fallbacks');
revoke all on public.llm_model_prices, public.llm_price_fallbacks from anon;

create trigger llm_model_prices_touch_updated_at
  before update on public.llm_model_prices
  for each row execute function private.touch_updated_at();
create trigger llm_price_fallbacks_touch_updated_at
  before update on public.llm_price_fallbacks
  for each row execute function private.touch_updated_at();

/*
 * Prices are money: every change is kept in the audit log (admin category) with the row
 * before and after.
 */
create or replace function private.audit_llm_price_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _verb text := case tg_op when 'INSERT' then 'created' when 'DELETE' then 'deleted' else 'changed' end;
  _row jsonb := pg_catalog.to_jsonb(coalesce(new, old));
begin
  perform private.write_audit(
    tg_argv[0] || '.' || _verb,
    'admin',
    tg_table_schema || '.' || tg_table_name,
    coalesce(_row ->> 'id', _row ->> 'provider'),
    null,
    case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end,
    case when tg_op in ('UPDATE', 'INSERT') then pg_catalog.to_jsonb(new) end
  );
  return null;
end
$$;
comment on function private.audit_llm_price_change() is
  'Trigger (arg: event noun): audits every insert, update and delete of LLM prices.';

create policy "signed-in people read LLM prices"
  on public.llm_model_prices for select to authenticated
  using (true);
create policy "admins add LLM prices"
  on public.llm_model_prices for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins change LLM prices"
  on public.llm_model_prices for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));
create policy "admins delete LLM prices"
  on public.llm_model_prices for delete to authenticated
  using ((select private.is_admin()));

create policy "signed-in people read LLM price fallbacks"
  on public.llm_price_fallbacks for select to authenticated
  using (true);
create policy "admins add LLM price fallbacks"
  on public.llm_price_fallbacks for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins change LLM price fallbacks"
  on public.llm_price_fallbacks for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));
create policy "admins delete LLM price fallbacks"
  on public.llm_price_fallbacks for delete to authenticated
  using ((select private.is_admin()));

-- Spec §4.8 figures (USD per 1 M tokens). The seed rows are part of the migration, so they are
-- not audited; every later change is.
insert into public.llm_model_prices
  (model, provider, effective_from, input_price, cached_input_price, output_price,
   reasoning_price, image_input_price, image_output_price, notes)
values
  ('gpt-5.1', 'openai', '2025-01-01', 1.25, 0.125, 10.00, null, null, null,
   'Reasoning billed at the output rate.'),
  ('gpt-5', 'openai', '2025-01-01', 1.25, 0.125, 10.00, null, null, null,
   'Fallback for OpenAI models without their own row.'),
  ('gpt-4.1', 'openai', '2025-01-01', 0.30, 0.03, 1.20, null, null, null,
   'Values as in the original source.'),
  ('gpt-image-1', 'openai', '2025-01-01', 5.00, 1.25, 40.00, null, 10.00, null,
   'Text input 5.00 (cached 1.25), image input 10.00 (cached 2.50 — cached image tokens are '
   'not reported separately, so image input is billed uncached), image output 40.00.'),
  ('gemini-2.5-flash', 'google', '2025-01-01', 0.15, 0.0375, 0.60, 3.50, null, null,
   'Thinking output 3.50. Fallback for Gemini models without their own row.'),
  ('gemini-2.5-pro', 'google', '2025-01-01', 1.25, 0.3125, 10.00, 10.00, null, null,
   'Thinking 10.00.'),
  ('gemini-3-pro-image-preview', 'google', '2025-01-01', 2.00, null, 12.00, 12.00, null, 120.00,
   'Text/thinking output 12.00, image output 120.00 (~1120 tokens per 1K/2K image, ~2000 per 4K).');

insert into public.llm_price_fallbacks (provider, model) values
  ('openai', 'gpt-5'),
  ('google', 'gemini-2.5-flash');

create trigger llm_model_prices_audit
  after insert or update or delete on public.llm_model_prices
  for each row execute function private.audit_llm_price_change('llm_model_price');
create trigger llm_price_fallbacks_audit
  after insert or update or delete on public.llm_price_fallbacks
  for each row execute function private.audit_llm_price_change('llm_price_fallback');

-- ---------------------------------------------------------------------------------------------
-- ai_costs, brought forward

/*
 * Costs are stored to 12 decimal places: token counts times prices with up to 6 decimals per
 * million tokens are then exact (one cached Gemini Flash token costs $0.0000000375).
 * Token totals count reasoning once; image tokens are subsets of input and output.
 */
alter table public.ai_costs
  alter column input_cost type numeric(20, 12),
  alter column output_cost type numeric(20, 12),
  alter column reasoning_cost type numeric(20, 12),
  alter column total_cost type numeric(20, 12),
  add column conversation_id uuid references public.conversations (id) on delete set null,
  add column image_input_tokens integer not null default 0 check (image_input_tokens >= 0),
  add column image_output_tokens integer not null default 0 check (image_output_tokens >= 0),
  add column price_id uuid references public.llm_model_prices (id) on delete set null,
  add constraint ai_costs_provider_known check (provider in ('openai', 'google')),
  add constraint ai_costs_total_counts_reasoning_once
    check (total_tokens = input_tokens + output_tokens + reasoning_tokens),
  add constraint ai_costs_input_parts_within_input
    check (cached_input_tokens + image_input_tokens <= input_tokens),
  add constraint ai_costs_image_output_within_output check (image_output_tokens <= output_tokens);

comment on column public.ai_costs.owner_id is
  'User on whose behalf the call was made (a users.id, never a display name — §11.19).';
comment on column public.ai_costs.input_tokens is 'Prompt tokens, including cached and image tokens.';
comment on column public.ai_costs.cached_input_tokens is 'Prompt tokens served from the provider cache (part of input_tokens).';
comment on column public.ai_costs.image_input_tokens is 'Prompt tokens that are images (part of input_tokens, billed uncached).';
comment on column public.ai_costs.output_tokens is 'Generated tokens EXCLUDING reasoning (OpenAI completion_tokens minus reasoning_tokens).';
comment on column public.ai_costs.image_output_tokens is 'Generated image tokens (part of output_tokens).';
comment on column public.ai_costs.reasoning_tokens is 'Reasoning/thinking tokens, billed once at the reasoning (or output) price.';
comment on column public.ai_costs.total_tokens is 'input + output + reasoning tokens.';
comment on column public.ai_costs.input_cost is 'USD: uncached text + image input + cached input.';
comment on column public.ai_costs.output_cost is 'USD: text and image output, reasoning excluded.';
comment on column public.ai_costs.reasoning_cost is 'USD: reasoning tokens at the reasoning (or output) price.';
comment on column public.ai_costs.total_cost is 'USD: input_cost + output_cost + reasoning_cost.';
comment on column public.ai_costs.provider is 'openai or google.';
comment on column public.ai_costs.conversation_id is 'Chat conversation the call served, if any.';
comment on column public.ai_costs.price_id is 'llm_model_prices row the costs were computed with.';

create index ai_costs_conversation_idx on public.ai_costs (conversation_id)
  where conversation_id is not null;

-- ---------------------------------------------------------------------------------------------
-- Pricing functions

/*
 * The price row in effect for a model at a time: the model's own newest row not after `_at`,
 * else the provider's fallback model's. The provider is taken from the model's own row when
 * the caller does not know it.
 */
create or replace function private.llm_price_for(_model text, _provider text, _at timestamptz)
returns public.llm_model_prices
language sql
stable
set search_path = ''
as $$
  select candidate.price
  from (
    select p as price, 0 as rank, p.effective_from
    from public.llm_model_prices p
    where p.model = _model and p.effective_from <= _at
      and (_provider is null or p.provider = _provider)
    union all
    select p, 1, p.effective_from
    from public.llm_price_fallbacks f
    join public.llm_model_prices p on p.model = f.model and p.provider = f.provider
    where f.provider = _provider and p.effective_from <= _at
  ) candidate
  order by candidate.rank, candidate.effective_from desc
  limit 1
$$;
comment on function private.llm_price_for(text, text, timestamptz) is
  'Price row for a model at a time: its own newest effective row, else the provider fallback''s.';

/*
 * The §4.8 formula — the only implementation in the platform:
 *   input     = (input − cached − image_in) × input_price + image_in × image_input_price
 *               + cached × cached_price        (cached_price null → 10 % of input_price)
 *   output    = (output − image_out) × output_price + image_out × image_output_price
 *   reasoning = reasoning × (reasoning_price, else output_price)
 * all per 1 M tokens; output excludes reasoning, so nothing is counted twice.
 */
create or replace function private.llm_cost(
  _price public.llm_model_prices,
  _input integer,
  _cached integer,
  _output integer,
  _reasoning integer,
  _image_input integer,
  _image_output integer,
  out input_cost numeric,
  out output_cost numeric,
  out reasoning_cost numeric,
  out total_cost numeric
)
language plpgsql
immutable
set search_path = ''
as $$
begin
  input_cost := ((_input - _cached - _image_input) * _price.input_price
    + _image_input * coalesce(_price.image_input_price, _price.input_price)
    + _cached * coalesce(_price.cached_input_price, _price.input_price * 0.1)) / 1000000;
  output_cost := ((_output - _image_output) * _price.output_price
    + _image_output * coalesce(_price.image_output_price, _price.output_price)) / 1000000;
  reasoning_cost := _reasoning * coalesce(_price.reasoning_price, _price.output_price) / 1000000;
  total_cost := input_cost + output_cost + reasoning_cost;
end
$$;
comment on function private.llm_cost(public.llm_model_prices, integer, integer, integer, integer, integer, integer) is
  'USD cost parts of one call from normalised token counts (output excludes reasoning).';

/*
 * The one writer of ai_costs for LLM calls: the edge functions call it with the service role
 * after each model call. Tokens must already be normalised (see the header of this file).
 */
create or replace function public.record_ai_cost(
  user_id uuid,
  model text,
  provider text default null,
  input_tokens integer default 0,
  cached_input_tokens integer default 0,
  output_tokens integer default 0,
  reasoning_tokens integer default 0,
  image_input_tokens integer default 0,
  image_output_tokens integer default 0,
  call_type text default 'other',
  workflow text default null,
  conversation_id uuid default null,
  company text default null,
  context text default null,
  metadata jsonb default '{}'::jsonb
)
returns public.ai_costs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _price public.llm_model_prices;
  _cost record;
  _row public.ai_costs;
begin
  if least(record_ai_cost.input_tokens, record_ai_cost.cached_input_tokens, record_ai_cost.output_tokens,
           record_ai_cost.reasoning_tokens, record_ai_cost.image_input_tokens,
           record_ai_cost.image_output_tokens) < 0 then
    raise exception 'token counts cannot be negative' using errcode = '22023';
  end if;
  if record_ai_cost.cached_input_tokens + record_ai_cost.image_input_tokens > record_ai_cost.input_tokens then
    raise exception 'cached (%) and image (%) input tokens are part of input_tokens (%)',
      record_ai_cost.cached_input_tokens, record_ai_cost.image_input_tokens, record_ai_cost.input_tokens
      using errcode = '22023';
  end if;
  if record_ai_cost.image_output_tokens > record_ai_cost.output_tokens then
    raise exception 'image output tokens (%) are part of output_tokens (%)',
      record_ai_cost.image_output_tokens, record_ai_cost.output_tokens using errcode = '22023';
  end if;

  _price := private.llm_price_for(record_ai_cost.model, record_ai_cost.provider, pg_catalog.now());
  if _price.id is null then
    raise exception 'no price for model "%" (provider %)', record_ai_cost.model,
      coalesce(record_ai_cost.provider, 'unknown')
      using errcode = '22023',
            hint = 'Pass the provider so its fallback model applies, or add a row to llm_model_prices.';
  end if;

  select * into _cost
  from private.llm_cost(_price, record_ai_cost.input_tokens, record_ai_cost.cached_input_tokens,
    record_ai_cost.output_tokens, record_ai_cost.reasoning_tokens,
    record_ai_cost.image_input_tokens, record_ai_cost.image_output_tokens);

  insert into public.ai_costs (
    owner_id, company, call_type, workflow, provider, model, context, conversation_id, price_id,
    input_tokens, cached_input_tokens, image_input_tokens, output_tokens, image_output_tokens,
    reasoning_tokens, total_tokens, input_cost, output_cost, reasoning_cost, total_cost, metadata)
  values (
    record_ai_cost.user_id, record_ai_cost.company, record_ai_cost.call_type, record_ai_cost.workflow,
    _price.provider, record_ai_cost.model, record_ai_cost.context, record_ai_cost.conversation_id,
    _price.id,
    record_ai_cost.input_tokens, record_ai_cost.cached_input_tokens, record_ai_cost.image_input_tokens,
    record_ai_cost.output_tokens, record_ai_cost.image_output_tokens, record_ai_cost.reasoning_tokens,
    record_ai_cost.input_tokens + record_ai_cost.output_tokens + record_ai_cost.reasoning_tokens,
    _cost.input_cost, _cost.output_cost, _cost.reasoning_cost, _cost.total_cost,
    coalesce(record_ai_cost.metadata, '{}'::jsonb)
      || case when _price.model <> record_ai_cost.model
              then pg_catalog.jsonb_build_object('priced_as', _price.model)
              else '{}'::jsonb end)
  returning * into _row;
  return _row;
end
$$;
comment on function public.record_ai_cost(uuid, text, text, integer, integer, integer, integer, integer, integer, text, text, uuid, text, text, jsonb) is
  'Service role only: prices one LLM call from llm_model_prices (provider fallback for unknown '
  'models) and stores it in ai_costs. Tokens are normalised: output excludes reasoning.';

revoke execute on function public.record_ai_cost(uuid, text, text, integer, integer, integer, integer, integer, integer, text, text, uuid, text, text, jsonb)
  from public, anon, authenticated;
grant execute on function public.record_ai_cost(uuid, text, text, integer, integer, integer, integer, integer, integer, text, text, uuid, text, text, jsonb)
  to service_role;

revoke execute on all functions in schema private from public;
