/*
 * public.request_mockup(request jsonb): queue a mockup (contract §3, spec §2.1–§2.3).
 *
 * The template (billboard photo + frames) is chosen HERE, once, and the creative count is
 * validated against that very template — the original validated against the first template
 * and rendered a random one (§2.3, §11.18). Among the templates matching location,
 * environment, time of day and side (`all` = any; time and side do not apply indoors) the
 * choice is random, preferring templates the creatives fit: one creative fits every template
 * (it goes on every frame), N creatives need exactly N frames. When none fits, the error names
 * the chosen template's frame count in the shape of §2.3.
 *
 * Creatives must already be in the caller's own folder of the uploads bucket (<uid>/…): the
 * renderer reads them with the service role, so a path into someone else's folder is refused
 * here. Runs as the caller, so the mockup and job rows pass the usual policies and guards.
 */

create or replace function public.request_mockup(request jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _location jsonb;
  _environment text;
  _time_of_day text;
  _side text;
  _paths jsonb;
  _path text;
  _field text;
  _count integer;
  _frames integer;
  _config jsonb;
  _template record;
  _mockup_id uuid;
  _job_id uuid;
begin
  if not private.has_permission('sales:mockups:generate') then
    raise exception 'generating a mockup needs sales:mockups:generate' using errcode = '42501';
  end if;
  if request is null or jsonb_typeof(request) <> 'object' then
    raise exception 'request: must be a JSON object' using errcode = '22023';
  end if;
  if private.json_text(request -> 'location', 'location') is null then
    raise exception 'location: required' using errcode = '22023';
  end if;
  _location := private.find_location(request ->> 'location', private.json_text(request -> 'company', 'company'));

  _environment := lower(coalesce(private.json_text(request -> 'environment', 'environment'), 'outdoor'));
  if _environment not in ('outdoor', 'indoor') then
    raise exception 'environment: must be outdoor or indoor, got "%"', _environment using errcode = '22023';
  end if;
  _time_of_day := lower(coalesce(private.json_text(request -> 'time_of_day', 'time_of_day'), 'all'));
  if _time_of_day not in ('day', 'night', 'all') then
    raise exception 'time_of_day: must be day, night or all, got "%"', _time_of_day using errcode = '22023';
  end if;
  _side := lower(coalesce(private.json_text(request -> 'side', 'side'), 'all'));
  if _side not in ('gold', 'silver', 'single_side', 'all') then
    raise exception 'side: must be gold, silver, single_side or all, got "%"', _side using errcode = '22023';
  end if;

  _config := coalesce(request -> 'config', '{}'::jsonb);
  if jsonb_typeof(_config) = 'null' then
    _config := '{}'::jsonb;
  elsif jsonb_typeof(_config) <> 'object' then
    raise exception 'config: must be an object of effect settings' using errcode = '22023';
  end if;

  _paths := request -> 'creative_paths';
  if jsonb_typeof(_paths) is distinct from 'array' or jsonb_array_length(_paths) = 0 then
    raise exception 'creative_paths: at least one uploaded creative is required' using errcode = '22023';
  end if;
  _count := jsonb_array_length(_paths);
  if _count > 50 then
    raise exception 'creative_paths: at most 50 creatives, got %', _count using errcode = '22023';
  end if;
  for _i in 0 .. _count - 1 loop
    _field := pg_catalog.format('creative_paths[%s]', _i + 1);
    _path := private.json_text(_paths -> _i, _field);
    if _path is null or length(_path) > 1024 then
      raise exception '%: a path in the uploads bucket is required', _field using errcode = '22023';
    end if;
    if split_part(_path, '/', 1) is distinct from _uid::text or _path !~ '^[^/]+/[^/]'
       or _path ~ '(^|/)\.\.?(/|$)' or _path like '%//%' then
      raise exception '%: "%" is not in your uploads folder (%/…)', _field, _path, _uid using errcode = '42501';
    end if;
    if not exists (select 1 from storage.objects o where o.bucket_id = 'uploads' and o.name = _path) then
      raise exception '%: no uploaded file "%"', _field, _path using errcode = '22023';
    end if;
  end loop;

  select f.id, f.photo_path, f.frames_data, f.config, f.time_of_day, f.side into _template
  from public.all_mockup_frames f
  where f.company = _location ->> 'company'
    and f.location_id = (_location ->> 'id')::uuid
    and f.environment = _environment::public.mockup_environment
    and (_environment = 'indoor' or _time_of_day = 'all' or f.time_of_day = _time_of_day::public.time_of_day)
    and (_environment = 'indoor' or _side = 'all' or f.side = _side::public.billboard_side)
  order by (_count = 1 or jsonb_array_length(f.frames_data) = _count) desc, random()
  limit 1;
  if not found then
    raise exception 'no mockup photo of "%" matches %', _location ->> 'location_key',
      case when _environment = 'indoor' then 'indoor'
           else pg_catalog.format('outdoor, time_of_day %s, side %s', _time_of_day, _side) end
      using errcode = '22023',
            hint = 'a mockup needs a billboard photo with frames set up for the location (sales:mockups:setup)';
  end if;

  _frames := jsonb_array_length(_template.frames_data);
  if _count <> 1 and _count <> _frames then
    raise exception 'Creative count mismatch: provided %, but location requires 1 or % frame(s)', _count, _frames
      using errcode = '22023';
  end if;

  insert into public.mockups (
    owner_id, company, location_key, environment, time_of_day, side, creative_type, frame_id,
    photo_path, status, data)
  values (
    _uid, _location ->> 'company', _location ->> 'location_key', _environment::public.mockup_environment,
    case when _environment = 'outdoor' then _template.time_of_day end,
    case when _environment = 'outdoor' then _template.side end,
    'uploaded', _template.id, _template.photo_path, 'generating',
    pg_catalog.jsonb_build_object('creative_paths', _paths, 'config', _config))
  returning id into _mockup_id;

  insert into public.render_jobs (owner_id, requested_by, company, kind, payload)
  values (_uid, _uid, _location ->> 'company', 'mockup', pg_catalog.jsonb_build_object(
    'mockup_id', _mockup_id,
    'company', _location ->> 'company',
    'photo_path', _template.photo_path,
    'frames', _template.frames_data,
    'photo_config', _template.config,
    'creative_paths', _paths,
    'config', _config,
    'time_of_day', _template.time_of_day))
  returning id into _job_id;

  return pg_catalog.jsonb_build_object('mockup_id', _mockup_id, 'job_id', _job_id);
end
$$;
comment on function public.request_mockup(jsonb) is
  'Queues a mockup: resolves the location among the caller''s companies, picks one matching '
  'template (random; `all` = any), checks the creatives (1, or exactly one per frame of that '
  'template; files in the caller''s uploads folder), records the mockup (status generating) and '
  'a mockup render job. Returns {mockup_id, job_id}. Needs sales:mockups:generate.';
revoke execute on function public.request_mockup(jsonb) from public, anon;
grant execute on function public.request_mockup(jsonb) to authenticated;
