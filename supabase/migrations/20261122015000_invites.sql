/*
 * Invites (spec §6.9, fixing §11.6). An admin creates an invite for an email address with a
 * profile, companies, teams (with role) and permission sets; the plaintext token is returned
 * once and only its SHA-256 hash is stored, in a private table the API never exposes.
 * Redeeming requires a signed-in user whose auth email matches the invite, and an invite that
 * is unused, unrevoked and unexpired; it then applies everything the invite carries, once.
 * Creation, redemption and revocation are audited.
 */

create table public.invites (
  id uuid primary key default gen_random_uuid(),
  email text not null check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
                             and length(email) between 5 and 254),
  profile_id uuid not null references public.profiles (id) on delete restrict,
  company_ids uuid[] not null default '{}',
  teams jsonb not null default '[]'::jsonb check (jsonb_typeof(teams) = 'array'),
  permission_set_ids uuid[] not null default '{}',
  created_by uuid default auth.uid() references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references public.users (id) on delete set null,
  used_at timestamptz,
  used_by uuid references public.users (id) on delete set null,
  check (expires_at > created_at),
  check (used_at is null or used_by is not null)
);

comment on table public.invites is
  'Single-use invitations carrying a profile, companies, teams and permission sets. '
  'The token itself is never stored; see create_invite / redeem_invite / revoke_invite.';
comment on column public.invites.email is 'Invited address (lower case); only a user signed in with it can redeem.';
comment on column public.invites.profile_id is 'Profile given on redemption.';
comment on column public.invites.company_ids is 'Companies or groups assigned on redemption.';
comment on column public.invites.teams is 'Team memberships given on redemption: [{"team_id": uuid, "role": "member"|"leader"}].';
comment on column public.invites.permission_set_ids is 'Permission sets assigned on redemption (no expiry).';
comment on column public.invites.created_by is 'Admin who created the invite; recorded as granter of what it gives.';
comment on column public.invites.expires_at is 'Invite cannot be redeemed from this instant.';
comment on column public.invites.revoked_at is 'Set by revoke_invite; a revoked invite cannot be redeemed.';
comment on column public.invites.revoked_by is 'Admin who revoked it.';
comment on column public.invites.used_at is 'When it was redeemed (single use).';
comment on column public.invites.used_by is 'User who redeemed it.';

create index invites_pending_email_idx on public.invites (email) where used_at is null and revoked_at is null;

create table private.invite_tokens (
  invite_id uuid primary key references public.invites (id) on delete cascade,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$')
);
comment on table private.invite_tokens is 'SHA-256 (hex) of each invite''s token; the plaintext is never stored.';
comment on column private.invite_tokens.invite_id is 'The invite.';
comment on column private.invite_tokens.token_hash is 'Lower-case hex SHA-256 of the token.';

alter table public.invites enable row level security;
select private.comment_standard_columns('public.invites');
revoke all on public.invites from anon, authenticated;
grant select on public.invites to authenticated;

create policy "admins can read invites"
  on public.invites for select to authenticated
  using ((select private.is_admin()));

create or replace function private.hash_invite_token(_token text)
returns text
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.encode(extensions.digest(pg_catalog.convert_to(_token, 'UTF8'), 'sha256'), 'hex')
$$;
comment on function private.hash_invite_token(text) is 'Hex SHA-256 of an invite token.';

-- ---------------------------------------------------------------------------------------------

