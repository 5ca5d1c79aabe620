// Conversation history in Postgres (public.conversations / public.messages), read and written
// with the caller's JWT so the owner-only policies decide. The agent loop talks to the
// ConversationStore interface; tests use an in-memory one.
import type { SupabaseClient } from '@supabase/supabase-js';

export type MessageRole = 'user' | 'assistant' | 'tool' | 'system';

/** What `messages.attachments` holds for one file. */
export interface AttachmentRef {
  document_id?: string;
  bucket?: string;
  path?: string;
  filename: string;
  mime_type?: string;
  size_bytes?: number;
  url?: string;
}

export interface StoredMessage {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: MessageRole;
  content: string;
  attachments: AttachmentRef[];
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface NewMessage {
  role: MessageRole;
  content: string;
  parentId?: string | null;
  attachments?: AttachmentRef[];
  metadata?: Record<string, unknown>;
  /** The human author (user messages); null for the assistant and tool results. */
  authorId?: string | null;
}

export interface ConversationSummary {
  id: string;
  owner_id: string;
  title: string | null;
}

export interface ConversationStore {
  createConversation(title: string, channel: 'web' | 'slack'): Promise<ConversationSummary>;
  /** The conversation if the caller can read it, else null. */
  findConversation(id: string): Promise<ConversationSummary | null>;
  /**
   * Appends messages in one statement, in the order given (they share a timestamp, so
   * `metadata.seq` keeps the order).
   */
  addMessages(conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]>;
  /** The newest `limit` messages, oldest first. */
  recentMessages(conversationId: string, limit: number): Promise<StoredMessage[]>;
  /** Marks the conversation as active now (ordering of the history list). */
  touch(conversationId: string): Promise<void>;
}

export class StoreError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const MESSAGE_COLUMNS = 'id,conversation_id,parent_id,role,content,attachments,metadata,created_at';
/** messages.content is limited to 100,000 characters. */
const MAX_CONTENT = 100_000;

/** Oldest first; rows written by one statement keep the order they were given in. */
export function byConversationOrder(a: StoredMessage, b: StoredMessage): number {
  const time = Date.parse(a.created_at) - Date.parse(b.created_at);
  if (time !== 0) return time;
  return Number(a.metadata.seq ?? 0) - Number(b.metadata.seq ?? 0);
}

export class SupabaseConversationStore implements ConversationStore {
  constructor(private readonly db: SupabaseClient) {}

  async createConversation(title: string, channel: 'web' | 'slack'): Promise<ConversationSummary> {
    const { data, error } = await this.db.from('conversations')
      .insert({ title: title.slice(0, 200), channel })
      .select('id,owner_id,title')
      .single();
    if (error) throw new StoreError(`could not start a conversation: ${error.message}`, error.code);
    return data as ConversationSummary;
  }

  async findConversation(id: string): Promise<ConversationSummary | null> {
    const { data, error } = await this.db.from('conversations')
      .select('id,owner_id,title')
      .eq('id', id)
      .maybeSingle();
    if (error) {
      throw new StoreError(`could not read the conversation: ${error.message}`, error.code);
    }
    return data as ConversationSummary | null;
  }

  async addMessages(conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]> {
    if (!messages.length) return [];
    const rows = messages.map((m, seq) => ({
      conversation_id: conversationId,
      parent_id: m.parentId ?? null,
      role: m.role,
      content: m.content.length > MAX_CONTENT ? m.content.slice(0, MAX_CONTENT) : m.content,
      attachments: m.attachments ?? [],
      metadata: { ...m.metadata, seq },
      author_id: m.authorId ?? null,
    }));
    const { data, error } = await this.db.from('messages').insert(rows).select(MESSAGE_COLUMNS);
    if (error) throw new StoreError(`could not save the message: ${error.message}`, error.code);
    return (data as StoredMessage[]).sort(byConversationOrder);
  }

  async recentMessages(conversationId: string, limit: number): Promise<StoredMessage[]> {
    const { data, error } = await this.db.from('messages')
      .select(MESSAGE_COLUMNS)
      .eq('conversation_id', conversationId)
      .order('created_at', { ascending: false })
      .limit(limit);
    if (error) throw new StoreError(`could not read the history: ${error.message}`, error.code);
    return (data as StoredMessage[]).sort(byConversationOrder);
  }

  async touch(conversationId: string): Promise<void> {
    const { error } = await this.db.from('conversations')
      .update({ last_message_at: new Date().toISOString() })
      .eq('id', conversationId);
    if (error) {
      throw new StoreError(`could not update the conversation: ${error.message}`, error.code);
    }
  }
}
