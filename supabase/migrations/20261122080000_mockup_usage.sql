/*
 * Mockup usage log (spec §2.14: "each generation attempt is logged"). The original wrote one
 * row per attempt to a `mockup_usage` table in each company schema: location, time of day,
 * side, photo used, creative type, AI prompt, template, success and client IP. Here it is one
 * public table with a company column (like mockups and ai_costs), so a manager's report over
 * several companies is one query and RLS decides who reads what.
 *
 * The renderer writes one row per attempt of a mockup render job, success or failure, through
 * public.record_mockup_usage (service role only): it passes what only it knows (outcome, error,
 * duration, the photo and the number of creatives it used), the function takes the rest from
 * the job and its mockup row, so a renderer cannot misattribute a row to another user or
 * company. A repeated report of the same attempt is ignored. An attempt whose renderer died
 * before reporting leaves no row (its job still shows the attempt count). The client IP of the
 * original is not available to the renderer and is not recorded.
 *
 * Readable by admins and by holders of sales:mockups:manage in the row's company; nobody
 * writes it through the API except the service role.
 */

create table public.mockup_usage (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  company text references public.companies (slug) on update restrict on delete restrict,
  user_id uuid references public.users (id) on delete set null,
  mockup_id uuid references public.mockups (id) on delete set null,
  job_id uuid references public.render_jobs (id) on delete set null,
  attempt integer check (attempt >= 1),
  location_key text,
  environment public.mockup_environment,
  time_of_day public.time_of_day,
  side public.billboard_side,
  photo_path text,
  template_id uuid,
  creative_type text check (creative_type in ('uploaded', 'ai_generated')),
  ai_prompt text,
  creative_count integer not null check (creative_count between 0 and 50),
  success boolean not null,
  error text check (error is null or length(error) <= 2000),
  duration_ms integer not null check (duration_ms >= 0),
  check (success or error is not null),
  unique (job_id, attempt)
);

comment on table public.mockup_usage is 'One row per mockup generation attempt (spec §2.14), written by the renderer.';
comment on column public.mockup_usage.company is 'Company whose location was used.';
comment on column public.mockup_usage.user_id is 'User who requested the mockup (the job''s owner).';
comment on column public.mockup_usage.mockup_id is 'The mockup being generated.';
comment on column public.mockup_usage.job_id is 'The render job of the attempt.';
comment on column public.mockup_usage.attempt is 'Attempt number of the job (render_jobs.attempts at the claim).';
comment on column public.mockup_usage.location_key is 'Location (storage key) in the company schema.';
comment on column public.mockup_usage.environment is 'outdoor or indoor.';
comment on column public.mockup_usage.time_of_day is 'Lighting of the photo used: day or night (outdoor only).';
comment on column public.mockup_usage.side is 'gold, silver or single_side (outdoor only).';
comment on column public.mockup_usage.photo_path is 'Billboard photo used (location-photos bucket).';
comment on column public.mockup_usage.template_id is 'mockup_frames row (in the company schema) selected for the mockup.';
comment on column public.mockup_usage.creative_type is 'uploaded creative or ai_generated artwork.';
comment on column public.mockup_usage.ai_prompt is 'Brief used for AI artwork (ai_generated only).';
comment on column public.mockup_usage.creative_count is 'Creatives the request supplied.';
comment on column public.mockup_usage.success is 'Whether the attempt produced an image.';
comment on column public.mockup_usage.error is 'Why the attempt failed (null on success).';
comment on column public.mockup_usage.duration_ms is 'Wall time of the attempt in the renderer, milliseconds.';

create index mockup_usage_company_created_idx on public.mockup_usage (company, created_at desc);
create index mockup_usage_user_created_idx on public.mockup_usage (user_id, created_at desc);
create index mockup_usage_mockup_idx on public.mockup_usage (mockup_id);

alter table public.mockup_usage enable row level security;
select private.comment_standard_columns('public.mockup_usage');
revoke all on public.mockup_usage from anon;
revoke insert, update, delete, truncate on public.mockup_usage from authenticated;
-- The log is append-only, even for the service role (it may still prune old rows).
revoke update, truncate on public.mockup_usage from service_role;

