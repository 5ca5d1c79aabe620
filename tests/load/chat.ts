// Chat traffic: `streams` lanes, each one person's conversation, send turns one after another
// until the deadline. The scripted model answers each turn with a text that names the turn
// (scripted-model.ts), streamed in pieces.
//
// Checked per turn: the SSE stream starts with `session`, has no `error`, ends with `done`
// naming the stored answer, and its text is exactly the scripted answer. Checked afterwards in
// the database: every turn's user message and answer are stored exactly once, and nothing else.
import { anonKey, sql, url } from '../contract/env.ts';
import { replyTo, tagged } from '../support/scripted-model.ts';
import { Workload } from './workload.ts';

/** The events of the chat's SSE protocol that the checks read (chat README, "SSE event protocol"). */
export type ChatEvent =
  | { type: 'session'; conversation_id: string; message_id: string }
  | { type: 'text'; delta: string }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: 'done'; message_id: string | null }
  | { type: 'status' | 'tool_started' | 'tool_finished' | 'file' };

/** An SSE body's events, each a block of lines with one `data: <json>` line, as they arrive. */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += decoder.decode(value, { stream: true });
    const blocks = pending.split('\n\n');
    pending = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) yield JSON.parse(data.slice('data: '.length)) as ChatEvent;
    }
  }
}

export interface ChatPerson { email: string; token: string }

export interface ChatTraffic {
  people: ChatPerson[];
  streams: number;
  deadline: number;
  runId: string;
}

interface Lane { conversationId: string | null; turns: Array<{ message: string; answer: string; ok: boolean }> }

/** One turn through the gateway, read to the end of its SSE stream. */
export async function chatTurn(token: string, body: Record<string, unknown>): Promise<{ status: number; events: ChatEvent[]; error?: unknown }> {
  const res = await fetch(`${url}/functions/v1/chat`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, events: [], error: await res.json().catch(() => null) };
  }
  const events: ChatEvent[] = [];
  for await (const event of sseEvents(res.body!)) events.push(event);
  return { status: res.status, events };
}

/** What is wrong with a turn's stream, or undefined when it is exactly as expected. */
export function streamProblem(events: ChatEvent[], expectedText: string): string | undefined {
  const error = events.find((e) => e.type === 'error');
  if (error) return `error event ${JSON.stringify(error)}`;
  if (events[0]?.type !== 'session') return `the stream did not start with session: ${events[0]?.type}`;
  const done = events.at(-1);
  if (done?.type !== 'done') return `the stream did not end with done (last: ${done?.type ?? 'nothing'})`;
  if (!done.message_id) return 'done without a stored answer';
  const text = events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
  if (text !== expectedText) return `text ${JSON.stringify(text)}, expected ${JSON.stringify(expectedText)}`;
  return undefined;
}

export async function chatTraffic(t: ChatTraffic, w: Workload): Promise<Lane[]> {
  const lanes: Lane[] = Array.from({ length: t.streams }, () => ({ conversationId: null, turns: [] }));
  await Promise.all(lanes.map(async (lane, n) => {
    const person = t.people[n % t.people.length];
    for (let turn = 0; performance.now() < t.deadline; turn++) {
      const tag = `${t.runId}-lane${n}-turn${turn}`;
      const message = `Load check: lane ${n}, turn ${turn} ${tagged(tag)}`;
      const started = performance.now();
      let status: number | null = null;
      let problem: string | undefined;
      try {
        const answer = await chatTurn(person.token, { message, ...(lane.conversationId ? { conversation_id: lane.conversationId } : {}) });
        status = answer.status;
        problem = answer.status === 200 ? streamProblem(answer.events, replyTo(tag)) : `HTTP ${answer.status} ${JSON.stringify(answer.error)}`;
        const session = answer.events.find((e) => e.type === 'session');
        if (session?.type === 'session') lane.conversationId ??= session.conversation_id;
      } catch (e) {
        problem = (e as Error).message;
      }
      if (problem) problem = `lane ${n} turn ${turn}: ${problem}`;
      w.record(started, status, problem);
      lane.turns.push({ message, answer: replyTo(tag), ok: !problem });
    }
  }));
  return lanes;
}

export async function checkChat(lanes: Lane[], w: Workload): Promise<void> {
  const ids = lanes.map((l) => l.conversationId).filter((id): id is string => id !== null);
  const stored = await sql<{ role: string; content: string; n: number }>(
    `select role, content, count(*)::int as n from public.messages where conversation_id = any($1::uuid[]) group by role, content`,
    [ids],
  );
  const key = (role: string, content: string) => `${role}\u0000${content}`;
  const count = new Map(stored.map((r) => [key(r.role, r.content), r.n]));
  const failedTurns = new Set<string>();
  let lost = 0;
  let twice = 0;
  let expected = 0;
  for (const turn of lanes.flatMap((l) => l.turns)) {
    const messages = [key('user', turn.message), key('assistant', turn.answer)];
    // A failed turn is already a problem; what it stored is not predictable.
    if (!turn.ok) {
      messages.forEach((m) => failedTurns.add(m));
      continue;
    }
    for (const m of messages) {
      const n = count.get(m) ?? 0;
      count.delete(m);
      expected++;
      if (n === 0) lost++;
      if (n > 1) twice++;
      if (n !== 1) w.problem(`message ${JSON.stringify(m.replace('\u0000', ': '))} stored ${n} times`);
    }
  }
  const unexpected = [...count.keys()].filter((m) => !failedTurns.has(m)).length;
  if (unexpected > 0) w.problem(`${unexpected} distinct stored messages belong to no turn`);
  const turns = lanes.flatMap((l) => l.turns);
  w.notes.push(
    `${turns.filter((t) => t.ok).length} of ${turns.length} turns in ${ids.length} conversations ended with done and their scripted text; ` +
      `${expected} messages expected, ${lost} lost, ${twice} duplicated`,
  );
}
