// Conversations and their messages (plain REST on public.conversations / public.messages,
// owner-only RLS); the turn itself streams through stream.ts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { unwrap } from '../../lib/errors';
import { signedUrl } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import { chatKeys } from './keys';
import { uploadChatFile } from './stream';

export function useConversations() {
  return useQuery({
    queryKey: chatKeys.conversations(),
    queryFn: async () => {
      const { data: user } = await supabase().auth.getUser();
      return unwrap(await supabase().from('conversations')
        .select('id, title, channel, last_message_at, created_at, owner_id')
        .eq('owner_id', user.user?.id ?? '')
        .order('last_message_at', { ascending: false, nullsFirst: false })
        .order('created_at', { ascending: false })
        .limit(100));
    },
  });
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  attachments: { bucket?: string; path?: string; filename: string; mime_type?: string; url?: string }[];
  metadata: Record<string, unknown>;
  created_at: string;
}

export function useMessages(conversationId: string | null) {
  return useQuery({
    queryKey: chatKeys.messages(conversationId ?? 'none'),
    enabled: Boolean(conversationId),
    queryFn: async () => {
      const rows = unwrap(await supabase().from('messages')
        .select('id, role, content, attachments, metadata, created_at')
        .eq('conversation_id', conversationId!)
        .order('created_at', { ascending: true })
        .limit(500)) as unknown as ChatMessage[];
      // Messages written in one statement share a timestamp; metadata.seq keeps their order.
      return rows.sort((a, b) => a.created_at.localeCompare(b.created_at) || Number(a.metadata.seq ?? 0) - Number(b.metadata.seq ?? 0));
    },
  });
}

export function useRenameConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, title }: { id: string; title: string }) => {
      unwrap(await supabase().from('conversations').update({ title }).eq('id', id).select('id').single());
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.conversations() }),
  });
}

export function useDeleteConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      unwrap(await supabase().from('conversations').delete().eq('id', id));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.conversations() }),
  });
}

export function useUploadChatFile() {
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress?: (f: number) => void }) => uploadChatFile(file, onProgress),
  });
}

/** A signed URL for a file the agent produced or a person attached. */
export function useChatFileUrl(bucket: string | undefined, path: string | undefined, fallback?: string) {
  return useQuery({
    queryKey: chatKeys.fileUrl(bucket ?? '', path ?? ''),
    enabled: Boolean(bucket && path),
    staleTime: 50 * 60_000,
    queryFn: () => signedUrl(bucket!, path!, { expiresIn: 3600 }),
    placeholderData: fallback,
  });
}

export function useInvalidateChat() {
  const queryClient = useQueryClient();
  // Stable, so effects and callbacks that use it do not re-run on every render.
  return useCallback((conversationId?: string) => {
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
    if (conversationId) void queryClient.invalidateQueries({ queryKey: chatKeys.messages(conversationId) });
  }, [queryClient]);
}
