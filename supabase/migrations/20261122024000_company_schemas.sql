/*
 * Company schemas (spec §1.3, §2.2, §7.3): each leaf company owns a schema named after its
 * slug holding its inventory — locations, location_photos, mockup_frames, rate_cards,
 * location_occupations. All are built by ONE template function, private.build_company_schema,
 * so every company has exactly the same shape; public.provision_company(slug, name) adds a
 * company with one call, and the cross-company read views in public (security_invoker, with
 * a `company` column) are rebuilt so the new company shows up with no code change.
 *
 * Units are explicit (§11.15): sov_percent is a percentage (12.50 = 12.5 %), never a fraction;
 * upload_fee null means "not set", never 0. Slugs are validated and every identifier is quoted
 * with format('%I'), so a slug cannot inject SQL.
 *
 * Access, per table, for users who can access the company:
 *   read    locations, photos   any of assets:locations:read, sales:proposals:{read,create},
 *                               sales:mockups:{read,generate,setup}, sales:booking_orders:read
 *           mockup_frames       sales:mockups:{read,generate,setup}, assets:locations:read
 *           rate_cards          sales:rate_cards:read, sales:proposals:{read,create}, assets:locations:read
 *           occupations         assets:locations:read, sales:booking_orders:read, sales:proposals:read
 *   write   locations           assets:locations:{create,update,delete} (manage implies them)
 *           photos              assets:locations:update or sales:mockups:setup
 *           mockup_frames       sales:mockups:setup
 *           rate_cards          sales:rate_cards:{create,update,delete}
 *           occupations         sales:booking_orders:update or assets:locations:update
 */

create type public.display_type as enum ('digital', 'static');
comment on type public.display_type is 'digital screen (spots in a loop) or static (printed) billboard.';

create type public.occupation_status as enum ('tentative', 'pending', 'confirmed', 'live', 'completed', 'cancelled');
comment on type public.occupation_status is 'State of a booking of a location for a period.';

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
  end loop;
  return true;
end
$$;
comment on function private.frames_data_is_valid(jsonb) is
  'Frame list check: a non-empty array of {"points": [[x,y]×4 non-negative numbers], "config"?: {}}.';
grant execute on function private.frames_data_is_valid(jsonb) to authenticated, service_role;

