// Postgres restarted while clients work: REST reads and writes, Storage uploads, Auth, chat turns
// and Slack events keep coming from a few concurrent clients; Postgres is stopped (fast shutdown,
// open connections are cut), kept down for a few seconds and started again.
//
// Documented outcome: a request that cannot be served answers at once with 503 and a readable
// error (`{error:{code,message}}`, or the API's own error shape with a code and a message; a chat
// stream already open ends with an error event and done), nothing hangs, the gateway stays up,
// every kind of request succeeds again once Postgres is back, a Slack event refused during the
// outage is processed once when Slack redelivers it, and nothing is half-written: every stored
// object has its file and every file its row, every stored answer is complete.
import { existsSync } from 'node:fs';
import { objectFilePath } from '../../devstack/src/storage/object-paths.ts';
import { directMessage, eventEnvelope, signedEvent } from '../../supabase/functions/_shared/slack/testing/requests.ts';
import { anonKey, sql } from '../contract/env.ts';
import { chatTurn, streamProblem } from '../load/chat.ts';
import { signIn, sleep, suffix, waitFor } from '../support/render-jobs.ts';
import { replyTo, tagged } from '../support/scripted-model.ts';
import type { SuiteStack } from '../support/suite-stack.ts';
import type { FaultCase } from './case.ts';

const KINDS = ['rest read', 'rest write', 'storage upload', 'auth user', 'chat turn', 'slack event'] as const;
type Kind = typeof KINDS[number];

interface Outcome {
  kind: Kind;
  startedAt: number;
  endedAt: number;
  /** Served as if nothing had happened. */
  ok: boolean;
  /** Refused in the documented way (503 + readable error, or an SSE error event then done). */
  clear: boolean;
  detail: string;
}

/** True for a 503 whose JSON body carries a code and a message (platform, PostgREST or Storage shape). */
function clear503(status: number, text: string): boolean {
  if (status !== 503) return false;
  try {
    const body = JSON.parse(text);
    const e = typeof body.error === 'object' && body.error ? body.error : body;
    return typeof e.message === 'string' && e.message.length > 5 && (typeof e.code === 'string' || typeof body.error === 'string');
  } catch {
    return false;
  }
}

interface Client {
  id: string;
  token: string;
  headers: Record<string, string>;
}

async function attempt(kind: Kind, who: Client, stack: SuiteStack, n: number, slackEvents: Map<string, Record<string, unknown>>, chats: Map<string, string>): Promise<Outcome> {
  const startedAt = performance.now();
  const api = stack.cfg.apiUrl;
  const signal = AbortSignal.timeout(20_000);
  const done = (ok: boolean, clear: boolean, detail: string): Outcome => ({ kind, startedAt, endedAt: performance.now(), ok, clear, detail });
  const judge = async (res: Response, okStatus: number) => {
    const text = await res.text();
    return done(res.status === okStatus, clear503(res.status, text), `${res.status} ${text.slice(0, 160)}`);
  };
  try {
    switch (kind) {
      case 'rest read':
        return await judge(await fetch(`${api}/rest/v1/conversations?select=id&limit=1`, { headers: who.headers, signal }), 200);
      case 'rest write':
        return await judge(await fetch(`${api}/rest/v1/conversations`, {
          method: 'POST',
          headers: { ...who.headers, 'content-type': 'application/json', Prefer: 'return=minimal' },
          body: JSON.stringify({ title: `pg restart ${n}` }),
          signal,
        }), 201);
      case 'storage upload':
        return await judge(await fetch(`${api}/storage/v1/object/uploads/${who.id}/pg-restart/${n}.txt`, {
          method: 'POST',
          headers: { ...who.headers, 'content-type': 'text/plain' },
          body: `written during the restart case, ${n}`,
          signal,
        }), 200);
      case 'auth user':
        return await judge(await fetch(`${api}/auth/v1/user`, { headers: who.headers, signal }), 200);
      case 'chat turn': {
        const tag = `pg-${suffix()}-${n}`;
        const turn = await chatTurn(who.token, { message: `Restart check ${tagged(tag)}` });
        if (turn.status !== 200) return done(false, clear503(turn.status, JSON.stringify(turn.error)), `${turn.status} ${JSON.stringify(turn.error)}`);
        const session = turn.events.find((e) => e.type === 'session');
        if (session?.type === 'session') chats.set(session.conversation_id, replyTo(tag));
        const problem = streamProblem(turn.events, replyTo(tag));
        const error = turn.events.find((e) => e.type === 'error');
        const clear = error?.type === 'error' && !!error.error.code && error.error.message.length > 5 && turn.events.at(-1)?.type === 'done';
        return done(!problem, clear, problem ?? 'answered');
      }
      case 'slack event': {
        const eventId = `EvPg${suffix()}N${n}`;
        const envelope = eventEnvelope(directMessage(`UPG${n}X${suffix()}`.toUpperCase(), 'during the restart'), eventId);
        slackEvents.set(eventId, envelope);
        const res = await fetch(await signedEvent(`${api}/functions/v1/slack-events`, stack.signingSecret, envelope), { signal });
        return await judge(res, 200);
      }
    }
  } catch (e) {
    return done(false, false, `no answer: ${(e as Error).name === 'TimeoutError' ? 'hung for 20 s' : (e as Error).message}`);
  }
}

