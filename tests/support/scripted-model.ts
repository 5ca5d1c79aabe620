// The scripted model of the load and fault suites. Many chat streams run at once against one
// model port, so a fixed script of turns (one per request, in arrival order) cannot tell each
// stream what it will get. Instead the user's message carries the script: the model answers
// `replyTo(tag)` for a message that contains `tagged(tag)`, in several streamed pieces, and a
// directive in the message can make it cut the connection mid-stream. Both the clients (which
// know what to expect) and the fake model (tests/support/fake-services.ts) use this module.

/** The part of a user message that names the expected answer. */
export const tagged = (tag: string) => `[tag ${tag}]`;

/** Cut the connection after `events` SSE events (the role chunk is event 0), on every attempt. */
export const dropEveryAttempt = (events: number) => `[drop-after ${events}]`;
/** Cut the connection before any text on the first attempt only: the platform's retry must recover. */
export const dropFirstAttempt = '[drop-first-attempt]';

/** The answer's text pieces, streamed one per SSE event. */
export const replyPieces = (tag: string) => ['Scripted ', 'answer ', 'for ', tag, '.'];
export const replyTo = (tag: string) => replyPieces(tag).join('');

/** A turn in the wire-format fake's script (OpenAiTurn of _shared/llm/testing/fake_openai.ts). */
export interface ScriptedTurn {
  text?: string[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  dropAfterEvents?: number;
  status?: number;
  message?: string;
}

/** The text of the last user message of a Chat Completions request body. */
export function lastUserText(body: unknown): string {
  const messages = (body as { messages?: Array<{ role?: string; content?: unknown }> } | null)?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (Array.isArray(last.content)) {
    return last.content.map((p: { type?: string; text?: string }) => (p.type === 'text' ? p.text ?? '' : '')).join('');
  }
  return '';
}

/**
 * The turn for one request. `attempt` counts the requests seen for this message's tag (1 for
 * the first), so a retry of the same call can be answered differently.
 */
export function scriptedTurn(userText: string, attempt: number): ScriptedTurn {
  const tag = /\[tag ([^\]]+)\]/.exec(userText)?.[1];
  if (!tag) return { status: 400, message: `scripted model: no ${tagged('…')} in the last user message` };
  const usage = { prompt_tokens: 120, completion_tokens: 12 };
  const drop = /\[drop-after (\d+)\]/.exec(userText);
  if (drop) return { text: replyPieces(tag), usage, dropAfterEvents: Number(drop[1]) };
  if (userText.includes(dropFirstAttempt) && attempt === 1) return { text: replyPieces(tag), usage, dropAfterEvents: 1 };
  return { text: replyPieces(tag), usage };
}

/** The tag of a user message, for counting attempts per message. */
export const tagOf = (userText: string) => /\[tag ([^\]]+)\]/.exec(userText)?.[1] ?? '';
