/*
 * The permission catalogue (spec §6.2): every concrete permission the platform checks, so the
 * admin UI can offer them and module gating can ask "does this user hold anything under
 * sales:*:read". Grants themselves (profile and set permissions) may use wildcards and are
 * validated by format, not by membership here.
 */

create table public.permissions (
  permission text primary key
    check (permission ~ '^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$'),
  module text generated always as (split_part(permission, ':', 1)) stored,
  resource text generated always as (split_part(permission, ':', 2)) stored,
  action text generated always as (split_part(permission, ':', 3)) stored,
  description text,
  is_system boolean not null default true,
  created_at timestamptz not null default now()
);

comment on table public.permissions is
  'Catalogue of concrete permissions (module:resource:action). Grants may use * and manage; '
  'the catalogue lists only concrete strings.';
comment on column public.permissions.permission is 'The permission string, e.g. sales:proposals:read.';
comment on column public.permissions.module is 'First part: sales, core, assets, video.';
comment on column public.permissions.resource is 'Second part: the thing acted on, e.g. proposals.';
comment on column public.permissions.action is 'Third part: read, create, update, delete, manage, …';
comment on column public.permissions.description is 'What the permission allows, for the admin UI.';
comment on column public.permissions.is_system is 'Shipped with the platform (true) or added by an admin.';

alter table public.permissions enable row level security;
select private.comment_standard_columns('public.permissions');
revoke all on public.permissions from anon;

insert into public.permissions (permission)
select m || ':' || r || ':' || a
from (values
  ('core', 'users', array['read', 'create', 'update', 'delete', 'manage']),
  ('core', 'system', array['admin', 'config']),
  ('core', 'ai_costs', array['read', 'manage']),
  ('core', 'api', array['access']),
  ('core', 'api_keys', array['read', 'create', 'delete', 'manage']),
  ('core', 'profiles', array['read', 'create', 'update', 'delete', 'manage']),
  ('core', 'permission_sets', array['read', 'create', 'update', 'delete', 'manage']),
  ('core', 'teams', array['read', 'create', 'update', 'delete', 'manage']),
  ('core', 'sharing_rules', array['read', 'create', 'delete', 'manage']),
  ('core', 'files', array['read', 'manage']),
  ('sales', 'proposals', array['create', 'read', 'update', 'delete', 'manage', 'export']),
  ('sales', 'booking_orders', array['create', 'read', 'update', 'delete', 'manage']),
  ('sales', 'mockups', array['create', 'read', 'update', 'delete', 'manage', 'setup', 'generate']),
  ('sales', 'templates', array['read', 'create', 'update', 'delete', 'manage']),
  ('sales', 'clients', array['read', 'create', 'update', 'delete', 'manage']),
  ('sales', 'products', array['read', 'create', 'update', 'delete', 'manage']),
  ('sales', 'reports', array['read', 'export']),
  ('sales', 'rate_cards', array['read', 'create', 'update', 'delete', 'manage']),
  ('sales', 'chat', array['use']),
  ('assets', 'locations', array['read', 'create', 'update', 'delete', 'manage']),
  ('assets', 'networks', array['read', 'create', 'update', 'delete', 'manage']),
  ('assets', 'network_assets', array['read', 'create', 'update', 'delete', 'manage']),
  ('assets', 'packages', array['read', 'create', 'update', 'delete', 'manage']),
  ('assets', 'asset_types', array['read', 'create', 'update', 'delete', 'manage']),
  ('video', 'chat', array['use']),
  ('video', 'tasks', array['read', 'create', 'edit', 'delete', 'manage']),
  ('video', 'uploads', array['create', 'read']),
  ('video', 'review', array['approve', 'final', 'read']),
  ('video', 'dashboard', array['read']),
  ('video', 'admin', array['users', 'config'])
) as catalogue (m, r, actions)
cross join lateral unnest(actions) as a;

update public.permissions set description = case permission
  when 'core:system:admin' then 'Full administration: sees and manages everything.'
  when 'sales:proposals:manage' then 'All proposals of the holder''s companies.'
  when 'sales:booking_orders:manage' then 'All booking orders of the holder''s companies.'
  when 'sales:mockups:setup' then 'Set up billboard photos and frames for mockups.'
  when 'assets:locations:manage' then 'Create, edit and delete locations of the holder''s companies.'
  when 'core:ai_costs:manage' then 'See and clear AI cost records of every user.'
  else description end;
