// Slack traffic: `concurrency` senders post signed (v0) Events API deliveries to slack-events
// until the deadline, each a DM from a Slack member no platform user is linked to, with an event
// id and a member of its own — so the one reply each event must cause (the linking message) goes
// to a channel that names the event. Every tenth event is delivered again as Slack redelivers
// (same event id, X-Slack-Retry-Num), half of those at the same moment as the original.
//
// Checked afterwards: every event acknowledged once and its redeliveries as duplicates, one
// dedup row per event, and exactly one reply per event in the Slack stand-in — none lost, none
// twice, none to a channel no event named.
import { directMessage, eventEnvelope, signedEvent } from '../../supabase/functions/_shared/slack/testing/requests.ts';
import { sql } from '../contract/env.ts';
import type { FakeServices } from '../support/fakes.ts';
import { waitFor } from '../support/render-jobs.ts';
import { Workload } from './workload.ts';

interface Delivery { status: number | null; duplicate: boolean }
interface SentEvent { channel: string; deliveries: Delivery[] }

export interface SlackTraffic {
  url: string;
  secret: string;
  concurrency: number;
  deadline: number;
  runId: string;
}

export async function slackTraffic(t: SlackTraffic, w: Workload): Promise<Map<string, SentEvent>> {
  const events = new Map<string, SentEvent>();

  async function deliver(eventId: string, envelope: Record<string, unknown>, retryNum?: number): Promise<void> {
    const req = await signedEvent(t.url, t.secret, envelope, retryNum === undefined ? {} : { retryNum });
    const started = performance.now();
    let status: number | null = null;
    let duplicate = false;
    let problem: string | undefined;
    try {
      const res = await fetch(req, { signal: AbortSignal.timeout(30_000) });
      status = res.status;
      const body = await res.json().catch(() => null) as { ok?: boolean; duplicate?: boolean } | null;
      duplicate = body?.duplicate === true;
      if (status === 200 && body?.ok !== true) problem = `event ${eventId}: 200 without ok: ${JSON.stringify(body)}`;
      if (status !== 200) problem = `event ${eventId}: HTTP ${status} ${JSON.stringify(body)}`;
    } catch (e) {
      problem = `event ${eventId}: ${(e as Error).message}`;
    }
    w.record(started, status, problem);
    events.get(eventId)!.deliveries.push({ status, duplicate });
  }

  async function sender(n: number): Promise<void> {
    for (let seq = 0; performance.now() < t.deadline; seq++) {
      const eventId = `EvLoad${t.runId}S${n}N${seq}`;
      const user = `UL${t.runId}S${n}N${seq}`.toUpperCase();
      const envelope = eventEnvelope(directMessage(user, `load check ${seq} from sender ${n}`), eventId);
      events.set(eventId, { channel: `D${user.slice(1)}`, deliveries: [] });
      if (seq % 10 !== 9) await deliver(eventId, envelope);
      else if (seq % 20 === 9) await Promise.all([deliver(eventId, envelope), deliver(eventId, envelope, 1)]);
      else {
        await deliver(eventId, envelope);
        await deliver(eventId, envelope, 1);
      }
    }
  }

  await Promise.all(Array.from({ length: t.concurrency }, (_, n) => sender(n)));
  return events;
}

/** The checks after the traffic; problems go to the workload. */
export async function checkSlack(events: Map<string, SentEvent>, fakes: FakeServices, runId: string, w: Workload): Promise<void> {
  let firstAnswers = 0;
  let duplicatesAnswered = 0;
  const expected = new Map<string, string>(); // reply channel → event id
  for (const [eventId, e] of events) {
    const fresh = e.deliveries.filter((d) => d.status === 200 && !d.duplicate).length;
    const dups = e.deliveries.filter((d) => d.status === 200 && d.duplicate).length;
    duplicatesAnswered += dups;
    if (e.deliveries.some((d) => d.status !== 200)) continue; // already counted as an error
    if (fresh !== 1) w.problem(`event ${eventId}: ${fresh} deliveries were processed (expected exactly 1 of ${e.deliveries.length})`);
    else firstAnswers++;
    expected.set(e.channel, eventId);
  }

  const [{ rows }] = await sql<{ rows: number }>(
    'select count(*)::int as rows from private.slack_events_seen where event_id like $1',
    [`EvLoad${runId}S%`],
  );
  if (rows !== events.size) w.problem(`slack_events_seen holds ${rows} rows for ${events.size} events`);

  // Replies are background work: give them time to drain after the burst.
  const ours = async () => (await fakes.slackCalls('chat.postMessage')).filter((c) => c.channel?.startsWith(`DL${runId}`.toUpperCase()));
  let replies = await ours();
  try {
    replies = await waitFor('every reply to reach the Slack stand-in', async () => {
      replies = await ours();
      return replies.length >= expected.size && replies;
    }, 120_000, 500);
  } catch { /* counted below */ }
  const perChannel = new Map<string, number>();
  for (const r of replies) perChannel.set(r.channel!, (perChannel.get(r.channel!) ?? 0) + 1);
  let lost = 0;
  let twice = 0;
  for (const [channel, eventId] of expected) {
    const n = perChannel.get(channel) ?? 0;
    if (n === 0) lost++;
    if (n > 1) twice++;
    if (n !== 1) w.problem(`event ${eventId}: ${n} replies in the Slack stand-in (expected 1)`);
  }
  const stray = [...perChannel.keys()].filter((c) => !expected.has(c)).length;
  if (stray) w.problem(`${stray} replies went to channels no event named`);
  w.notes.push(
    `${events.size} events (${firstAnswers} processed once), ${duplicatesAnswered} redeliveries answered as duplicates; ` +
      `dedup rows ${rows}; replies in the Slack stand-in ${replies.length}: ${lost} lost, ${twice} duplicated, ${stray} stray`,
  );
}
