/*
 * RBAC level 3 — teams (spec §6.6, with the hierarchy the original stored but never used).
 * Teams form a tree through parent_team_id, any depth. A member is `member` or `leader`;
 * a leader sees the records of every member of their team and of all its descendant teams.
 * Only active teams count, and the walk down the tree stops at an inactive team.
 * Membership changes and team moves are audited because they change who sees what.
 */

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9_]{1,62}$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 120),
  description text,
  parent_team_id uuid references public.teams (id) on delete restrict,
  company_id uuid references public.companies (id) on delete set null,
  is_active boolean not null default true,
  created_by uuid default auth.uid() references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_team_id is distinct from id)
);

comment on table public.teams is
  'RBAC level 3: sales teams in a tree. Leaders see records of members of their team and all sub-teams.';
comment on column public.teams.name is 'Stable key, e.g. dubai_digital.';
comment on column public.teams.display_name is 'Human name.';
comment on column public.teams.description is 'What the team does.';
comment on column public.teams.parent_team_id is 'Parent team; leaders of every ancestor see this team''s members'' records.';
comment on column public.teams.company_id is 'Company the team mainly sells for (informational; access comes from user_companies).';
comment on column public.teams.is_active is 'Inactive teams grant nothing and cut off their sub-teams from leaders above.';
comment on column public.teams.created_by is 'Who created the team.';

create index teams_parent_idx on public.teams (parent_team_id) where parent_team_id is not null;

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role text not null default 'member' check (role in ('member', 'leader')),
  added_by uuid default auth.uid() references public.users (id) on delete set null,
  added_at timestamptz not null default now(),
  primary key (team_id, user_id)
);

comment on table public.team_members is 'Team membership with role member or leader.';
comment on column public.team_members.team_id is 'The team.';
comment on column public.team_members.user_id is 'The member.';
comment on column public.team_members.role is 'member, or leader (sees the records of the team and its sub-teams).';
comment on column public.team_members.added_by is 'Who added the member.';
comment on column public.team_members.added_at is 'When the member was added.';

create index team_members_user_idx on public.team_members (user_id, role, team_id);

alter table public.teams enable row level security;
select private.comment_standard_columns('public.teams');
alter table public.team_members enable row level security;
revoke all on public.teams, public.team_members from anon;

create trigger teams_touch_updated_at
  before update on public.teams
  for each row execute function private.touch_updated_at();

create or replace function private.check_team_tree()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.parent_team_id is not null and tg_op = 'UPDATE' and exists (
    with recursive below as (
      select id from public.teams where parent_team_id = new.id
      union
      select t.id from public.teams t join below b on t.parent_team_id = b.id
    )
    select 1 from below where id = new.parent_team_id
  ) then
    raise exception 'team "%" cannot move under its own sub-team', new.name
      using errcode = '22023';
  end if;
  return new;
end
$$;
comment on function private.check_team_tree() is 'Trigger: the team tree has no cycles.';

create trigger teams_check_tree
  before update of parent_team_id on public.teams
  for each row execute function private.check_team_tree();

create or replace function private.audit_team_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.write_audit('team.created', 'rbac', 'public.teams', new.id::text, null,
      null, pg_catalog.to_jsonb(new));
  elsif tg_op = 'DELETE' then
    perform private.write_audit('team.deleted', 'rbac', 'public.teams', old.id::text, null,
      pg_catalog.to_jsonb(old), null);
  elsif (new.parent_team_id, new.is_active) is distinct from (old.parent_team_id, old.is_active) then
    perform private.write_audit('team.changed', 'rbac', 'public.teams', new.id::text, null,
      pg_catalog.to_jsonb(old), pg_catalog.to_jsonb(new));
  end if;
  return null;
end
$$;
comment on function private.audit_team_change() is
  'Trigger: audits team creation, deletion, moves in the tree and (de)activation.';

create trigger teams_audit
  after insert or update or delete on public.teams
  for each row execute function private.audit_team_change();

create trigger team_members_audit
  after insert or update or delete on public.team_members
  for each row execute function private.audit_grant_change('team_membership', 'rbac', 'user_id');

revoke execute on all functions in schema private from public;