export const postgresRestart: FaultCase = {
  name: 'Postgres restarted under load (fast shutdown, down 3 s)',
  expected: 'refused requests get 503 + readable error at once, none hangs, the gateway stays up; all kinds succeed again; refused Slack events processed once on redelivery; no half-written rows',
  async run(stack) {
    const rep = await signIn('dubai.lead@mmg.demo');
    const who: Client = { id: rep.id, token: rep.token, headers: { Authorization: `Bearer ${rep.token}`, apikey: anonKey } };
    const slackEvents = new Map<string, Record<string, unknown>>();
    const chats = new Map<string, string>();
    const outcomes: Outcome[] = [];
    let n = 0;
    let backAt = Infinity;
    let stopLoad = false;
    const lastOk = new Map<Kind, number>();
    const loops = KINDS.map(async (kind) => {
      while (!stopLoad) {
        const o = await attempt(kind, who, stack, n++, slackEvents, chats);
        outcomes.push(o);
        if (o.ok) lastOk.set(kind, o.endedAt);
        await sleep(o.ok ? 50 : 250);
      }
    });
    const started = performance.now();
    await sleep(2_000);
    const downAt = performance.now();
    await stack.restartPostgres(3_000);
    backAt = performance.now();
    // Recovery: every kind must succeed again, started after Postgres is back, within 30 s.
    const recovered = await waitFor('every kind of request to succeed again', () =>
      Promise.resolve(KINDS.every((k) => (lastOk.get(k) ?? 0) > backAt) || !stack.alive()), 30_000, 200).catch(() => false);
    stopLoad = true;
    await Promise.all(loops);
    const seconds = (t: number) => ((t - started) / 1000).toFixed(1);

    // Every broken promise is collected, so one run shows the whole picture.
    const violations: string[] = [];
    const check = (ok: unknown, text: string) => void (ok || violations.push(text));
    check(stack.alive(), `the gateway process exited: ${stack.logTail(600)}`);
    const hung = outcomes.filter((o) => o.detail.includes('hung'));
    check(!hung.length, `${hung.length} requests hung: ${hung.slice(0, 3).map((o) => `${o.kind} at ${seconds(o.startedAt)} s`).join('; ')}`);
    // One example per kind and answer, with how often it came.
    const unclear = new Map<string, number>();
    for (const o of outcomes.filter((o) => !o.ok && !o.clear)) {
      const key = `${o.kind}: ${o.detail.slice(0, 110)}`;
      unclear.set(key, (unclear.get(key) ?? 0) + 1);
    }
    check(!unclear.size, `refusals that were not a clear 503: ${[...unclear].map(([k, n]) => `${k} (×${n})`).join(' | ')}`);
    const notBack = KINDS.filter((k) => (lastOk.get(k) ?? 0) <= backAt);
    check(recovered && !notBack.length, `not served again within 30 s after the restart: ${notBack.join(', ')}`);
    if (!stack.alive() || notBack.length) throw new Error(violations.join(' ‖ '));

    // The stack's own connections came back once each: nothing reconnects in a loop.
    await sleep(2_000);
    const connections = await sql<{ app: string; n: number }>(
      `select application_name as app, count(*)::int as n from pg_stat_activity where backend_type = 'client backend' group by 1 order by 2 desc`);
    const listeners = connections.find((c) => c.app === 'pg_net-listener')?.n ?? 0;
    check(listeners === 1, `${listeners} pg_net listener connections after the restart (expected 1): ${JSON.stringify(connections)}`);

    // Slack redelivers what it was refused: each is processed now, exactly once.
    const seen = new Set((await sql<{ event_id: string }>('select event_id from private.slack_events_seen where event_id = any($1)', [[...slackEvents.keys()]]))
      .map((r) => r.event_id));
    const redelivered = [...slackEvents].filter(([id]) => !seen.has(id));
    for (const [id, envelope] of redelivered) {
      const res = await fetch(await signedEvent(`${stack.cfg.apiUrl}/functions/v1/slack-events`, stack.signingSecret, envelope, { retryNum: 1 }));
      const body = await res.json() as { ok?: boolean; duplicate?: boolean };
      check(res.status === 200 && body.ok && !body.duplicate, `redelivered event ${id}: ${res.status} ${JSON.stringify(body)}`);
    }

    // Nothing half-written: rows and files agree, answers are whole.
    const objects = await sql<{ name: string }>('select name from storage.objects where bucket_id = $1 and name like $2', ['uploads', `${who.id}/pg-restart/%`]);
    const orphans = objects.filter((o) => !existsSync(objectFilePath(stack.cfg.storageDir, 'uploads', o.name)));
    check(!orphans.length, `objects without their file: ${orphans.map((o) => o.name).join(', ')}`);
    const answers = await sql<{ conversation_id: string; content: string }>(
      `select conversation_id, content from public.messages where role = 'assistant' and conversation_id = any($1::uuid[])`, [[...chats.keys()]]);
    const partial = answers.filter((a) => a.content !== chats.get(a.conversation_id));
    check(!partial.length, `stored answers that are not the whole scripted answer: ${JSON.stringify(partial.slice(0, 3))}`);
    if (violations.length) throw new Error(violations.join(' ‖ '));

    const during = outcomes.filter((o) => o.endedAt >= downAt && o.startedAt <= backAt);
    const recoveredAfter = Math.max(...KINDS.map((k) => Math.min(...outcomes.filter((o) => o.kind === k && o.ok && o.startedAt > backAt).map((o) => o.endedAt))));
    const refusedCount = outcomes.filter((o) => !o.ok).length;
    const slowest = Math.max(...outcomes.filter((o) => !o.ok).map((o) => o.endedAt - o.startedAt), 0);
    return `${outcomes.length} requests, ${during.length} while Postgres was down or restarting; ${refusedCount} refused, all with a clear 503 ` +
      `(slowest refusal ${(slowest / 1000).toFixed(1)} s); every kind served again within ${((recoveredAfter - backAt) / 1000).toFixed(1)} s; ` +
      `${redelivered.length} refused Slack events processed once on redelivery; ${objects.length} objects all with files`;
  },
};
