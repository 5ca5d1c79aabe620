/*
 * Occupancy (issue 6 item 3): final approval of a booking order books its locations in the
 * company's availability calendar, <company>.location_occupations, and refuses to overbook.
 *
 *   - one occupation per item that matched a location of the order's company (the match of
 *     private.recalculate_booking_order) and has both dates: status confirmed, sov_percent =
 *     the location's share of voice (null on the location = sold whole = 100), net_rate = the
 *     item's net converted to AED (occupations of every order are comparable)
 *   - items without a match or without dates are returned as "unbooked", never dropped silently
 *   - share of voice: on every day of every new occupation, the SOV of all non-cancelled
 *     occupations of that location covering the day (tentative proposal holds included, the new
 *     ones included) must not exceed 100 (with 0.1 of slack: SOVs are stored to 2 decimals,
 *     so six 1/6 slots add up to 6 × 16.67 = 100.02 and must fit). The worst day of an interval
 *     is one of the start dates inside it, so only those days are checked. Otherwise 23P01 lists each conflict
 *     (location, day, SOV sum, the overlapping bookings with their dates) in the message and as
 *     JSON in DETAIL, and the exception undoes everything the approval wrote.
 *
 * Two approvals of orders for the same location must not both pass the check on stale data:
 * each takes a transaction advisory lock per location (in key order, so no deadlock) before
 * writing and checking. Anything else that writes occupations should take the same lock with
 * private.lock_location_occupancy.
 */

create or replace function private.lock_location_occupancy(_company text, _location_ids uuid[])
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _location uuid;
begin
  for _location in select distinct l from unnest(_location_ids) l where l is not null order by 1 loop
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('location_occupancy:' || _company || ':' || _location::text, 0));
  end loop;
end
$$;
comment on function private.lock_location_occupancy(text, uuid[]) is
  'Serialises occupancy writes per location until the end of the transaction (advisory locks in id order).';

