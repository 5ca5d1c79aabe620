// Renders supabase/seed.sql from the seed data: auth users (bcrypt via pgcrypto, as GoTrue
// stores them), their profiles, companies and teams, the inventory of every company (locations,
// rate cards, photos with mockup frames). Deterministic, so regeneration gives the same file.
import { createHash } from 'node:crypto';
import { LOCATIONS, sovPercent, TEAMS } from './inventory.ts';
import { photoPlan, renderPlannedPhoto } from './photos.ts';

export interface SeedUser {
  email: string;
  password: string;
  name: string;
  profile: string;
  companies: string[];
  teams: { team: string; role: 'leader' | 'member' }[];
}

const lit = (v: string | number | null | undefined) =>
  v === null || v === undefined ? 'null' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;

/** A stable UUID derived from the email, so seeds and tests can refer to demo users by id. */
export function seedUserId(email: string): string {
  const h = createHash('sha256').update(`mmg-demo:${email}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function usersSql(users: SeedUser[]): string {
  const rows = users.map((u) => `  (${lit(seedUserId(u.email))}, ${lit(u.email)}, ${lit(u.password)}, ${lit(JSON.stringify({ name: u.name }))})`);
  const profiles = users.map((u) => `  (${lit(seedUserId(u.email))}, ${lit(u.profile)})`);
  const companies = users.flatMap((u) => u.companies.map((c, i) => `  (${lit(seedUserId(u.email))}, ${lit(c)}, ${i === 0})`));
  const members = users.flatMap((u) => u.teams.map((t) => `  (${lit(seedUserId(u.email))}, ${lit(t.team)}, ${lit(t.role)})`));
  const teams = TEAMS.map((t) => `  (${lit(t.name)}, ${lit(t.display)}, ${lit(t.parent)}, ${lit(t.company)})`);
  return `-- Demo users ---------------------------------------------------------------------------------
with demo (id, email, password, meta) as (values
${rows.join(',\n')}
)
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
select '00000000-0000-0000-0000-000000000000', id::uuid, 'authenticated', 'authenticated', email,
  extensions.crypt(password, extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb, meta::jsonb, now(), now(), false, false
from demo
on conflict (id) do nothing;

insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at, last_sign_in_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  'email', now(), now(), now()
from auth.users u
where u.email like '%@mmg.demo'
on conflict (provider_id, provider) do nothing;

with assignment (user_id, profile) as (values
${profiles.join(',\n')}
)
update public.users u set profile_id = p.id
from assignment a join public.profiles p on p.name = a.profile
where u.id = a.user_id::uuid;

with assignment (user_id, company, is_primary) as (values
${companies.join(',\n')}
)
insert into public.user_companies (user_id, company_id, is_primary)
select a.user_id::uuid, c.id, a.is_primary from assignment a join public.companies c on c.slug = a.company
on conflict do nothing;

-- Teams: a three-level Backlite tree and two stand-alone teams.
with team (name, display_name, parent, company) as (values
${teams.join(',\n')}
)
insert into public.teams (name, display_name, company_id)
select t.name, t.display_name, c.id from team t left join public.companies c on c.slug = t.company
on conflict (name) do nothing;

with team (name, display_name, parent, company) as (values
${teams.join(',\n')}
)
update public.teams child set parent_team_id = parent.id
from team t join public.teams parent on parent.name = t.parent
where child.name = t.name and t.parent is not null;

with membership (user_id, team, role) as (values
${members.join(',\n')}
)
insert into public.team_members (team_id, user_id, role)
select t.id, m.user_id::uuid, m.role from membership m join public.teams t on t.name = m.team
on conflict do nothing;
`;
}

const round100 = (n: number) => Math.round(n / 100) * 100;

function inventorySql(): string {
  const parts: string[] = ['-- Inventory ----------------------------------------------------------------------------------'];
  for (const l of LOCATIONS) {
    const cols = [
      lit(l.key), lit(l.name), lit(l.type), lit(l.series ?? null), lit(l.height), lit(l.width), lit(l.faces),
      lit(sovPercent(l)), lit(l.spot ?? null), lit(l.loop ?? null), lit(l.uploadFee ?? null), lit(l.city), lit(l.area),
      lit(l.country), lit(l.address), lit(l.lat), lit(l.lng), lit(`${l.company}/${l.key}/${l.key}.pptx`),
    ];
    parts.push(`insert into ${l.company}.locations (location_key, display_name, display_type, series, height, width,
  number_of_faces, sov_percent, spot_duration, loop_duration, upload_fee, city, area, country, address, gps_lat, gps_lng, template_path)
values (${cols.join(', ')})
on conflict (location_key) do nothing;`);
    const rates = [[2, round100(l.rate4w * 0.55)], [4, l.rate4w], [12, round100(l.rate4w * 2.7)]];
    parts.push(`insert into ${l.company}.rate_cards (location_id, valid_from, valid_to, duration_weeks, net_rate, currency, production_fee)
select id, date '2026-01-01', date '2026-12-31', r.weeks, r.net_rate, ${lit(l.currency)}, ${l.type === 'static' ? lit(l.currency === 'GBP' ? 1200 : 8500) : 'null'}
from ${l.company}.locations, (values ${rates.map(([w, r]) => `(${w}, ${r})`).join(', ')}) as r (weeks, net_rate)
where location_key = ${lit(l.key)}
on conflict do nothing;`);
  }
  for (const p of photoPlan()) {
    const photo = renderPlannedPhoto(p);
    const frames = JSON.stringify([{ points: photo.face, config: {} }]);
    const loc = `(select id from ${p.location.company}.locations where location_key = ${lit(p.location.key)})`;
    parts.push(`insert into ${p.location.company}.location_photos (location_id, storage_path, environment, time_of_day, side, is_primary, width_px, height_px)
values (${loc}, ${lit(p.storagePath)}, 'outdoor', ${lit(p.timeOfDay)}, 'gold', ${p.timeOfDay === 'day'}, ${photo.width}, ${photo.height})
on conflict (storage_path) do nothing;
insert into ${p.location.company}.mockup_frames (location_id, environment, time_of_day, side, photo_path, frames_data, config)
values (${loc}, 'outdoor', ${lit(p.timeOfDay)}, 'gold', ${lit(p.storagePath)}, ${lit(frames)}::jsonb, '{}'::jsonb)
on conflict do nothing;`);
  }
  return parts.join('\n');
}

export function renderSeedSql(users: SeedUser[]): string {
  return `-- Generated by \`npm run seed:generate\` from seed/users.json and seed/inventory.ts. Do not edit by hand.
-- Demo data for local development and previews; never run against production.
-- Photo files are uploaded by \`npm run seed:photos\` (the local stack does it on first start).

${usersSql(users)}
${inventorySql()}
`;
}
