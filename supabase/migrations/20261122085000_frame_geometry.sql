/*
 * Mockup frames must be real quadrilaterals. The shape check of 024000 only looked at the JSON
 * (four non-negative points); a frame whose points are collinear, repeated, or where one point
 * sits inside the triangle of the other three can never receive a creative and used to fail
 * only at render time. Point order stays free (the compositor orders corners itself), so the
 * rule is order-independent: the four points must be in convex position, no three collinear.
 */

create or replace function private.points_in_convex_position(points jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  _x numeric[] := array[]::numeric[];
  _y numeric[] := array[]::numeric[];
  _p jsonb;
  _i int;
  _a int;
  _b int;
  _c int;
  _o numeric[];
begin
  for _p in select value from pg_catalog.jsonb_array_elements(points) loop
    _x := _x || (_p ->> 0)::numeric;
    _y := _y || (_p ->> 1)::numeric;
  end loop;
  if pg_catalog.cardinality(_x) <> 4 then
    return false;
  end if;
  -- Four points are in convex position when none lies inside or on the triangle of the others;
  -- with no three collinear, "on" cannot happen, so a zero orientation already fails.
  for _i in 1..4 loop
    select array_agg(i order by i) into _o from generate_series(1, 4) i where i <> _i;
    _a := _o[1]; _b := _o[2]; _c := _o[3];
    declare
      _d1 numeric := (_x[_b] - _x[_a]) * (_y[_i] - _y[_a]) - (_y[_b] - _y[_a]) * (_x[_i] - _x[_a]);
      _d2 numeric := (_x[_c] - _x[_b]) * (_y[_i] - _y[_b]) - (_y[_c] - _y[_b]) * (_x[_i] - _x[_b]);
      _d3 numeric := (_x[_a] - _x[_c]) * (_y[_i] - _y[_c]) - (_y[_a] - _y[_c]) * (_x[_i] - _x[_c]);
      _t numeric := (_x[_b] - _x[_a]) * (_y[_c] - _y[_a]) - (_y[_b] - _y[_a]) * (_x[_c] - _x[_a]);
    begin
      if _t = 0 or _d1 = 0 or _d2 = 0 or _d3 = 0 then
        return false; -- three collinear points (or a repeated point)
      end if;
      if (_d1 > 0 and _d2 > 0 and _d3 > 0) or (_d1 < 0 and _d2 < 0 and _d3 < 0) then
        return false; -- point _i inside the triangle of the other three
      end if;
    end;
  end loop;
  return true;
end
$$;
comment on function private.points_in_convex_position(jsonb) is
  'True when four [x,y] points form a convex quadrilateral in some order, no three collinear.';
-- Check constraints run with the writer's rights, so the roles that save frames need it.
grant execute on function private.points_in_convex_position(jsonb) to authenticated, service_role;

create or replace function private.frames_data_is_valid(frames jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  _frame jsonb;
  _point jsonb;
begin
  if frames is null or pg_catalog.jsonb_typeof(frames) <> 'array' or pg_catalog.jsonb_array_length(frames) = 0 then
    return false;
  end if;
  for _frame in select value from pg_catalog.jsonb_array_elements(frames) loop
    if pg_catalog.jsonb_typeof(_frame) <> 'object'
       or pg_catalog.jsonb_typeof(_frame -> 'points') is distinct from 'array'
       or pg_catalog.jsonb_array_length(_frame -> 'points') <> 4
       or (_frame ? 'config' and pg_catalog.jsonb_typeof(_frame -> 'config') <> 'object') then
      return false;
    end if;
    for _point in select value from pg_catalog.jsonb_array_elements(_frame -> 'points') loop
      if pg_catalog.jsonb_typeof(_point) <> 'array' or pg_catalog.jsonb_array_length(_point) <> 2
         or pg_catalog.jsonb_typeof(_point -> 0) <> 'number' or pg_catalog.jsonb_typeof(_point -> 1) <> 'number'
         or (_point ->> 0)::numeric < 0 or (_point ->> 1)::numeric < 0 then
        return false;
      end if;
    end loop;
    if not private.points_in_convex_position(_frame -> 'points') then
      return false;
    end if;
  end loop;
  return true;
end
$$;
comment on function private.frames_data_is_valid(jsonb) is
  'Frame list check: a non-empty array of {"points": [[x,y]×4 non-negative, convex, no three collinear], "config"?: {}}.';
