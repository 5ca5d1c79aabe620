/*
 * Modules for navigation (spec §6.10): the app builds its menu from the modules a user can
 * open. A module is open to a user when they hold at least one catalogued permission matching
 * its required_permission pattern (e.g. sales:*:read) — through profile or sets alike, and
 * with no fail-open fallback module.
 */

create table public.modules (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9_]{1,40}$'),
  display_name text not null,
  description text,
  icon text,
  is_active boolean not null default true,
  is_default boolean not null default false,
  sort_order integer not null default 100,
  required_permission text not null check (private.is_permission_pattern(required_permission)),
  config jsonb not null default '{}'::jsonb check (jsonb_typeof(config) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.modules is 'Application modules shown in navigation, gated by a permission pattern.';
comment on column public.modules.name is 'Stable key: sales, core, …';
comment on column public.modules.display_name is 'Menu label.';
comment on column public.modules.description is 'What the module offers.';
comment on column public.modules.icon is 'Icon name used by the web app.';
comment on column public.modules.is_active is 'Inactive modules are hidden from everyone.';
comment on column public.modules.is_default is 'Opened after sign-in when the user has access.';
comment on column public.modules.sort_order is 'Menu order, ascending.';
comment on column public.modules.required_permission is
  'Pattern; the module is open to users holding any catalogued permission it matches (sales:*:read).';
comment on column public.modules.config is 'Module settings for the web app, e.g. {"tools": [...]}.';

create unique index modules_one_default on public.modules (is_default) where is_default;

alter table public.modules enable row level security;
select private.comment_standard_columns('public.modules');
revoke all on public.modules from anon;

create trigger modules_touch_updated_at
  before update on public.modules
  for each row execute function private.touch_updated_at();

insert into public.modules (name, display_name, description, icon, is_default, sort_order, required_permission, config) values
  ('sales', 'Sales Bot', 'Chat assistant, proposals, mockups and booking orders.', 'chart-bar', true, 1,
   'sales:*:read', '{"tools": ["chat", "proposals", "mockup", "booking_orders"]}'),
  ('core', 'Administration', 'Users, profiles, permission sets, teams, companies and AI costs.', 'shield', false, 100,
   'core:*:read', '{"tools": ["admin", "costs"]}');
