// The load run itself (run.ts starts the stack first, then imports this module, whose helpers
// read the stack's URL and keys from the environment when loaded).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { SuiteStack } from '../support/suite-stack.ts';
import { demoUsers, signIn } from '../support/render-jobs.ts';
import { replyTo, tagged } from '../support/scripted-model.ts';
import { directMessage, eventEnvelope, signedEvent } from '../../supabase/functions/_shared/slack/testing/requests.ts';
import { type ChatPerson, chatTraffic, chatTurn, checkChat, streamProblem } from './chat.ts';
import { type RenderRequester, renderTraffic, uploadCreative } from './render.ts';
import { checkSlack, slackTraffic } from './slack.ts';
import { table, Workload } from './workload.ts';

export interface LoadSettings {
  seconds: number;
  slackConcurrency: number;
  chatStreams: number;
  renderJobs: number;
}

/** Profiles that hold sales:chat:use in the demo data. */
const CHAT_PROFILES = new Set(['system_admin', 'sales_manager', 'sales_user']);

/** One chat turn and one Slack event before the clock starts: function workers start cold. */
async function warmUp(stack: SuiteStack, token: string, runId: string): Promise<void> {
  const tag = `${runId}-warm-up`;
  const turn = await chatTurn(token, { message: `Warm-up ${tagged(tag)}` });
  const problem = turn.status === 200 ? streamProblem(turn.events, replyTo(tag)) : `HTTP ${turn.status} ${JSON.stringify(turn.error)}`;
  if (problem) throw new Error(`the warm-up chat turn failed: ${problem}`);
  const envelope = eventEnvelope(directMessage(`UW${runId}`.toUpperCase(), 'warm-up'), `EvWarm${runId}`);
  const res = await fetch(await signedEvent(`${stack.cfg.apiUrl}/functions/v1/slack-events`, stack.signingSecret, envelope));
  if (res.status !== 200) throw new Error(`the warm-up Slack event failed: ${res.status} ${await res.text()}`);
}

export async function runLoad(stack: SuiteStack, s: LoadSettings): Promise<boolean> {
  const runId = randomBytes(3).toString('hex');
  // Everyone signs in at once, as on a Monday morning (this once hung the local auth for good).
  const [chatPeople, requesters] = await Promise.all([
    Promise.all(demoUsers.filter((u) => CHAT_PROFILES.has(u.profile ?? '')).map(async (u): Promise<ChatPerson> => ({ email: u.email, token: (await signIn(u.email)).token }))),
    Promise.all(['dubai.rep1@mmg.demo', 'dubai.rep2@mmg.demo'].map(async (email): Promise<RenderRequester> => {
      const who = await signIn(email);
      return { ...who, creativePath: await uploadCreative(who.client, who.id, runId) };
    })),
  ]);
  await warmUp(stack, chatPeople[0].token, runId);

  const slack = new Workload('slack events', 'ev');
  const chat = new Workload('chat turns', 'turn');
  const render = new Workload('render jobs', 'job');
  process.stdout.write(
    `traffic for ${s.seconds} s: ${s.slackConcurrency} concurrent Slack senders, ${s.chatStreams} chat streams ` +
      `(${chatPeople.length} people), ${s.renderJobs} render jobs — run ${runId}\n`,
  );
  const startedAt = performance.now();
  const deadline = startedAt + s.seconds * 1000;
  const progress = setInterval(() => {
    process.stdout.write(`  ${((performance.now() - startedAt) / 1000).toFixed(0)} s: ${slack.count} Slack deliveries, ${chat.count} chat turns, ${render.count} render jobs finished\n`);
  }, 10_000);
  const [events, lanes] = await Promise.all([
    slackTraffic({ url: `${stack.cfg.apiUrl}/functions/v1/slack-events`, secret: stack.signingSecret, concurrency: s.slackConcurrency, deadline, runId }, slack),
    chatTraffic({ people: chatPeople, streams: s.chatStreams, deadline, runId }, chat),
    renderTraffic({ requesters, jobs: s.renderJobs, startedAt, seconds: s.seconds, runId, drainMs: 180_000 }, render),
  ]).finally(() => clearInterval(progress));
  const trafficSeconds = (performance.now() - startedAt) / 1000;

  await checkSlack(events, stack.fakes, runId, slack);
  await checkChat(lanes, chat);
  const workloads = [slack, chat, render];
  const [one, five] = loadavg();
  process.stdout.write([
    '',
    `load: ${trafficSeconds.toFixed(0)} s against ${stack.cfg.apiUrl} (loopback, STACK_PORT_OFFSET ${stack.offset}); ` +
    `load average ${one.toFixed(1)} / ${five.toFixed(1)} on a shared machine — latencies are indicative only`,
    '',
    table(workloads),
    '',
    ...workloads.flatMap((w) => w.notes.map((n) => `${w.name}: ${n}`)),
    '',
  ].join('\n'));

  if (!stack.alive()) slack.problem(`the stack process exited during the run:\n${stack.logTail()}`);
  const problems = workloads.flatMap((w) => w.problems.map((p) => `${w.name}: ${p}`));
  if (problems.length) {
    process.stdout.write(`FAIL — ${problems.length} problem(s):\n${problems.map((p) => `  ✗ ${p}`).join('\n')}\n`);
    return false;
  }
  process.stdout.write('PASS — no 5xx, no error, nothing lost or duplicated, every job finished once\n');
  return true;
}
