// The context policy: what of a conversation the model sees again on the next turn.
//
// The newest HISTORY_LIMIT (20) stored messages of the conversation are replayed — user
// messages, assistant answers, the assistant's tool calls and their results — and nothing
// older. The window is then made well-formed: it starts at a user message (never with an
// answer to a question it no longer shows), a tool call is kept only together with all of its
// results, and results without their call are dropped. Older attachments are replayed as a
// one-line note (the bytes were sent when they were new); replayed tool results are cut to
// REPLAYED_TOOL_RESULT_CHARS. The original kept 10 entries in process memory (§4.4); counting
// stored rows keeps the bound the same across instances and restarts.
import type { ChatMessage, ToolCall } from '../llm/mod.ts';
import type { StoredMessage } from './store.ts';

export const HISTORY_LIMIT = 20;
export const REPLAYED_TOOL_RESULT_CHARS = 4_000;

function attachmentNote(message: StoredMessage): string {
  if (!message.attachments.length) return '';
  const names = message.attachments.map((a) =>
    `${a.filename}${a.mime_type ? ` (${a.mime_type})` : ''}`
  );
  return `\n[Attached file${names.length > 1 ? 's' : ''}: ${names.join(', ')}]`;
}

function toolCallsOf(message: StoredMessage): ToolCall[] {
  const calls = message.metadata.tool_calls;
  return Array.isArray(calls) ? calls as ToolCall[] : [];
}

function cut(text: string, limit: number): string {
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}… [cut: ${text.length - limit} more characters]`;
}

/** Stored rows (oldest first) → the messages the model is given. */
export function replayMessages(rows: StoredMessage[]): ChatMessage[] {
  const start = rows.findIndex((row) => row.role === 'user');
  if (start < 0) return [];
  const window = rows.slice(start);

  const answered = new Set(
    window.filter((row) => row.role === 'tool').map((row) => String(row.metadata.tool_call_id)),
  );
  const replayedCalls = new Set<string>();
  const out: ChatMessage[] = [];
  for (const row of window) {
    switch (row.role) {
      case 'user':
        out.push({ role: 'user', content: row.content + attachmentNote(row) });
        break;
      case 'assistant': {
        const calls = toolCallsOf(row);
        // A call is replayed only with its results; a turn cut short leaves none.
        const complete = calls.length > 0 && calls.every((call) => answered.has(call.id));
        if (complete) calls.forEach((call) => replayedCalls.add(call.id));
        if (complete) out.push({ role: 'assistant', content: row.content, toolCalls: calls });
        else if (row.content.trim()) out.push({ role: 'assistant', content: row.content });
        break;
      }
      case 'tool': {
        const callId = String(row.metadata.tool_call_id);
        if (!replayedCalls.has(callId)) break;
        out.push({
          role: 'tool',
          toolCallId: callId,
          name: String(row.metadata.tool_name ?? ''),
          content: cut(row.content, REPLAYED_TOOL_RESULT_CHARS),
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
