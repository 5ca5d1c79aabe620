// `npm run test:load` — the platform under mixed load, on a private test stack on loopback
// (STACK_PORT_OFFSET, default 450): 100 concurrent Slack event senders, 20 concurrent chat
// streams against a scripted model and 10 render jobs, for 60 s of traffic; then the results
// are checked. Prints throughput, p50/p95/p99 latencies and error counts per workload, and exits
// non-zero on any 5xx, any other error answer, any message lost or duplicated, or any render job
// not finished exactly once. Latency is printed, never gated: the machine is shared.
//
// Settings (environment): LOAD_SECONDS (60; e.g. 10 for a quick check), LOAD_SLACK_CONCURRENCY
// (100), LOAD_CHAT_STREAMS (20), LOAD_RENDER_JOBS (10). Stops by itself: traffic ends at the
// deadline, render jobs get at most 3 more minutes, then the stack is stopped.
import { runSuite } from '../support/suite-stack.ts';

function setting(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got ${raw}`);
  return value;
}

const settings = {
  seconds: setting('LOAD_SECONDS', 60, 600),
  slackConcurrency: setting('LOAD_SLACK_CONCURRENCY', 100, 500),
  chatStreams: setting('LOAD_CHAT_STREAMS', 20, 100),
  renderJobs: setting('LOAD_RENDER_JOBS', 10, 100),
};

runSuite(450, async (stack) => {
  // Imported once the stack's URL and keys are in the environment: its helpers read them.
  const { runLoad } = await import('./traffic.ts');
  return (await runLoad(stack, settings)) ? 0 : 1;
});
