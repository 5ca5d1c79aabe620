/*
 * Chat history is private to its owner. The first conversations migration let team leaders read
 * their members' chats through the team hierarchy; chats are personal working notes, so only the
 * owner (and people the owner explicitly shares a conversation with) may read or change them,
 * and administrators read them through the explicit core:system:admin permission.
 */

drop policy "people read conversations they own, lead, or have been shared" on public.conversations;
create policy "owners, sharees and administrators read conversations"
  on public.conversations for select to authenticated
  using (
    owner_id = (select auth.uid())
    or id in (select unnest((select private.shared_record_ids('conversation', 'read'))))
    or (select private.is_admin())
  );

drop policy "owners, leaders and read_write sharees update conversations" on public.conversations;
create policy "owners, read_write sharees and administrators update conversations"
  on public.conversations for update to authenticated
  using (
    owner_id = (select auth.uid())
    or id in (select unnest((select private.shared_record_ids('conversation', 'read_write'))))
    or (select private.is_admin())
  )
  with check (
    owner_id = (select auth.uid())
    or id in (select unnest((select private.shared_record_ids('conversation', 'read_write'))))
    or (select private.is_admin())
  );

drop policy "owners, their leaders and full sharees delete conversations" on public.conversations;
create policy "owners, full sharees and administrators delete conversations"
  on public.conversations for delete to authenticated
  using (
    owner_id = (select auth.uid())
    or id in (select unnest((select private.shared_record_ids('conversation', 'full'))))
    or (select private.is_admin())
  );

-- Messages follow the conversation: adding one needs write access to a conversation the caller
-- can see, so a leader can no longer append to a member's chat through the team hierarchy.
drop policy "people who can update a conversation add messages to it" on public.messages;
create policy "owners, read_write sharees and administrators add messages"
  on public.messages for insert to authenticated
  with check (
    (author_id is null or author_id = (select auth.uid()))
    and exists (
      select 1 from public.conversations c
      where c.id = conversation_id
        and (c.owner_id = (select auth.uid())
             or c.id in (select unnest((select private.shared_record_ids('conversation', 'read_write'))))
             or (select private.is_admin()))
    )
  );

drop policy "people who can delete a conversation delete its messages" on public.messages;
create policy "owners, full sharees and administrators delete messages"
  on public.messages for delete to authenticated
  using (
    exists (
      select 1 from public.conversations c
      where c.id = conversation_id
        and (c.owner_id = (select auth.uid())
             or c.id in (select unnest((select private.shared_record_ids('conversation', 'full'))))
             or (select private.is_admin()))
    )
  );
