/*
 * One helper call fewer in the visibility policies of proposals, booking orders and mockups.
 *
 * Their policies read: owner (or a leader above the owner), the type's manage permission in
 * the record's company, a live share, or an administrator. Each clause is a per-statement
 * helper call, and the fixed cost of those calls is most of what RLS adds to a page of rows.
 * On these three tables company is NOT NULL and a foreign key to companies.slug, so "every
 * company" already selects every row: private.company_reach() answers every company slug for
 * an administrator, and the administrator clause folds into the company clause. Same rows as
 * before for everyone; documents and ai_costs allow a null company and keep their own
 * administrator clause.
 */

create or replace function private.company_reach(_manage_permission text)
returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _grants text[];
  _expiring_grants text[];
  _expiring_until timestamptz[];
  _leaves text[];
  _candidates text[];
begin
  select a.grants, a.expiring_grants, a.expiring_until, a.leaf_companies
    into _grants, _expiring_grants, _expiring_until, _leaves
  from private.user_access a where a.user_id = _uid;
  if not found then
    return '{}';
  end if;
  if private.grants_cover(_grants, _expiring_grants, _expiring_until,
                          private.permission_candidates('core:system:admin')) then
    return array(select c.slug from public.companies c order by c.slug);
  end if;
  -- A variable, so grants_cover is inlined (an argument it uses three times must be simple).
  _candidates := private.permission_candidates(_manage_permission);
  if private.grants_cover(_grants, _expiring_grants, _expiring_until, _candidates) then
    return _leaves;
  end if;
  return '{}';
end
$$;
comment on function private.company_reach(text) is
  'Policy helper for tables whose company is never null: every company slug for an '
  'administrator, the caller''s leaf companies when the caller holds the manage permission, '
  'else none. company in (select unnest((select private.company_reach(…)))) covers both rules.';

-- proposals
drop policy "people read proposals they own, lead, manage or got shared" on public.proposals;
create policy "people read proposals they own, lead, manage or got shared"
  on public.proposals for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read'))))
  );

drop policy "owners, leaders, managers and read_write sharees edit proposals" on public.proposals;
create policy "owners, leaders, managers and read_write sharees edit proposals"
  on public.proposals for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read_write'))))
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'read_write'))))
  );

drop policy "owners, leaders, managers and full sharees delete proposals" on public.proposals;
create policy "owners, leaders, managers and full sharees delete proposals"
  on public.proposals for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:proposals:manage'))))
    or id in (select unnest((select private.shared_record_ids('proposal', 'full'))))
  );

-- booking_orders
drop policy "people read booking orders they own, lead, manage or got shared" on public.booking_orders;
create policy "people read booking orders they own, lead, manage or got shared"
  on public.booking_orders for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read'))))
  );

drop policy "owners, leaders, managers, read_write sharees edit BOs" on public.booking_orders;
create policy "owners, leaders, managers, read_write sharees edit BOs"
  on public.booking_orders for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read_write'))))
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'read_write'))))
  );

drop policy "owners, leaders, managers and full sharees delete BOs" on public.booking_orders;
create policy "owners, leaders, managers and full sharees delete BOs"
  on public.booking_orders for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:booking_orders:manage'))))
    or id in (select unnest((select private.shared_record_ids('booking_order', 'full'))))
  );

-- mockups
drop policy "people read mockups they own, lead, manage or got shared" on public.mockups;
create policy "people read mockups they own, lead, manage or got shared"
  on public.mockups for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:mockups:manage'))))
    or id in (select unnest((select private.shared_record_ids('mockup', 'read'))))
  );

drop policy "owners, leaders, managers and read_write sharees edit mockups" on public.mockups;
create policy "owners, leaders, managers and read_write sharees edit mockups"
  on public.mockups for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:mockups:manage'))))
    or id in (select unnest((select private.shared_record_ids('mockup', 'read_write'))))
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:mockups:manage'))))
    or id in (select unnest((select private.shared_record_ids('mockup', 'read_write'))))
  );

drop policy "owners, leaders, managers and full sharees delete mockups" on public.mockups;
create policy "owners, leaders, managers and full sharees delete mockups"
  on public.mockups for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or company in (select unnest((select private.company_reach('sales:mockups:manage'))))
    or id in (select unnest((select private.shared_record_ids('mockup', 'full'))))
  );

revoke execute on all functions in schema private from public;
grant execute on function private.company_reach(text) to authenticated, service_role;