create or replace function public.create_invite(
  email text,
  profile text default 'sales_user',
  companies text[] default '{}',
  teams jsonb default '[]'::jsonb,
  permission_sets text[] default '{}',
  expires_in_days integer default 7
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _email text := lower(btrim(email));
  _profile_id uuid;
  _company_ids uuid[] := '{}';
  _set_ids uuid[] := '{}';
  _teams jsonb := '[]'::jsonb;
  _slug text;
  _set text;
  _entry jsonb;
  _team_id uuid;
  _found uuid;
  _role text;
  _id uuid;
  _token text;
  _expires_at timestamptz;
begin
  if not private.is_admin() then
    raise exception 'only administrators can create invites' using errcode = '42501';
  end if;
  if _email is null or length(_email) not between 5 and 254 or _email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'invalid email address "%"', coalesce(email, 'null') using errcode = '22023';
  end if;
  if expires_in_days is null or expires_in_days not between 1 and 30 then
    raise exception 'expires_in_days must be between 1 and 30, got %', coalesce(expires_in_days::text, 'null')
      using errcode = '22023';
  end if;

  select id into _profile_id from public.profiles where name = coalesce(profile, 'sales_user');
  if _profile_id is null then
    raise exception 'unknown profile "%"', profile using errcode = '22023';
  end if;

  foreach _slug in array coalesce(companies, '{}') loop
    select c.id into _found from public.companies c where c.slug = _slug and c.is_active;
    if _found is null then
      raise exception 'unknown or inactive company "%"', _slug using errcode = '22023';
    end if;
    _company_ids := _company_ids || _found;
  end loop;

  if teams is null or jsonb_typeof(teams) <> 'array' then
    raise exception 'teams must be a JSON array of {"team": name, "role": "member"|"leader"}'
      using errcode = '22023';
  end if;
  for _entry in select value from jsonb_array_elements(teams) loop
    if jsonb_typeof(_entry) <> 'object' then
      raise exception 'each team entry must be an object like {"team": "dubai_digital", "role": "member"}'
        using errcode = '22023';
    end if;
    _role := coalesce(_entry ->> 'role', 'member');
    if _role not in ('member', 'leader') then
      raise exception 'team role must be member or leader, got "%"', _role using errcode = '22023';
    end if;
    select t.id into _team_id from public.teams t where t.name = _entry ->> 'team' and t.is_active;
    if _team_id is null then
      raise exception 'unknown or inactive team "%"', coalesce(_entry ->> 'team', 'null') using errcode = '22023';
    end if;
    _teams := _teams || jsonb_build_array(jsonb_build_object('team_id', _team_id, 'role', _role));
  end loop;

  foreach _set in array coalesce(permission_sets, '{}') loop
    select s.id into _found from public.permission_sets s where s.name = _set and s.is_active;
    if _found is null then
      raise exception 'unknown or inactive permission set "%"', _set using errcode = '22023';
    end if;
    _set_ids := _set_ids || _found;
  end loop;

  if exists (
    select 1 from public.invites i
    where i.email = _email and i.used_at is null and i.revoked_at is null and i.expires_at > now()
  ) then
    raise exception 'a pending invite for % already exists; revoke it before creating another', _email
      using errcode = '23505';
  end if;

  _token := rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  _expires_at := now() + make_interval(days => expires_in_days);

  insert into public.invites (email, profile_id, company_ids, teams, permission_set_ids, created_by, expires_at)
  values (_email, _profile_id, _company_ids, _teams, _set_ids, auth.uid(), _expires_at)
  returning id into _id;
  insert into private.invite_tokens (invite_id, token_hash) values (_id, private.hash_invite_token(_token));

  perform private.write_audit('invite.created', 'user_management', 'public.invites', _id::text, null, null,
    (select to_jsonb(i) from public.invites i where i.id = _id));

  return jsonb_build_object('id', _id, 'email', _email, 'token', _token, 'expires_at', _expires_at,
    'profile', coalesce(profile, 'sales_user'));
end
$$;
comment on function public.create_invite(text, text, text[], jsonb, text[], integer) is
  'Admin only. Creates an invite for an email with a profile, company/group slugs, teams '
  '([{"team": name, "role": "member"|"leader"}]) and permission set names, valid 1–30 days. '
  'Returns {id, email, token, expires_at, profile}; the token is shown only this once.';
revoke execute on function public.create_invite(text, text, text[], jsonb, text[], integer) from public, anon;
grant execute on function public.create_invite(text, text, text[], jsonb, text[], integer) to authenticated;

-- ---------------------------------------------------------------------------------------------

create or replace function public.redeem_invite(token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _uid uuid := auth.uid();
  _invite public.invites;
  _auth_email text;
begin
  if _uid is null then
    raise exception 'sign in before redeeming an invite' using errcode = '42501';
  end if;
  if token is null or btrim(token) = '' then
    raise exception 'invite token is missing' using errcode = '22023';
  end if;

  select i.* into _invite
  from private.invite_tokens t
  join public.invites i on i.id = t.invite_id
  where t.token_hash = private.hash_invite_token(btrim(token))
  for update of i;
  if not found then
    raise exception 'invite token is not valid' using errcode = '22023';
  end if;

  select lower(a.email) into _auth_email from auth.users a where a.id = _uid;
  if _auth_email is distinct from _invite.email then
    raise exception 'this invite was issued to a different email address' using errcode = '42501';
  end if;
  if _invite.used_at is not null then
    raise exception 'this invite has already been used' using errcode = 'P0001';
  end if;
  if _invite.revoked_at is not null then
    raise exception 'this invite has been revoked' using errcode = 'P0001';
  end if;
  if _invite.expires_at <= now() then
    raise exception 'this invite expired at %', _invite.expires_at using errcode = 'P0001';
  end if;
  if not exists (select 1 from public.users where id = _uid) then
    raise exception 'no platform user for the current session' using errcode = '42501';
  end if;

  update public.users set profile_id = _invite.profile_id where id = _uid;

  insert into public.user_companies (user_id, company_id, assigned_by)
  select _uid, c.id, _invite.created_by
  from public.companies c
  where c.id = any (_invite.company_ids)
  on conflict (user_id, company_id) do nothing;

  insert into public.team_members (team_id, user_id, role, added_by)
  select t.id, _uid, e ->> 'role', _invite.created_by
  from jsonb_array_elements(_invite.teams) e
  join public.teams t on t.id = (e ->> 'team_id')::uuid
  on conflict (team_id, user_id) do update set role = excluded.role;

  insert into public.user_permission_sets (user_id, set_id, granted_by)
  select _uid, s.id, _invite.created_by
  from public.permission_sets s
  where s.id = any (_invite.permission_set_ids)
  on conflict (user_id, set_id) do nothing;

  update public.invites set used_at = now(), used_by = _uid where id = _invite.id;

  perform private.write_audit('invite.redeemed', 'user_management', 'public.invites', _invite.id::text, _uid,
    to_jsonb(_invite), (select to_jsonb(i) from public.invites i where i.id = _invite.id));

  return public.my_context();
end
$$;
comment on function public.redeem_invite(text) is
  'Redeems an invite for the signed-in user: the auth email must match and the invite must be '
  'unused, unrevoked and unexpired. Applies profile, companies, teams and sets; returns my_context().';
revoke execute on function public.redeem_invite(text) from public, anon;
grant execute on function public.redeem_invite(text) to authenticated;

-- ---------------------------------------------------------------------------------------------

create or replace function public.revoke_invite(invite_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _invite public.invites;
begin
  if not private.is_admin() then
    raise exception 'only administrators can revoke invites' using errcode = '42501';
  end if;
  select * into _invite from public.invites where id = invite_id for update;
  if not found then
    raise exception 'no invite with id %', coalesce(invite_id::text, 'null') using errcode = '22023';
  end if;
  if _invite.used_at is not null then
    raise exception 'this invite was already used and cannot be revoked' using errcode = 'P0001';
  end if;
  if _invite.revoked_at is not null then
    return;
  end if;
  update public.invites set revoked_at = now(), revoked_by = auth.uid() where id = invite_id;
  perform private.write_audit('invite.revoked', 'user_management', 'public.invites', invite_id::text, null,
    to_jsonb(_invite), (select to_jsonb(i) from public.invites i where i.id = invite_id));
end
$$;
comment on function public.revoke_invite(uuid) is
  'Admin only. Revokes an unused invite (idempotent); used invites cannot be revoked.';
revoke execute on function public.revoke_invite(uuid) from public, anon;
grant execute on function public.revoke_invite(uuid) to authenticated;

revoke execute on all functions in schema private from public;
