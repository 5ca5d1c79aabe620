/*
 * Chat conversations and messages (spec §4), persisted instead of held in process memory
 * (§11.23). A conversation is personal: owner, leaders above the owner, shares and admins see
 * it — there is no manage permission that opens everyone's chats. Messages follow their
 * conversation; only people who can update the conversation add messages.
 */

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.users (id) on delete cascade,
  title text check (length(title) <= 200),
  channel text not null default 'web' check (channel in ('web', 'slack')),
  last_message_at timestamptz,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.conversations is 'Chat conversations with the sales assistant.';
comment on column public.conversations.owner_id is 'User the conversation belongs to.';
comment on column public.conversations.title is 'Short title shown in the history list.';
comment on column public.conversations.channel is 'web or slack.';
comment on column public.conversations.last_message_at is 'Time of the newest message, for ordering.';
comment on column public.conversations.metadata is 'Channel ids (Slack thread), settings.';

create index conversations_owner_recent_idx on public.conversations (owner_id, last_message_at desc nulls last);

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  parent_id uuid references public.messages (id) on delete set null,
  role text not null check (role in ('user', 'assistant', 'system', 'tool')),
  content text not null default '' check (length(content) <= 100000),
  author_id uuid default auth.uid() references public.users (id) on delete set null,
  attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array'),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  check (role <> 'user' or (length(btrim(content)) between 1 and 10000))
);

comment on table public.messages is 'Messages of a conversation, oldest first by created_at.';
comment on column public.messages.conversation_id is 'The conversation.';
comment on column public.messages.parent_id is 'The user message an assistant reply answers.';
comment on column public.messages.role is 'user, assistant, system or tool.';
comment on column public.messages.content is 'Message text (user messages 1–10,000 characters).';
comment on column public.messages.author_id is 'Human author of a user message.';
comment on column public.messages.attachments is 'Attached or generated files: [{"document_id": uuid, …}].';
comment on column public.messages.metadata is 'Tool calls, model, cost reference.';

create index messages_conversation_idx on public.messages (conversation_id, created_at);

alter table public.conversations enable row level security;
select private.comment_standard_columns('public.conversations');
alter table public.messages enable row level security;
select private.comment_standard_columns('public.messages');
revoke all on public.conversations, public.messages from anon;

insert into private.record_types (record_type, table_name, manage_permission, has_company, shareable)
values ('conversation', 'public.conversations', null, false, true);

create trigger conversations_touch_updated_at
  before update on public.conversations
  for each row execute function private.touch_updated_at();
create trigger conversations_check_write
  before insert or update on public.conversations
  for each row execute function private.check_record_write('conversation', 'sales:chat:use');
create trigger conversations_audit_deletion
  after delete on public.conversations
  for each row execute function private.audit_record_deletion('conversation');

create policy "people read conversations they own, lead, or have been shared"
  on public.conversations for select to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or id in (select unnest((select private.shared_record_ids('conversation', 'read'))))
    or (select private.is_admin())
  );

create policy "chat users start conversations for themselves"
  on public.conversations for insert to authenticated
  with check (owner_id = (select auth.uid()) and (select private.has_permission('sales:chat:use')));

create policy "owners, leaders and read_write sharees update conversations"
  on public.conversations for update to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or id in (select unnest((select private.shared_record_ids('conversation', 'read_write'))))
    or (select private.is_admin())
  )
  with check (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or id in (select unnest((select private.shared_record_ids('conversation', 'read_write'))))
    or (select private.is_admin())
  );

create policy "owners, their leaders and full sharees delete conversations"
  on public.conversations for delete to authenticated
  using (
    owner_id in (select unnest((select private.visible_owner_ids())))
    or id in (select unnest((select private.shared_record_ids('conversation', 'full'))))
    or (select private.is_admin())
  );

create policy "people read the messages of conversations they can read"
  on public.messages for select to authenticated
  using (exists (select 1 from public.conversations c where c.id = conversation_id));

create policy "people who can update a conversation add messages to it"
  on public.messages for insert to authenticated
  with check (
    (author_id is null or author_id = (select auth.uid()))
    and public.can_access('conversation', conversation_id, 'read_write')
  );

create policy "people who can delete a conversation delete its messages"
  on public.messages for delete to authenticated
  using (public.can_access('conversation', conversation_id, 'full'));