create or replace function private.release_booking_order_occupations(_booking_order_id uuid, _company text, _note text)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _count integer;
begin
  if pg_catalog.to_regclass(pg_catalog.format('%I.location_occupations', _company)) is null then
    return 0;
  end if;
  execute pg_catalog.format(
    'update %I.location_occupations set status = ''cancelled'',
       notes = pg_catalog.concat_ws(E''\n'', notes, $2)
     where booking_order_id = $1 and status <> ''cancelled''', _company)
    using _booking_order_id, _note;
  get diagnostics _count = row_count;
  return _count;
end
$$;
comment on function private.release_booking_order_occupations(uuid, text, text) is
  'Cancels the occupations a booking order holds (cancellation, superseding revision); returns how many.';

create or replace function private.occupy_booking_order_locations(_id uuid, _actor uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _bo public.booking_orders;
  _occupied jsonb;
  _unbooked jsonb;
  _conflicts jsonb;
  _message text;
begin
  select * into _bo from public.booking_orders where id = _id;
  if not found then
    raise exception 'booking order % not found', _id using errcode = 'P0002';
  end if;

  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'position', i.position, 'name', coalesce(i.name, i.asset),
           'reason', case when i.location_key is null then 'no matching location of ' || _bo.company
                          else 'start or end date missing' end) order by i.position), '[]'::jsonb)
    into _unbooked
  from public.booking_order_items i
  where i.booking_order_id = _id
    and (i.location_key is null or i.start_date is null or i.end_date is null);

  if pg_catalog.to_regclass(pg_catalog.format('%I.location_occupations', _bo.company)) is null then
    return pg_catalog.jsonb_build_object('occupied', '[]'::jsonb, 'unbooked', _unbooked);
  end if;

  execute pg_catalog.format($sql$
    select private.lock_location_occupancy($1, array(
      select l.id from public.booking_order_items i join %1$I.locations l on l.location_key = i.location_key
      where i.booking_order_id = $2 and i.location_key is not null and i.start_date is not null and i.end_date is not null))
    $sql$, _bo.company)
    using _bo.company, _id;

  execute pg_catalog.format($sql$
    with inserted as (
      insert into %1$I.location_occupations
        (location_id, booking_order_id, start_date, end_date, sov_percent, status, net_rate,
         client_name, campaign, notes, created_by)
      select l.id, $1, i.start_date, i.end_date, coalesce(l.sov_percent, 100), 'confirmed',
             public.convert_currency(i.net_amount, $2, 'AED'), $3, $4,
             pg_catalog.format('%%s, location %%s', $5, i.position), $6
      from public.booking_order_items i
      join %1$I.locations l on l.location_key = i.location_key
      where i.booking_order_id = $1 and i.start_date is not null and i.end_date is not null
      order by i.position
      returning id, location_id, start_date, end_date, sov_percent
    )
    select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'occupation_id', n.id, 'location_key', l.location_key, 'start_date', n.start_date,
             'end_date', n.end_date, 'sov_percent', n.sov_percent) order by l.location_key, n.start_date), '[]'::jsonb)
    from inserted n join %1$I.locations l on l.id = n.location_id
    $sql$, _bo.company)
    into _occupied
    using _id, _bo.currency, _bo.client_name, _bo.brand_campaign, coalesce(_bo.bo_ref, 'booking order ' || _id::text), _actor;

  -- Days to check: each new occupation's start, and every other start that falls inside it.
  execute pg_catalog.format($sql$
    with mine as (
      select o.* from %1$I.location_occupations o where o.booking_order_id = $1 and o.status = 'confirmed'
    ), days as (
      select distinct m.location_id, d.day
      from mine m
      join lateral (
        select m.start_date as day
        union
        select o.start_date from %1$I.location_occupations o
        where o.location_id = m.location_id and o.status <> 'cancelled'
          and o.start_date between m.start_date and m.end_date
      ) d on true
    ), load as (
      select d.location_id, d.day, sum(coalesce(o.sov_percent, 100)) as sov_total,
             pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'booking', case when o.booking_order_id = $1 then 'this booking order'
                               when b.bo_ref is not null then b.bo_ref
                               when o.booking_order_id is not null then 'booking order ' || o.booking_order_id
                               when o.proposal_id is not null then 'proposal ' || o.proposal_id
                               else 'occupation ' || o.id end,
               'client', o.client_name, 'start_date', o.start_date, 'end_date', o.end_date,
               'status', o.status, 'sov_percent', coalesce(o.sov_percent, 100))
               order by o.start_date, o.id) as bookings
      from days d
      join %1$I.location_occupations o
        on o.location_id = d.location_id and o.status <> 'cancelled' and d.day between o.start_date and o.end_date
      left join public.booking_orders b on b.id = o.booking_order_id
      group by d.location_id, d.day
    )
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'location_key', l.location_key, 'location', l.display_name, 'day', x.day,
             'sov_total', x.sov_total, 'bookings', x.bookings) order by l.location_key, x.day)
    from (
      select distinct on (ld.location_id) ld.*
      from load ld where ld.sov_total > 100.1
      order by ld.location_id, ld.sov_total desc, ld.day
    ) x
    join %1$I.locations l on l.id = x.location_id
    $sql$, _bo.company)
    into _conflicts
    using _id;

  if _conflicts is not null then
    select pg_catalog.string_agg(pg_catalog.format('%s (%s) on %s: %s %% share of voice — %s',
             c ->> 'location', c ->> 'location_key', c ->> 'day', c ->> 'sov_total',
             (select pg_catalog.string_agg(pg_catalog.format('%s%s %s to %s (%s %%)',
                        b ->> 'booking', coalesce(' ' || (b ->> 'client'), ''), b ->> 'start_date', b ->> 'end_date',
                        b ->> 'sov_percent'), '; ')
              from pg_catalog.jsonb_array_elements(c -> 'bookings') b)), ' | ')
      into _message
    from pg_catalog.jsonb_array_elements(_conflicts) c;
    raise exception 'booking order % would overbook: share of voice above 100 %% — %', _id, _message
      using errcode = '23P01', detail = _conflicts::text,
            hint = 'Change the dates or locations, or cancel one of the overlapping bookings.';
  end if;

  return pg_catalog.jsonb_build_object('occupied', _occupied, 'unbooked', _unbooked);
end
$$;
comment on function private.occupy_booking_order_locations(uuid, uuid) is
  'Books the order''s matched items as confirmed occupations of its company (SOV from the location, '
  'null = 100) and checks share of voice per day; returns {occupied, unbooked}. Above 100 % raises 23P01 '
  'listing the conflicts (DETAIL: JSON) and nothing stays written.';

revoke execute on all functions in schema private from public;