create policy "admins and mockup managers read the usage of their companies"
  on public.mockup_usage for select to authenticated
  using (
    company in (select unnest((select private.companies_with_permission('sales:mockups:manage'))))
    or (select private.is_admin())
  );

/*
 * public.record_mockup_usage: the renderer's report of one attempt. Service role only.
 * Everything about who and where comes from the job (owner, company, attempt) and its mockup
 * (location, environment, time of day, side, template, creative type, prompt); the payload's
 * photo and time of day stand in when the mockup row is gone. Returns the row, or null when
 * this attempt was already recorded.
 */
create or replace function public.record_mockup_usage(
  job_id uuid,
  success boolean,
  duration_ms integer,
  creative_count integer,
  photo_path text default null,
  error text default null,
  attempt integer default null
)
returns public.mockup_usage
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _job public.render_jobs;
  _mockup public.mockups;
  _row public.mockup_usage;
  _uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  _error text := nullif(btrim(record_mockup_usage.error), '');
begin
  if record_mockup_usage.success is null then
    raise exception 'success: required' using errcode = '22023';
  end if;
  if record_mockup_usage.duration_ms is null or record_mockup_usage.duration_ms < 0 then
    raise exception 'duration_ms: must be a number of milliseconds, not negative' using errcode = '22023';
  end if;
  if record_mockup_usage.creative_count is null or record_mockup_usage.creative_count not between 0 and 50 then
    raise exception 'creative_count: must be between 0 and 50' using errcode = '22023';
  end if;

  select * into _job from public.render_jobs j where j.id = record_mockup_usage.job_id;
  if not found or _job.kind <> 'mockup' then
    raise exception 'job_id: no mockup render job %', record_mockup_usage.job_id using errcode = '22023';
  end if;
  if _job.payload ->> 'mockup_id' ~ _uuid then
    select * into _mockup from public.mockups m
    where m.id = (_job.payload ->> 'mockup_id')::uuid and m.owner_id = _job.owner_id;
  end if;

  insert into public.mockup_usage (
    company, user_id, mockup_id, job_id, attempt, location_key, environment, time_of_day, side,
    photo_path, template_id, creative_type, ai_prompt, creative_count, success, error, duration_ms)
  values (
    coalesce(_mockup.company, _job.company),
    _job.owner_id,
    _mockup.id,
    _job.id,
    coalesce(record_mockup_usage.attempt, nullif(_job.attempts, 0)),
    _mockup.location_key,
    _mockup.environment,
    coalesce(_mockup.time_of_day,
             case when _job.payload ->> 'time_of_day' in ('day', 'night') then (_job.payload ->> 'time_of_day')::public.time_of_day end),
    _mockup.side,
    coalesce(nullif(record_mockup_usage.photo_path, ''), _mockup.photo_path, _job.payload ->> 'photo_path'),
    _mockup.frame_id,
    _mockup.creative_type,
    _mockup.ai_prompt,
    record_mockup_usage.creative_count,
    record_mockup_usage.success,
    case when record_mockup_usage.success then null else left(coalesce(_error, 'unknown error'), 2000) end,
    record_mockup_usage.duration_ms)
  on conflict on constraint mockup_usage_job_id_attempt_key do nothing
  returning * into _row;
  return _row;
end
$$;
comment on function public.record_mockup_usage(uuid, boolean, integer, integer, text, text, integer) is
  'Renderer only. Logs one attempt of a mockup render job: outcome, error, duration, photo and '
  'creative count from the renderer; user, company, location, time of day, side, template and '
  'creative type from the job and its mockup. attempt defaults to the job''s current attempt. '
  'Returns the row, or null when the attempt was already logged.';
revoke execute on function public.record_mockup_usage(uuid, boolean, integer, integer, text, text, integer) from public, anon, authenticated;
grant execute on function public.record_mockup_usage(uuid, boolean, integer, integer, text, text, integer) to service_role;