create or replace function private.is_reserved_schema_name(_name text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select _name in (
      'public', 'private', 'auth', 'storage', 'extensions', 'net', 'graphql', 'graphql_public',
      'realtime', 'vault', 'cron', 'pgbouncer', 'pgsodium', 'pgsodium_masks', 'information_schema',
      'supabase_functions', 'supabase_migrations', 'tests')
    or _name like 'pg\_%'
    or _name like 'supabase\_%'
    or _name like '\_%'
$$;
comment on function private.is_reserved_schema_name(text) is 'Schema names no company may take.';

-- ---------------------------------------------------------------------------------------------
-- The template

create or replace function private.build_company_schema(_slug text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
-- Re-running the template is normal; its "already exists, skipping" notices are noise.
set client_min_messages = 'warning'
as $$
declare
  _inventory_read constant text :=
    'array[''assets:locations:read'', ''sales:proposals:read'', ''sales:proposals:create'', '
    '''sales:mockups:read'', ''sales:mockups:generate'', ''sales:mockups:setup'', '
    '''sales:booking_orders:read'']';
  _frames_read constant text :=
    'array[''sales:mockups:read'', ''sales:mockups:generate'', ''sales:mockups:setup'', ''assets:locations:read'']';
  _rates_read constant text :=
    'array[''sales:rate_cards:read'', ''sales:proposals:read'', ''sales:proposals:create'', ''assets:locations:read'']';
  _occupations_read constant text :=
    'array[''assets:locations:read'', ''sales:booking_orders:read'', ''sales:proposals:read'']';
  _policy record;
  _table text;
begin
  if _slug is null or _slug !~ '^[a-z][a-z0-9_]{1,40}$' or private.is_reserved_schema_name(_slug) then
    raise exception 'invalid company slug "%"', coalesce(_slug, 'null') using errcode = '22023';
  end if;

  execute format('create schema if not exists %I', _slug);
  execute format('comment on schema %I is %L', _slug,
    format('Inventory of company %s: locations, photos, mockup frames, rate cards, occupations.', _slug));

  -- locations --------------------------------------------------------------------------------
  execute format($ddl$
    create table if not exists %1$I.locations (
      id uuid primary key default gen_random_uuid(),
      location_key text not null unique check (location_key ~ '^[a-z0-9][a-z0-9_]{0,80}$'),
      display_name text not null check (length(btrim(display_name)) between 1 and 200),
      display_type public.display_type not null,
      series text,
      height text,
      width text,
      number_of_faces integer not null default 1 check (number_of_faces >= 1),
      sov_percent numeric(5, 2) check (sov_percent >= 1 and sov_percent <= 100),
      spot_duration integer check (spot_duration > 0),
      loop_duration integer check (loop_duration > 0),
      upload_fee numeric(12, 2) check (upload_fee >= 0),
      city text,
      area text,
      country text,
      address text,
      gps_lat numeric(9, 6) check (gps_lat between -90 and 90),
      gps_lng numeric(9, 6) check (gps_lng between -180 and 180),
      is_active boolean not null default true,
      template_path text,
      notes text,
      created_by uuid default auth.uid() references public.users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (spot_duration is null or loop_duration is null or spot_duration <= loop_duration)
    ) $ddl$, _slug);
  execute format('comment on table %I.locations is %L', _slug,
    'Sellable locations (billboards, screens, networks) of the company.');
  execute format($c$
    comment on column %1$I.locations.location_key is 'Stable key, lower-case, e.g. dubai_gateway.';
    comment on column %1$I.locations.display_name is 'Name shown on proposals.';
    comment on column %1$I.locations.display_type is 'digital or static.';
    comment on column %1$I.locations.series is 'Product series / family name.';
    comment on column %1$I.locations.height is 'Height as printed, e.g. 6m.';
    comment on column %1$I.locations.width is 'Width as printed, e.g. 18m.';
    comment on column %1$I.locations.number_of_faces is 'Number of faces (default 1).';
    comment on column %1$I.locations.sov_percent is 'Share of voice in PERCENT (12.50 = 12.5 %%), never a fraction; null = not set.';
    comment on column %1$I.locations.spot_duration is 'Spot length in seconds (digital).';
    comment on column %1$I.locations.loop_duration is 'Loop length in seconds (digital).';
    comment on column %1$I.locations.upload_fee is 'Upload fee in AED; null = not set (0 is a real zero).';
    comment on column %1$I.locations.city is 'City.';
    comment on column %1$I.locations.area is 'Area / district.';
    comment on column %1$I.locations.country is 'Country.';
    comment on column %1$I.locations.address is 'Street address or landmark.';
    comment on column %1$I.locations.gps_lat is 'Latitude (WGS84).';
    comment on column %1$I.locations.gps_lng is 'Longitude (WGS84).';
    comment on column %1$I.locations.is_active is 'Inactive locations are not offered for sale.';
    comment on column %1$I.locations.template_path is 'Proposal template in the templates bucket: <company>/<location_key>/….';
    comment on column %1$I.locations.notes is 'Internal notes.';
    comment on column %1$I.locations.created_by is 'Who added the location.';
    $c$, _slug);

  -- location_photos --------------------------------------------------------------------------
  execute format($ddl$
    create table if not exists %1$I.location_photos (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references %1$I.locations (id) on delete cascade,
      storage_path text not null unique check (storage_path like %2$L),
      environment public.mockup_environment not null default 'outdoor',
      time_of_day public.time_of_day,
      side public.billboard_side,
      caption text,
      is_primary boolean not null default false,
      width_px integer check (width_px > 0),
      height_px integer check (height_px > 0),
      created_by uuid default auth.uid() references public.users (id) on delete set null,
      created_at timestamptz not null default now()
    ) $ddl$, _slug, _slug || '/%');
  execute format('create unique index if not exists location_photos_one_primary on %I.location_photos (location_id) where is_primary', _slug);
  execute format('create index if not exists location_photos_location_idx on %I.location_photos (location_id)', _slug);
  execute format('comment on table %I.location_photos is %L', _slug, 'Photos of locations (bucket location-photos).');
  execute format($c$
    comment on column %1$I.location_photos.location_id is 'The location.';
    comment on column %1$I.location_photos.storage_path is 'Object name in the location-photos bucket; starts with the company slug.';
    comment on column %1$I.location_photos.environment is 'outdoor or indoor.';
    comment on column %1$I.location_photos.time_of_day is 'day or night (outdoor).';
    comment on column %1$I.location_photos.side is 'gold, silver or single_side (outdoor).';
    comment on column %1$I.location_photos.caption is 'Caption for galleries.';
    comment on column %1$I.location_photos.is_primary is 'The photo shown first for the location (one per location).';
    comment on column %1$I.location_photos.width_px is 'Image width in pixels.';
    comment on column %1$I.location_photos.height_px is 'Image height in pixels.';
    $c$, _slug);

  -- mockup_frames ----------------------------------------------------------------------------
  execute format($ddl$
    create table if not exists %1$I.mockup_frames (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references %1$I.locations (id) on delete cascade,
      environment public.mockup_environment not null default 'outdoor',
      time_of_day public.time_of_day not null default 'day',
      side public.billboard_side not null default 'gold',
      photo_path text not null check (photo_path like %2$L),
      frames_data jsonb not null check (private.frames_data_is_valid(frames_data)),
      config jsonb not null default '{}'::jsonb check (jsonb_typeof(config) = 'object'),
      created_by uuid default auth.uid() references public.users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (location_id, environment, time_of_day, side, photo_path)
    ) $ddl$, _slug, _slug || '/%');
  execute format('comment on table %I.mockup_frames is %L', _slug,
    'Billboard photos with the quadrilaterals (frames) where creatives are composited.');
  execute format($c$
    comment on column %1$I.mockup_frames.location_id is 'The location (storage key) the photo shows.';
    comment on column %1$I.mockup_frames.environment is 'outdoor or indoor (venue type).';
    comment on column %1$I.mockup_frames.time_of_day is 'day or night (ignored for indoor).';
    comment on column %1$I.mockup_frames.side is 'gold, silver or single_side (ignored for indoor).';
    comment on column %1$I.mockup_frames.photo_path is 'Billboard photo in the location-photos bucket.';
    comment on column %1$I.mockup_frames.frames_data is 'Array of frames: {"points": [[x,y]×4 in image pixels, ≥ 0], "config": {…overrides}}.';
    comment on column %1$I.mockup_frames.config is 'Photo-level effect settings; frame config overrides them.';
    $c$, _slug);

  -- rate_cards -------------------------------------------------------------------------------
  execute format($ddl$
    create table if not exists %1$I.rate_cards (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references %1$I.locations (id) on delete cascade,
      valid_from date not null,
      valid_to date,
      duration_weeks integer not null default 1 check (duration_weeks between 1 and 104),
      net_rate numeric(14, 2) not null check (net_rate >= 0),
      currency text not null default 'AED' check (currency ~ '^[A-Z]{3}$'),
      upload_fee numeric(12, 2) check (upload_fee >= 0),
      production_fee numeric(12, 2) check (production_fee >= 0),
      is_active boolean not null default true,
      notes text,
      created_by uuid default auth.uid() references public.users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (location_id, duration_weeks, valid_from),
      check (valid_to is null or valid_to >= valid_from)
    ) $ddl$, _slug);
  execute format('comment on table %I.rate_cards is %L', _slug,
    'Price list: net rate of a location for a booking length, valid for a date range.');
  execute format($c$
    comment on column %1$I.rate_cards.location_id is 'The location priced.';
    comment on column %1$I.rate_cards.valid_from is 'First day the rate applies.';
    comment on column %1$I.rate_cards.valid_to is 'Last day the rate applies; null = open-ended.';
    comment on column %1$I.rate_cards.duration_weeks is 'Booking length the rate is for, in weeks.';
    comment on column %1$I.rate_cards.net_rate is 'Net rental for that length.';
    comment on column %1$I.rate_cards.currency is 'Currency of the rate (ISO 4217).';
    comment on column %1$I.rate_cards.upload_fee is 'Upload fee; null = use the location''s.';
    comment on column %1$I.rate_cards.production_fee is 'Production fee for static boards; null = not set.';
    comment on column %1$I.rate_cards.is_active is 'Inactive rates are not offered.';
    comment on column %1$I.rate_cards.notes is 'Internal notes.';
    $c$, _slug);
  execute format('create index if not exists rate_cards_location_idx on %I.rate_cards (location_id, valid_from desc)', _slug);

  -- location_occupations ---------------------------------------------------------------------
  execute format($ddl$
    create table if not exists %1$I.location_occupations (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references %1$I.locations (id) on delete cascade,
      booking_order_id uuid references public.booking_orders (id) on delete set null,
      proposal_id uuid references public.proposals (id) on delete set null,
      start_date date not null,
      end_date date not null,
      sov_percent numeric(5, 2) check (sov_percent >= 1 and sov_percent <= 100),
      status public.occupation_status not null default 'tentative',
      net_rate numeric(14, 2) check (net_rate >= 0),
      client_name text,
      campaign text,
      notes text,
      created_by uuid default auth.uid() references public.users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (end_date >= start_date)
    ) $ddl$, _slug);
  execute format('comment on table %I.location_occupations is %L', _slug,
    'Availability calendar: which booking order or proposal holds a location for which dates.');
  execute format($c$
    comment on column %1$I.location_occupations.location_id is 'The location occupied.';
    comment on column %1$I.location_occupations.booking_order_id is 'Booking order holding the slot.';
    comment on column %1$I.location_occupations.proposal_id is 'Proposal holding the slot (tentative holds).';
    comment on column %1$I.location_occupations.start_date is 'First day occupied.';
    comment on column %1$I.location_occupations.end_date is 'Last day occupied.';
    comment on column %1$I.location_occupations.sov_percent is 'Share of voice taken, in percent (digital).';
    comment on column %1$I.location_occupations.status is 'tentative, pending, confirmed, live, completed or cancelled.';
    comment on column %1$I.location_occupations.net_rate is 'Net rental agreed for the period.';
    comment on column %1$I.location_occupations.client_name is 'Client.';
    comment on column %1$I.location_occupations.campaign is 'Campaign or brand.';
    comment on column %1$I.location_occupations.notes is 'Internal notes.';
    $c$, _slug);
  execute format('create index if not exists location_occupations_calendar_idx on %I.location_occupations (location_id, start_date, end_date)', _slug);
  execute format('create index if not exists location_occupations_bo_idx on %I.location_occupations (booking_order_id) where booking_order_id is not null', _slug);
  execute format('create index if not exists location_occupations_proposal_idx on %I.location_occupations (proposal_id) where proposal_id is not null', _slug);

  foreach _table in array array['locations', 'location_photos', 'mockup_frames', 'rate_cards', 'location_occupations'] loop
    perform private.comment_standard_columns(pg_catalog.format('%I.%I', _slug, _table)::regclass);
  end loop;

  -- triggers ---------------------------------------------------------------------------------
  foreach _table in array array['locations', 'mockup_frames', 'rate_cards', 'location_occupations'] loop
    execute format('create or replace trigger %I before update on %I.%I
      for each row execute function private.touch_updated_at()', _table || '_touch_updated_at', _slug, _table);
  end loop;
  execute format('create or replace trigger locations_audit_deletion after delete on %I.locations
    for each row execute function private.audit_record_deletion(%L)', _slug, 'location');

  -- grants and row-level security --------------------------------------------------------------
  execute format('grant usage on schema %I to authenticated, service_role', _slug);
  execute format('revoke all on all tables in schema %I from anon, public', _slug);
  execute format('grant select, insert, update, delete on all tables in schema %I to authenticated', _slug);
  execute format('grant all on all tables in schema %I to service_role', _slug);

  foreach _table in array array['locations', 'location_photos', 'mockup_frames', 'rate_cards', 'location_occupations'] loop
    execute format('alter table %I.%I enable row level security', _slug, _table);
    for _policy in
      select policyname from pg_catalog.pg_policies where schemaname = _slug and tablename = _table
    loop
      execute format('drop policy %I on %I.%I', _policy.policyname, _slug, _table);
    end loop;
  end loop;

  execute format($p$
    create policy "company staff read locations" on %1$I.locations
      for select to authenticated using ((select private.company_permits(%2$L, %3$s)));
    create policy "location creators add locations" on %1$I.locations
      for insert to authenticated with check ((select private.company_permits(%2$L, array['assets:locations:create'])));
    create policy "location editors change locations" on %1$I.locations
      for update to authenticated
      using ((select private.company_permits(%2$L, array['assets:locations:update'])))
      with check ((select private.company_permits(%2$L, array['assets:locations:update'])));
    create policy "location deleters remove locations" on %1$I.locations
      for delete to authenticated using ((select private.company_permits(%2$L, array['assets:locations:delete'])));

    create policy "company staff read location photos" on %1$I.location_photos
      for select to authenticated using ((select private.company_permits(%2$L, %3$s)));
    create policy "location editors and mockup setup add location photos" on %1$I.location_photos
      for insert to authenticated
      with check ((select private.company_permits(%2$L, array['assets:locations:update', 'sales:mockups:setup'])));
    create policy "location editors and mockup setup change location photos" on %1$I.location_photos
      for update to authenticated
      using ((select private.company_permits(%2$L, array['assets:locations:update', 'sales:mockups:setup'])))
      with check ((select private.company_permits(%2$L, array['assets:locations:update', 'sales:mockups:setup'])));
    create policy "location editors and mockup setup remove location photos" on %1$I.location_photos
      for delete to authenticated
      using ((select private.company_permits(%2$L, array['assets:locations:update', 'sales:mockups:setup'])));

    create policy "mockup users read mockup frames" on %1$I.mockup_frames
      for select to authenticated using ((select private.company_permits(%2$L, %4$s)));
    create policy "mockup setup adds mockup frames" on %1$I.mockup_frames
      for insert to authenticated with check ((select private.company_permits(%2$L, array['sales:mockups:setup'])));
    create policy "mockup setup changes mockup frames" on %1$I.mockup_frames
      for update to authenticated
      using ((select private.company_permits(%2$L, array['sales:mockups:setup'])))
      with check ((select private.company_permits(%2$L, array['sales:mockups:setup'])));
    create policy "mockup setup removes mockup frames" on %1$I.mockup_frames
      for delete to authenticated using ((select private.company_permits(%2$L, array['sales:mockups:setup'])));

    create policy "sales staff read rate cards" on %1$I.rate_cards
      for select to authenticated using ((select private.company_permits(%2$L, %5$s)));
    create policy "rate card creators add rate cards" on %1$I.rate_cards
      for insert to authenticated with check ((select private.company_permits(%2$L, array['sales:rate_cards:create'])));
    create policy "rate card editors change rate cards" on %1$I.rate_cards
      for update to authenticated
      using ((select private.company_permits(%2$L, array['sales:rate_cards:update'])))
      with check ((select private.company_permits(%2$L, array['sales:rate_cards:update'])));
    create policy "rate card deleters remove rate cards" on %1$I.rate_cards
      for delete to authenticated using ((select private.company_permits(%2$L, array['sales:rate_cards:delete'])));

    create policy "company staff read location occupations" on %1$I.location_occupations
      for select to authenticated using ((select private.company_permits(%2$L, %6$s)));
    create policy "booking editors add location occupations" on %1$I.location_occupations
      for insert to authenticated
      with check ((select private.company_permits(%2$L, array['sales:booking_orders:update', 'assets:locations:update'])));
    create policy "booking editors change location occupations" on %1$I.location_occupations
      for update to authenticated
      using ((select private.company_permits(%2$L, array['sales:booking_orders:update', 'assets:locations:update'])))
      with check ((select private.company_permits(%2$L, array['sales:booking_orders:update', 'assets:locations:update'])));
    create policy "booking editors remove location occupations" on %1$I.location_occupations
      for delete to authenticated
      using ((select private.company_permits(%2$L, array['sales:booking_orders:update', 'assets:locations:update'])));
    $p$, _slug, _slug, _inventory_read, _frames_read, _rates_read, _occupations_read);
end
$$;
comment on function private.build_company_schema(text) is
  'THE company schema template: creates or brings up to date the schema <slug> with its '
  'inventory tables, indexes, triggers, grants and policies. Idempotent.';

-- ---------------------------------------------------------------------------------------------
-- Cross-company read views

create or replace function private.rebuild_company_views()
returns void
language plpgsql
volatile
security definer
set search_path = ''
-- Re-running the template is normal; its "already exists, skipping" notices are noise.
set client_min_messages = 'warning'
as $$
declare
  _view record;
  _body text;
begin
  for _view in
    select * from (values
      ('all_locations', 'locations', 'Locations of every company the caller can read, with a company column.'),
      ('all_location_photos', 'location_photos', 'Location photos of every company the caller can read.'),
      ('all_mockup_frames', 'mockup_frames', 'Mockup frames of every company the caller can read.'),
      ('all_rate_cards', 'rate_cards', 'Rate cards of every company the caller can read.'),
      ('all_location_occupations', 'location_occupations', 'Location occupations of every company the caller can read.')
    ) as v (view_name, table_name, description)
  loop
    select string_agg(
             pg_catalog.format('select %L::text as company, t.* from %I.%I t', c.slug, c.slug, _view.table_name),
             ' union all ' order by c.slug)
      into _body
      from public.companies c
      where c.schema_provisioned_at is not null and not c.is_group;

    execute pg_catalog.format('drop view if exists public.%I', _view.view_name);
    if _body is null then
      continue;
    end if;
    execute pg_catalog.format('create view public.%I with (security_invoker = true) as %s', _view.view_name, _body);
    execute pg_catalog.format('comment on view public.%I is %L', _view.view_name,
      _view.description || ' Rebuilt by provision_company; row-level security of each company schema applies.');
    execute pg_catalog.format('revoke all on public.%I from public, anon, authenticated, service_role', _view.view_name);
    execute pg_catalog.format('grant select on public.%I to authenticated, service_role', _view.view_name);
  end loop;
end
$$;
comment on function private.rebuild_company_views() is
  'Recreates public.all_* views as a union over every provisioned company schema.';

-- ---------------------------------------------------------------------------------------------
-- Provisioning

create or replace function private.provision_company(_slug text, _name text, _parent_slug text default 'mmg')
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _parent public.companies;
  _company public.companies;
  _created boolean := false;
begin
  if _slug is null or _slug !~ '^[a-z][a-z0-9_]{1,40}$' then
    raise exception 'invalid company slug "%": use 2 to 41 characters, a lower-case letter first, then lower-case letters, digits or underscores',
      coalesce(_slug, 'null') using errcode = '22023';
  end if;
  if private.is_reserved_schema_name(_slug) then
    raise exception 'company slug "%" is reserved', _slug using errcode = '22023';
  end if;
  if _name is null or length(btrim(_name)) not between 1 and 120 then
    raise exception 'company name must be 1 to 120 characters' using errcode = '22023';
  end if;

  -- One provisioning at a time: schema creation and the view rebuild must not interleave.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('public.provision_company'));

  select * into _parent from public.companies where slug = _parent_slug;
  if not found then
    raise exception 'parent group "%" does not exist', coalesce(_parent_slug, 'null') using errcode = '22023';
  end if;
  if not _parent.is_group then
    raise exception 'parent "%" is a company, not a group', _parent_slug using errcode = '22023';
  end if;

  select * into _company from public.companies where slug = _slug;
  if found and _company.is_group then
    raise exception '"%" is a group; only companies get a schema', _slug using errcode = '22023';
  end if;
  if not found then
    if exists (select 1 from pg_catalog.pg_namespace where nspname = _slug) then
      raise exception 'a schema named "%" already exists and is not a company schema', _slug using errcode = '22023';
    end if;
    insert into public.companies (slug, name, parent_id, is_group, currency, timezone)
    values (_slug, btrim(_name), _parent.id, false, _parent.currency, _parent.timezone)
    returning * into _company;
    _created := true;
  end if;

  if _company.schema_provisioned_at is null then
    _created := true;
  end if;
  perform private.build_company_schema(_slug);
  update public.companies set schema_provisioned_at = coalesce(schema_provisioned_at, pg_catalog.now())
    where id = _company.id and schema_provisioned_at is null;
  perform private.rebuild_company_views();

  if _created then
    perform private.write_audit('company.provisioned', 'admin', 'public.companies', _company.id::text, null, null,
      (select pg_catalog.to_jsonb(c) from public.companies c where c.id = _company.id),
      pg_catalog.jsonb_build_object('schema', _slug, 'parent', _parent.slug));
  end if;

  return pg_catalog.jsonb_build_object(
    'id', _company.id, 'slug', _slug, 'name', _company.name, 'parent', _parent.slug,
    'schema', _slug, 'created', _created);
end
$$;
comment on function private.provision_company(text, text, text) is
  'Creates (or completes) a leaf company and its schema from the template; used by migrations and provision_company().';

create or replace function public.provision_company(slug text, name text, parent_slug text default 'mmg')
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception 'only administrators can provision companies' using errcode = '42501';
  end if;
  return private.provision_company(slug, name, parent_slug);
end
$$;
comment on function public.provision_company(text, text, text) is
  'Admin only. Adds a leaf company under a group and creates its schema (locations, photos, '
  'mockup frames, rate cards, occupations) with policies and the public.all_* views. '
  'Idempotent: calling it again changes nothing and returns created = false. Bad slugs raise 22023.';
revoke execute on function public.provision_company(text, text, text) from public, anon;
grant execute on function public.provision_company(text, text, text) to authenticated;

-- The four companies of the group.
select private.provision_company(slug, name, p.parent_slug)
from (values
  ('backlite_dubai', 'Backlite Dubai', 'backlite'),
  ('backlite_uk', 'Backlite UK', 'backlite'),
  ('backlite_abudhabi', 'Backlite Abu Dhabi', 'backlite'),
  ('viola', 'Viola', 'mmg')
) as p (slug, name, parent_slug);

revoke execute on all functions in schema private from public;
