/*
 * AI cost tracking (spec §4.8). Rows are written by the server (service role) for the user
 * who caused the call — user_id is now a real user id, not a display name (§11.19), and the
 * default call type is a valid one. Users see their own costs and, as leaders, their teams';
 * core:ai_costs:manage holders see the costs of their companies (and company-less rows) and
 * may delete them. No sharing, and no API inserts: costs cannot be forged.
 */

create table public.ai_costs (
  id uuid primary key default gen_random_uuid(),
  occurred_at timestamptz not null default now(),
  owner_id uuid not null references public.users (id) on delete restrict,
  company text references public.companies (slug) on update restrict on delete restrict,
  call_type text not null default 'other' check (call_type in (
    'classification', 'parsing', 'coordinator_thread', 'main_llm', 'mockup_analysis',
    'image_generation', 'bo_edit', 'other')),
  workflow text check (workflow in (
    'mockup_upload', 'mockup_ai', 'bo_parsing', 'bo_editing', 'bo_revision',
    'proposal_generation', 'general_chat', 'location_management')),
  provider text,
  model text not null,
  context text,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  cached_input_tokens integer not null default 0 check (cached_input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  reasoning_tokens integer not null default 0 check (reasoning_tokens >= 0),
  total_tokens integer not null default 0 check (total_tokens >= 0),
  input_cost numeric(14, 6) not null default 0 check (input_cost >= 0),
  output_cost numeric(14, 6) not null default 0 check (output_cost >= 0),
  reasoning_cost numeric(14, 6) not null default 0 check (reasoning_cost >= 0),
  total_cost numeric(14, 6) not null default 0 check (total_cost >= 0),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  check (cached_input_tokens <= input_tokens)
);

comment on table public.ai_costs is 'One row per LLM/image call with tokens and USD cost.';
comment on column public.ai_costs.occurred_at is 'When the call completed.';
comment on column public.ai_costs.owner_id is 'User on whose behalf the call was made.';
comment on column public.ai_costs.company is 'Company context of the call, if any.';
comment on column public.ai_costs.call_type is 'classification, parsing, coordinator_thread, main_llm, mockup_analysis, image_generation, bo_edit, other.';
comment on column public.ai_costs.workflow is 'Business workflow the call served.';
comment on column public.ai_costs.provider is 'openai, google, …';
comment on column public.ai_costs.model is 'Model name, e.g. gpt-5.1.';
comment on column public.ai_costs.context is 'Short free-text context.';
comment on column public.ai_costs.input_tokens is 'Prompt tokens including cached ones.';
comment on column public.ai_costs.cached_input_tokens is 'Prompt tokens served from cache.';
comment on column public.ai_costs.output_tokens is 'Completion tokens as reported by the provider.';
comment on column public.ai_costs.reasoning_tokens is 'Reasoning tokens (informational when already included in output).';
comment on column public.ai_costs.total_tokens is 'Total tokens billed.';
comment on column public.ai_costs.input_cost is 'USD.';
comment on column public.ai_costs.output_cost is 'USD.';
comment on column public.ai_costs.reasoning_cost is 'USD.';
comment on column public.ai_costs.total_cost is 'USD, sum of the parts.';
comment on column public.ai_costs.metadata is 'Image size/count and other call details.';

create index ai_costs_owner_occurred_idx on public.ai_costs (owner_id, occurred_at desc);
create index ai_costs_occurred_idx on public.ai_costs (occurred_at desc);

alter table public.ai_costs enable row level security;
select private.comment_standard_columns('public.ai_costs');
revoke all on public.ai_costs from anon;
revoke insert, update, truncate on public.ai_costs from authenticated;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('ai_cost', 'public.ai_costs', 'core:ai_costs:manage', true, false);

create trigger ai_costs_audit_deletion
  after delete on public.ai_costs
  for each row execute function private.audit_record_deletion('ai_cost');

create policy "people read own and team AI costs; cost managers, company-wide"
  on public.ai_costs for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.companies_with_permission('core:ai_costs:manage'))))
    or (company is null and (select private.has_permission('core:ai_costs:manage')))
    or (select private.is_admin())
  );

create policy "cost managers delete AI cost records of their companies"
  on public.ai_costs for delete to authenticated
  using (
    company in (select unnest((select private.companies_with_permission('core:ai_costs:manage'))))
    or (company is null and (select private.has_permission('core:ai_costs:manage')))
    or (select private.is_admin())
  );
