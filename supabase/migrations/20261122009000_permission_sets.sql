/*
 * RBAC level 2 — permission sets (spec §6.4): named, additive bundles of permissions assigned
 * to users on top of their profile, optionally until a point in time. Expiry is evaluated
 * when permissions are read (expires_at > now()), so an expired or inactive set grants
 * nothing without any cleanup job. Assignments and set contents are audited.
 */

create table public.permission_sets (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9_]{1,62}$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 120),
  description text,
  is_active boolean not null default true,
  created_by uuid default auth.uid() references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.permission_sets is
  'RBAC level 2: named bundles of extra permissions, assigned per user with optional expiry.';
comment on column public.permission_sets.name is 'Stable key, e.g. data_export.';
comment on column public.permission_sets.display_name is 'Human name for the admin UI.';
comment on column public.permission_sets.description is 'What the set is for.';
comment on column public.permission_sets.is_active is 'An inactive set grants nothing to anybody.';
comment on column public.permission_sets.created_by is 'Admin who created the set.';

create table public.permission_set_permissions (
  set_id uuid not null references public.permission_sets (id) on delete cascade,
  permission text not null check (private.is_permission_pattern(permission)),
  created_at timestamptz not null default now(),
  primary key (set_id, permission)
);

comment on table public.permission_set_permissions is 'Permissions contained in a permission set; wildcards allowed.';
comment on column public.permission_set_permissions.set_id is 'The set.';
comment on column public.permission_set_permissions.permission is 'Granted permission pattern.';

create table public.user_permission_sets (
  user_id uuid not null references public.users (id) on delete cascade,
  set_id uuid not null references public.permission_sets (id) on delete cascade,
  granted_by uuid default auth.uid() references public.users (id) on delete set null,
  granted_at timestamptz not null default now(),
  expires_at timestamptz,
  primary key (user_id, set_id)
);

comment on table public.user_permission_sets is
  'Permission sets assigned to users. Expired assignments count for nothing, no cleanup needed.';
comment on column public.user_permission_sets.user_id is 'The user receiving the set.';
comment on column public.user_permission_sets.set_id is 'The set.';
comment on column public.user_permission_sets.granted_by is 'Who granted it.';
comment on column public.user_permission_sets.granted_at is 'When it was granted.';
comment on column public.user_permission_sets.expires_at is 'Grant ends at this instant; null = no expiry.';

create index user_permission_sets_set_idx on public.user_permission_sets (set_id);

alter table public.permission_sets enable row level security;
select private.comment_standard_columns('public.permission_sets');
alter table public.permission_set_permissions enable row level security;
select private.comment_standard_columns('public.permission_set_permissions');
alter table public.user_permission_sets enable row level security;
revoke all on public.permission_sets, public.permission_set_permissions, public.user_permission_sets from anon;

create trigger permission_sets_touch_updated_at
  before update on public.permission_sets
  for each row execute function private.touch_updated_at();

create trigger user_permission_sets_audit
  after insert or update or delete on public.user_permission_sets
  for each row execute function private.audit_grant_change('permission_set_assignment', 'rbac', 'user_id');

insert into public.permission_sets (name, display_name, description) values
  ('api_access', 'API access', 'Use the platform API with API keys.'),
  ('data_export', 'Data export', 'Export proposals and reports.'),
  ('delete_records', 'Delete records', 'Placeholder bundle for deletion rights; admins choose its permissions.'),
  ('view_all_data', 'View all data', 'Placeholder bundle for wide read access; admins choose its permissions.'),
  ('manage_templates', 'Manage templates', 'Upload and edit proposal templates and mockup frames.');

insert into public.permission_set_permissions (set_id, permission)
select s.id, g.permission
from (values
  ('api_access', 'core:api:access'),
  ('data_export', 'sales:proposals:export'),
  ('data_export', 'sales:reports:export'),
  ('manage_templates', 'sales:templates:manage'),
  ('manage_templates', 'sales:mockups:setup')
) as g (set_name, permission)
join public.permission_sets s on s.name = g.set_name;

-- Audited from here on; the shipped grants above are part of the migration itself.
create trigger permission_set_permissions_audit
  after insert or update or delete on public.permission_set_permissions
  for each row execute function private.audit_grant_change('permission_set_permission', 'rbac', '');
