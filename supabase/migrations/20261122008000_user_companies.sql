/*
 * Company assignments (RBAC level 5, spec §6.5). A user is assigned companies or groups;
 * access resolves to the leaf companies below them. The first assignment becomes primary;
 * marking another primary clears the old one and updates users.primary_company_id.
 * Every assignment and removal is audited.
 */

create table public.user_companies (
  user_id uuid not null references public.users (id) on delete cascade,
  company_id uuid not null references public.companies (id) on delete cascade,
  is_primary boolean not null default false,
  assigned_by uuid default auth.uid() references public.users (id) on delete set null,
  assigned_at timestamptz not null default now(),
  primary key (user_id, company_id)
);

comment on table public.user_companies is
  'Companies or groups a user works for; a group gives access to every leaf company below it.';
comment on column public.user_companies.user_id is 'The user.';
comment on column public.user_companies.company_id is 'Assigned company or group.';
comment on column public.user_companies.is_primary is 'The user''s default company; at most one per user.';
comment on column public.user_companies.assigned_by is 'Who made the assignment.';
comment on column public.user_companies.assigned_at is 'When the assignment was made.';

create unique index user_companies_one_primary on public.user_companies (user_id) where is_primary;
create index user_companies_company_idx on public.user_companies (company_id);

alter table public.user_companies enable row level security;
revoke all on public.user_companies from anon;

create or replace function private.maintain_primary_company()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' and not new.is_primary
     and not exists (select 1 from public.user_companies where user_id = new.user_id) then
    new.is_primary := true;
  end if;
  if new.is_primary then
    update public.user_companies
      set is_primary = false
      where user_id = new.user_id and company_id <> new.company_id and is_primary;
  end if;
  return new;
end
$$;
comment on function private.maintain_primary_company() is
  'Trigger: first assignment becomes primary; a new primary clears the previous one.';

create trigger user_companies_maintain_primary
  before insert or update of is_primary on public.user_companies
  for each row execute function private.maintain_primary_company();

create or replace function private.sync_primary_company()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _user uuid := coalesce(new.user_id, old.user_id);
begin
  update public.users u
    set primary_company_id = (
      select uc.company_id from public.user_companies uc where uc.user_id = _user and uc.is_primary)
    where u.id = _user
      and u.primary_company_id is distinct from (
        select uc.company_id from public.user_companies uc where uc.user_id = _user and uc.is_primary);
  return null;
end
$$;
comment on function private.sync_primary_company() is
  'Trigger: copies the primary assignment to users.primary_company_id.';

create trigger user_companies_sync_primary
  after insert or update or delete on public.user_companies
  for each row execute function private.sync_primary_company();

create trigger user_companies_audit
  after insert or delete on public.user_companies
  for each row execute function private.audit_grant_change('company_assignment', 'rbac', 'user_id');

revoke execute on all functions in schema private from public;
