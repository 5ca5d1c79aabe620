/*
 * Mockup setup (spec §2.2, §2.11, §9 "Mockup Assistant → Setup"): the SPA uploads a billboard
 * photo to the location-photos bucket and draws its frames; public.save_location_photo_frames
 * records both in the company's schema in one transaction — the location_photos row (upserted
 * on its storage path) and the photo's mockup_frames row (replaced, so a photo saved again
 * with other frames or another time of day / side keeps exactly one template).
 *
 * Company schemas are not exposed over REST, so this is the one write path. It is security
 * definer because it touches two tables of a schema chosen at run time and checks
 * storage.objects; every check the policies would make is made explicitly first:
 * sales:mockups:setup in that company (42501), then the input (22023, naming the field), and
 * only then is anything written. Frames are checked against the photo's size as well as the
 * table's own rule (convex, no three points collinear), and effect overrides against the
 * parameter list of renderer/src/mockup/effect-config.ts, so a template that saves is one the
 * renderer accepts. public.delete_location_photo_frames removes a photo's template again.
 */

-- ---------------------------------------------------------------------------------------------
-- Effect overrides (§2.5)

create or replace function private.assert_effect_config(_config jsonb, _field text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  -- name, snake_case name, min, max; mirrors EFFECT_PARAMETERS of the renderer (the clamps).
  _numeric constant text[][] := array[
    ['edgeBlur', 'edge_blur', '1', '21'],
    ['edgeSmoother', 'edge_smoother', '1', '20'],
    ['imageBlur', 'image_blur', '0', '20'],
    ['brightness', 'brightness', '0', '200'],
    ['contrast', 'contrast', '0', '200'],
    ['saturation', 'saturation', '0', '200'],
    ['lightingAdjustment', 'lighting_adjustment', '-100', '100'],
    ['colorTemperature', 'color_temperature', '-100', '100'],
    ['depthMultiplier', 'depth_multiplier', '5', '30'],
    ['vignette', 'vignette', '0', '100'],
    ['shadowIntensity', 'shadow_intensity', '0', '100'],
    ['overlayOpacity', 'overlay_opacity', '0', '100'],
    ['sharpening', 'sharpening', '0', '100']];
  _switches constant text[][] := array[
    ['enableGammaBlur', 'enable_gamma_blur'],
    ['enableFeathering', 'enable_feathering'],
    ['enableContactShadow', 'enable_contact_shadow'],
    ['enableChokeSpread', 'enable_choke_spread'],
    ['enableLuminanceAdaptation', 'enable_luminance_adaptation'],
    ['enableBleedPrevention', 'enable_bleed_prevention']];
  _key text;
  _value jsonb;
  _i int;
  _found boolean;
  _number numeric;
  _seen text[] := array[]::text[];
begin
  if _config is null or pg_catalog.jsonb_typeof(_config) = 'null' then
    return;
  end if;
  if pg_catalog.jsonb_typeof(_config) <> 'object' then
    raise exception '%: must be an object of effect parameters', _field using errcode = '22023';
  end if;
  for _key, _value in select key, value from pg_catalog.jsonb_each(_config) loop
    _found := false;
    for _i in 1 .. pg_catalog.array_length(_numeric, 1) loop
      if _key in (_numeric[_i][1], _numeric[_i][2]) then
        _found := true;
        if _numeric[_i][1] = any (_seen) then
          raise exception '%: % is given twice', _field, _numeric[_i][1] using errcode = '22023';
        end if;
        _seen := _seen || _numeric[_i][1];
        if pg_catalog.jsonb_typeof(_value) <> 'number' then
          raise exception '%: % must be a number, got %', _field, _key, _value::text using errcode = '22023';
        end if;
        _number := (_value #>> '{}')::numeric;
        if _number < _numeric[_i][3]::numeric or _number > _numeric[_i][4]::numeric then
          raise exception '%: % must be from % to %, got %', _field, _key, _numeric[_i][3], _numeric[_i][4], _number
            using errcode = '22023';
        end if;
      end if;
    end loop;
    for _i in 1 .. pg_catalog.array_length(_switches, 1) loop
      if _key in (_switches[_i][1], _switches[_i][2]) then
        _found := true;
        if _switches[_i][1] = any (_seen) then
          raise exception '%: % is given twice', _field, _switches[_i][1] using errcode = '22023';
        end if;
        _seen := _seen || _switches[_i][1];
        if pg_catalog.jsonb_typeof(_value) <> 'boolean' then
          raise exception '%: % must be true or false, got %', _field, _key, _value::text using errcode = '22023';
        end if;
      end if;
    end loop;
    if not _found then
      raise exception '%: unknown effect parameter "%"', _field, _key
        using errcode = '22023',
              hint = 'Known parameters: edgeBlur, edgeSmoother, imageBlur, brightness, contrast, saturation, '
                     'lightingAdjustment, colorTemperature, depthMultiplier, vignette, shadowIntensity, '
                     'overlayOpacity, sharpening and the enable… switches.';
    end if;
  end loop;
end
$$;
comment on function private.assert_effect_config(jsonb, text) is
  'Raises 22023 unless the value is null or an object of known effect parameters (§2.5, camelCase '
  'or snake_case) with numbers inside their clamps and booleans for the switches.';

-- ---------------------------------------------------------------------------------------------
-- Saving a photo's template

create or replace function public.save_location_photo_frames(company text, location_key text, photo jsonb, frames jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _key text := pg_catalog.lower(pg_catalog.btrim(location_key));
  _location_id uuid;
  _path text;
  _environment text;
  _time_of_day text;
  _side text;
  _width integer;
  _height integer;
  _config jsonb;
  _frame jsonb;
  _point jsonb;
  _field text;
  _unknown text;
  _n int := 0;
  _old jsonb;
  _photo_id uuid;
  _frames_id uuid;
  _stored jsonb := '[]'::jsonb;
begin
  perform private.assert_company_schema(company);
  if not private.company_permits(company, array['sales:mockups:setup']) then
    raise exception 'setting up mockup frames in % needs sales:mockups:setup in that company', company
      using errcode = '42501';
  end if;

  execute pg_catalog.format('select id from %I.locations where location_key = $1', company)
    using _key into _location_id;
  if _location_id is null then
    raise exception 'unknown location "%" in %', coalesce(location_key, 'null'), company using errcode = '22023';
  end if;

  -- The photo ---------------------------------------------------------------------------------
  if photo is null or pg_catalog.jsonb_typeof(photo) <> 'object' then
    raise exception 'photo: must be an object with storage_path, width_px, height_px and the variant' using errcode = '22023';
  end if;
  select pg_catalog.string_agg(k, ', ' order by k) into _unknown
  from pg_catalog.jsonb_object_keys(photo) k
  where k not in ('storage_path', 'environment', 'time_of_day', 'side', 'width_px', 'height_px', 'config', 'caption');
  if _unknown is not null then
    raise exception 'photo: unknown field(s) %', _unknown
      using errcode = '22023', hint = 'Known fields: storage_path, environment, time_of_day, side, width_px, height_px, config, caption.';
  end if;

  _path := private.json_text(photo -> 'storage_path', 'photo.storage_path');
  if _path is null then
    raise exception 'photo.storage_path: required (the object name in the location-photos bucket)' using errcode = '22023';
  end if;
  if pg_catalog.length(_path) > 512 or _path ~ '(^|/)\.\.?(/|$)' or _path like '%//%' or _path ~ '[\\[:cntrl:]]' then
    raise exception 'photo.storage_path: "%" is not a plain object name', _path using errcode = '22023';
  end if;
  if _path not like pg_catalog.format('%s/%s/%%', company, _key) then
    raise exception 'photo.storage_path: must start with "%/%/", got "%"', company, _key, _path using errcode = '22023';
  end if;
  if pg_catalog.lower(_path) !~ '\.(jpe?g|png|webp)$' then
    raise exception 'photo.storage_path: the photo must be a JPEG, PNG or WebP image, got "%"', _path using errcode = '22023';
  end if;
  if not exists (select 1 from storage.objects o where o.bucket_id = 'location-photos' and o.name = _path) then
    raise exception 'photo.storage_path: no uploaded photo "%" in the location-photos bucket', _path
      using errcode = '22023', hint = 'Upload the photo first, then save its frames.';
  end if;

  _environment := pg_catalog.lower(coalesce(private.json_text(photo -> 'environment', 'photo.environment'), 'outdoor'));
  if _environment not in ('outdoor', 'indoor') then
    raise exception 'photo.environment: must be outdoor or indoor, got "%"', _environment using errcode = '22023';
  end if;
  _time_of_day := pg_catalog.lower(private.json_text(photo -> 'time_of_day', 'photo.time_of_day'));
  _side := pg_catalog.lower(private.json_text(photo -> 'side', 'photo.side'));
  if _environment = 'outdoor' then
    if _time_of_day is null or _time_of_day not in ('day', 'night') then
      raise exception 'photo.time_of_day: an outdoor photo is day or night, got %', coalesce('"' || _time_of_day || '"', 'nothing')
        using errcode = '22023';
    end if;
    if _side is null or _side not in ('gold', 'silver', 'single_side') then
      raise exception 'photo.side: an outdoor photo is gold, silver or single_side, got %', coalesce('"' || _side || '"', 'nothing')
        using errcode = '22023';
    end if;
  else
    -- Indoor photos have no lighting or face variant (§2.1); the frame table's defaults stand in.
    _time_of_day := null;
    _side := null;
  end if;

  _width := private.parse_integer(photo -> 'width_px', 'photo.width_px', 1, 20000);
  _height := private.parse_integer(photo -> 'height_px', 'photo.height_px', 1, 20000);
  if _width is null or _height is null then
    raise exception 'photo: width_px and height_px are required (the image size the frames are drawn on)' using errcode = '22023';
  end if;
  _config := coalesce(photo -> 'config', '{}'::jsonb);
  if pg_catalog.jsonb_typeof(_config) = 'null' then
    _config := '{}'::jsonb;
  end if;
  perform private.assert_effect_config(_config, 'photo.config');

  -- The frames --------------------------------------------------------------------------------
  if frames is null or pg_catalog.jsonb_typeof(frames) <> 'array' or pg_catalog.jsonb_array_length(frames) = 0 then
    raise exception 'frames: at least one frame is required' using errcode = '22023';
  end if;
  if pg_catalog.jsonb_array_length(frames) > 20 then
    raise exception 'frames: at most 20 frames per photo, got %', pg_catalog.jsonb_array_length(frames) using errcode = '22023';
  end if;
  for _frame in select value from pg_catalog.jsonb_array_elements(frames) loop
    _n := _n + 1;
    _field := pg_catalog.format('frames[%s]', _n);
    if pg_catalog.jsonb_typeof(_frame) <> 'object' then
      raise exception '%: must be an object with points', _field using errcode = '22023';
    end if;
    select pg_catalog.string_agg(k, ', ' order by k) into _unknown
    from pg_catalog.jsonb_object_keys(_frame) k where k not in ('points', 'config');
    if _unknown is not null then
      raise exception '%: unknown field(s) %; a frame has points and config', _field, _unknown using errcode = '22023';
    end if;
    if pg_catalog.jsonb_typeof(_frame -> 'points') is distinct from 'array' or pg_catalog.jsonb_array_length(_frame -> 'points') <> 4 then
      raise exception '%: needs exactly 4 points', _field using errcode = '22023';
    end if;
    for _point in select value from pg_catalog.jsonb_array_elements(_frame -> 'points') loop
      if pg_catalog.jsonb_typeof(_point) <> 'array' or pg_catalog.jsonb_array_length(_point) <> 2
         or pg_catalog.jsonb_typeof(_point -> 0) <> 'number' or pg_catalog.jsonb_typeof(_point -> 1) <> 'number' then
        raise exception '%: every point is [x, y] with two numbers, got %', _field, _point::text using errcode = '22023';
      end if;
      if (_point ->> 0)::numeric < 0 or (_point ->> 1)::numeric < 0
         or (_point ->> 0)::numeric > _width or (_point ->> 1)::numeric > _height then
        raise exception '%: point % lies outside the %x% photo', _field, _point::text, _width, _height using errcode = '22023';
      end if;
    end loop;
    if not private.points_in_convex_position(_frame -> 'points') then
      raise exception '%: the 4 points must form a convex quadrilateral with no three on a line', _field
        using errcode = '22023', hint = 'Drag the corners apart so the frame outlines the billboard face.';
    end if;
    perform private.assert_effect_config(_frame -> 'config', _field || '.config');
    _stored := _stored || pg_catalog.jsonb_build_array(
      pg_catalog.jsonb_build_object('points', _frame -> 'points')
      || case when _frame ? 'config' and pg_catalog.jsonb_typeof(_frame -> 'config') = 'object'
              then pg_catalog.jsonb_build_object('config', _frame -> 'config') else '{}'::jsonb end);
  end loop;

  -- Write: one photo row, one template row for it ----------------------------------------------
  execute pg_catalog.format('select pg_catalog.to_jsonb(f) from %I.mockup_frames f where f.photo_path = $1 limit 1', company)
    using _path into _old;

  execute pg_catalog.format($sql$
    insert into %1$I.location_photos (location_id, storage_path, environment, time_of_day, side, width_px, height_px, caption, created_by)
    values ($1, $2, $3::public.mockup_environment, $4::public.time_of_day, $5::public.billboard_side, $6, $7, $8, auth.uid())
    on conflict (storage_path) do update
      set environment = excluded.environment, time_of_day = excluded.time_of_day, side = excluded.side,
          width_px = excluded.width_px, height_px = excluded.height_px,
          caption = coalesce(excluded.caption, location_photos.caption)
      where location_photos.location_id = excluded.location_id
    returning id $sql$, company)
    using _location_id, _path, _environment, _time_of_day, _side, _width, _height,
          private.json_text(photo -> 'caption', 'photo.caption')
    into _photo_id;
  if _photo_id is null then
    raise exception 'photo.storage_path: "%" already belongs to another location', _path using errcode = '22023';
  end if;

  execute pg_catalog.format('delete from %I.mockup_frames where photo_path = $1', company) using _path;
  execute pg_catalog.format($sql$
    insert into %1$I.mockup_frames (location_id, environment, time_of_day, side, photo_path, frames_data, config, created_by)
    values ($1, $2::public.mockup_environment, coalesce($3::public.time_of_day, 'day'), coalesce($4::public.billboard_side, 'gold'),
            $5, $6, $7, coalesce(($8 ->> 'created_by')::uuid, auth.uid()))
    returning id $sql$, company)
    using _location_id, _environment, _time_of_day, _side, _path, _stored, _config, _old
    into _frames_id;

  perform private.write_audit(
    case when _old is null then 'mockup_frames.created' else 'mockup_frames.replaced' end, 'data',
    pg_catalog.format('%I.mockup_frames', company), _frames_id::text, null,
    _old,
    pg_catalog.jsonb_build_object('photo_path', _path, 'environment', _environment, 'time_of_day', _time_of_day,
      'side', _side, 'frames_data', _stored, 'config', _config),
    pg_catalog.jsonb_build_object('company', company, 'location_key', _key, 'photo_id', _photo_id));

  return pg_catalog.jsonb_build_object(
    'company', company, 'location_key', _key, 'photo_id', _photo_id, 'frames_id', _frames_id,
    'photo_path', _path, 'environment', _environment, 'time_of_day', _time_of_day, 'side', _side,
    'frame_count', pg_catalog.jsonb_array_length(_stored), 'replaced', _old is not null);
end
$$;
comment on function public.save_location_photo_frames(text, text, jsonb, jsonb) is
  'Mockup setup: records an uploaded billboard photo (location-photos bucket, path '
  '<company>/<location_key>/…) and its frames as the location''s template, replacing the frames '
  'the photo had. photo = {storage_path, width_px, height_px, environment?, time_of_day, side, '
  'config?, caption?}; frames = [{points: [[x,y]×4 inside the photo, convex], config?}]. Needs '
  'sales:mockups:setup in the company (42501); bad input raises 22023 and writes nothing. Audited.';
revoke execute on function public.save_location_photo_frames(text, text, jsonb, jsonb) from public, anon;
grant execute on function public.save_location_photo_frames(text, text, jsonb, jsonb) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Removing a photo's template

create or replace function public.delete_location_photo_frames(company text, photo_path text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _old jsonb;
begin
  perform private.assert_company_schema(company);
  if not private.company_permits(company, array['sales:mockups:setup']) then
    raise exception 'setting up mockup frames in % needs sales:mockups:setup in that company', company
      using errcode = '42501';
  end if;
  execute pg_catalog.format(
    'delete from %I.mockup_frames where photo_path = $1 returning pg_catalog.to_jsonb(mockup_frames.*)', company)
    using photo_path into _old;
  if _old is null then
    raise exception 'no mockup frames for photo "%" in %', coalesce(photo_path, 'null'), company using errcode = '22023';
  end if;
  perform private.write_audit('mockup_frames.deleted', 'data', pg_catalog.format('%I.mockup_frames', company),
    _old ->> 'id', null, _old, null, pg_catalog.jsonb_build_object('company', company));
  return pg_catalog.jsonb_build_object('company', company, 'photo_path', photo_path, 'frames_id', _old ->> 'id');
end
$$;
comment on function public.delete_location_photo_frames(text, text) is
  'Mockup setup: removes the template (frames) of a photo so it is no longer offered for mockups; '
  'the photo itself stays. Needs sales:mockups:setup in the company (42501). Audited.';
revoke execute on function public.delete_location_photo_frames(text, text) from public, anon;
grant execute on function public.delete_location_photo_frames(text, text) to authenticated;

revoke execute on all functions in schema private from public;
