/*
 * Append-only audit log. Every grant and revoke, share, invite step, company provisioning and
 * deletion of a business record lands here, written by triggers and security-definer
 * functions — never by the caller directly, so entries cannot be forged.
 *
 * Immutability is enforced twice: no API role holds UPDATE/DELETE/TRUNCATE, and a trigger
 * rejects those statements for everybody, the service role and migrations included.
 * Reading is for admins only (policy added with the other identity policies).
 */

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid default auth.uid(),
  actor_role text default coalesce(auth.role(), current_user),
  category text not null default 'other'
    check (category in ('auth', 'rbac', 'sharing', 'user_management', 'data', 'admin', 'other')),
  action text not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  target_table text,
  target_id text,
  target_user_id uuid,
  old_data jsonb,
  new_data jsonb,
  metadata jsonb not null default '{}'::jsonb
);

comment on table public.audit_log is
  'Append-only record of security-relevant changes: grants, revokes, shares, invites, '
  'company provisioning, deletions. Written by triggers; readable by admins only.';
comment on column public.audit_log.occurred_at is 'When the change happened (transaction time).';
comment on column public.audit_log.actor_id is 'Signed-in user who caused the change; null for service role, seeds and migrations.';
comment on column public.audit_log.actor_role is 'Database/API role of the actor (authenticated, service_role, postgres…).';
comment on column public.audit_log.category is 'Broad area: auth, rbac, sharing, user_management, data, admin, other.';
comment on column public.audit_log.action is 'Dotted event name, e.g. team_membership.granted, record_share.revoked, invite.redeemed.';
comment on column public.audit_log.target_table is 'Table whose row changed, when the event is about a row.';
comment on column public.audit_log.target_id is 'Primary key of the changed row, as text.';
comment on column public.audit_log.target_user_id is 'User whose access changed, when there is one.';
comment on column public.audit_log.old_data is 'Row before the change (updates and deletes).';
comment on column public.audit_log.new_data is 'Row after the change (inserts and updates).';
comment on column public.audit_log.metadata is 'Extra context, e.g. the invite id or the provisioned schema.';

create index audit_log_occurred_at_idx on public.audit_log (occurred_at desc);
create index audit_log_target_user_idx on public.audit_log (target_user_id, occurred_at desc)
  where target_user_id is not null;
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at desc)
  where actor_id is not null;

alter table public.audit_log enable row level security;
select private.comment_standard_columns('public.audit_log');

revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated, service_role;
revoke all on sequence public.audit_log_id_seq from anon, authenticated, service_role;

create or replace function private.reject_audit_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', lower(tg_op)
    using errcode = '42501';
end
$$;
comment on function private.reject_audit_change() is
  'Trigger: refuses UPDATE, DELETE and TRUNCATE on audit_log for every role.';

create trigger audit_log_is_append_only
  before update or delete on public.audit_log
  for each row execute function private.reject_audit_change();
create trigger audit_log_cannot_be_truncated
  before truncate on public.audit_log
  for each statement execute function private.reject_audit_change();

/*
 * The only writer. Security definer so triggers fired by API roles can append without those
 * roles holding INSERT on the table.
 */
create or replace function private.write_audit(
  action text,
  category text,
  target_table text default null,
  target_id text default null,
  target_user_id uuid default null,
  old_data jsonb default null,
  new_data jsonb default null,
  metadata jsonb default '{}'::jsonb
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  insert into public.audit_log
    (actor_id, actor_role, category, action, target_table, target_id, target_user_id,
     old_data, new_data, metadata)
  values
    (auth.uid(), coalesce(auth.role(), session_user::text), write_audit.category, write_audit.action,
     write_audit.target_table, write_audit.target_id, write_audit.target_user_id,
     write_audit.old_data, write_audit.new_data, coalesce(write_audit.metadata, '{}'::jsonb));
end
$$;
comment on function private.write_audit(text, text, text, text, uuid, jsonb, jsonb, jsonb) is
  'Appends one audit entry; the actor comes from the JWT of the current request.';

/*
 * Generic row trigger for grant tables. Arguments: the event noun (e.g. team_membership),
 * the category, and the name of the column holding the affected user (or '' for none).
 * insert → <noun>.granted, delete → <noun>.revoked, update → <noun>.changed.
 */
create or replace function private.audit_grant_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  _noun text := tg_argv[0];
  _category text := tg_argv[1];
  _user_column text := nullif(tg_argv[2], '');
  _row jsonb := pg_catalog.to_jsonb(coalesce(new, old));
  _verb text := case tg_op when 'INSERT' then 'granted' when 'DELETE' then 'revoked' else 'changed' end;
begin
  if tg_op = 'UPDATE' and pg_catalog.to_jsonb(new) = pg_catalog.to_jsonb(old) then
    return null;
  end if;
  perform private.write_audit(
    _noun || '.' || _verb,
    _category,
    tg_table_schema || '.' || tg_table_name,
    coalesce(_row ->> 'id', null),
    case when _user_column is null then null else (_row ->> _user_column)::uuid end,
    case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end,
    case when tg_op in ('UPDATE', 'INSERT') then pg_catalog.to_jsonb(new) end
  );
  return null;
end
$$;
comment on function private.audit_grant_change() is
  'Trigger: audits inserts/updates/deletes of grant rows as <noun>.granted|changed|revoked.';

/*
 * Deletion of business records (proposals, booking orders, …): the whole row is kept in the log.
 */
create or replace function private.audit_record_deletion()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.write_audit(
    tg_argv[0] || '.deleted',
    'data',
    tg_table_schema || '.' || tg_table_name,
    old.id::text,
    null,
    pg_catalog.to_jsonb(old),
    null
  );
  return null;
end
$$;
comment on function private.audit_record_deletion() is
  'Trigger: keeps a copy of every deleted business record in the audit log.';

revoke execute on all functions in schema private from public;
