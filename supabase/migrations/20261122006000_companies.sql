/*
 * Companies and groups (spec §6.5). A tree: groups (is_group) hold companies or other groups;
 * leaf companies own data and each gets its own schema named after its slug (see
 * provision_company). Assigning a user to a group gives them every leaf below it.
 *
 * The slug is the schema name and the company key used by every business table, so it is
 * validated strictly and never changes once set.
 */

create table public.companies (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z][a-z0-9_]{1,40}$'),
  name text not null check (length(btrim(name)) between 1 and 120),
  parent_id uuid references public.companies (id) on delete restrict,
  is_group boolean not null default false,
  country text,
  currency text not null default 'AED' check (currency ~ '^[A-Z]{3}$'),
  timezone text not null default 'Asia/Dubai',
  is_active boolean not null default true,
  config jsonb not null default '{}'::jsonb check (jsonb_typeof(config) = 'object'),
  schema_provisioned_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_id is distinct from id)
);

comment on table public.companies is
  'Companies and groups. Leaf companies own data (one schema each); groups expand to their leaves.';
comment on column public.companies.slug is 'Stable key and schema name, ^[a-z][a-z0-9_]{1,40}$, e.g. backlite_dubai. Never changes.';
comment on column public.companies.name is 'Display name.';
comment on column public.companies.parent_id is 'Parent group; null for the top group.';
comment on column public.companies.is_group is 'Groups hold other companies and own no data.';
comment on column public.companies.country is 'Country of operation.';
comment on column public.companies.currency is 'ISO 4217 currency the company sells in.';
comment on column public.companies.timezone is 'IANA timezone for the company''s dates.';
comment on column public.companies.is_active is 'Inactive companies are hidden from everyone''s company list.';
comment on column public.companies.config is 'Free-form company settings.';
comment on column public.companies.schema_provisioned_at is 'When provision_company created the company''s schema; null for groups.';

create index companies_parent_idx on public.companies (parent_id);

alter table public.companies enable row level security;
select private.comment_standard_columns('public.companies');
revoke all on public.companies from anon;

create trigger companies_touch_updated_at
  before update on public.companies
  for each row execute function private.touch_updated_at();

create or replace function private.protect_company_slug()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.slug <> old.slug then
    raise exception 'company slug "%" cannot change: it names the company''s schema', old.slug
      using errcode = '22023';
  end if;
  if new.is_group <> old.is_group and old.schema_provisioned_at is not null then
    raise exception 'company "%" owns a schema and cannot become a group', old.slug
      using errcode = '22023';
  end if;
  return new;
end
$$;
comment on function private.protect_company_slug() is 'Trigger: slugs are immutable; provisioned companies stay leaves.';

create trigger companies_protect_slug
  before update on public.companies
  for each row execute function private.protect_company_slug();

create or replace function private.check_company_tree()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.parent_id is null then
    return new;
  end if;
  if not exists (select 1 from public.companies where id = new.parent_id and is_group) then
    raise exception 'parent of company "%" must be an existing group', new.slug
      using errcode = '22023';
  end if;
  if tg_op = 'UPDATE' and exists (
    with recursive below as (
      select id from public.companies where parent_id = new.id
      union
      select c.id from public.companies c join below b on c.parent_id = b.id
    )
    select 1 from below where id = new.parent_id
  ) then
    raise exception 'company "%" cannot move under its own descendant', new.slug
      using errcode = '22023';
  end if;
  return new;
end
$$;
comment on function private.check_company_tree() is 'Trigger: parents are groups and the tree has no cycles.';

create trigger companies_check_tree
  before insert or update of parent_id on public.companies
  for each row execute function private.check_company_tree();

insert into public.companies (slug, name, is_group, country, currency, timezone) values
  ('mmg', 'MMG', true, null, 'AED', 'Asia/Dubai');
insert into public.companies (slug, name, parent_id, is_group, country, currency, timezone)
select v.slug, v.name, p.id, v.is_group, v.country, v.currency, v.timezone
from (values
  ('backlite', 'Backlite', 'mmg', true, null, 'AED', 'Asia/Dubai'),
  ('viola', 'Viola', 'mmg', false, 'UAE', 'AED', 'Asia/Dubai')
) as v (slug, name, parent, is_group, country, currency, timezone)
join public.companies p on p.slug = v.parent;
insert into public.companies (slug, name, parent_id, is_group, country, currency, timezone)
select v.slug, v.name, p.id, false, v.country, v.currency, v.timezone
from (values
  ('backlite_dubai', 'Backlite Dubai', 'UAE', 'AED', 'Asia/Dubai'),
  ('backlite_uk', 'Backlite UK', 'UK', 'GBP', 'Europe/London'),
  ('backlite_abudhabi', 'Backlite Abu Dhabi', 'UAE', 'AED', 'Asia/Dubai')
) as v (slug, name, country, currency, timezone)
join public.companies p on p.slug = 'backlite';

revoke execute on all functions in schema private from public;
