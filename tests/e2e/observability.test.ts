// Observability across the running stack (issue 8): a request id set by a caller reaches the
// render job row, the pg_net delivery and the renderer's log lines; a renderer whose PDF engine
// is broken says "degraded" and names the check; and after sign-ins, API calls, function calls,
// Slack requests and renderer dispatches, no password, JWT, service key, renderer secret or
// Slack signing secret appears in any log file of the stack.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig, repoRoot } from '../../devstack/src/config.ts';
import { anonKey, serviceKey, sql, url } from '../contract/env.ts';

const cfg = loadConfig();
const demo = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users as { email: string; password: string }[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** JSON log lines of one of the stack's log files that mention the text. */
function logLines(file: string, text: string): Record<string, unknown>[] {
  const path = join(cfg.logDir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('{') && l.includes(text)).map((l) => JSON.parse(l));
}

async function signIn(email: string): Promise<{ access_token: string; refresh_token: string; user: { id: string } }> {
  const password = demo.find((u) => u.email === email)!.password;
  const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  return await res.json();
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('request ids from the API to the renderer', () => {
  it('follow a proposal request into its render job row, the pg_net delivery and the renderer\'s log lines', async () => {
    const session = await signIn('dubai.rep1@mmg.demo');
    const requestId = `e2e-${randomUUID()}`;
    const res = await fetch(`${url}/rest/v1/rpc/request_proposal`, {
      method: 'POST',
      headers: { apikey: anonKey, authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({
        request: {
          client_name: `Traced ${requestId.slice(4, 12)}`,
          items: [{ location: 'szr_unipole_north', production_fee: 8500, options: [{ start_date: '2027-02-01', duration_weeks: 4, net_rate: 195000 }] }],
        },
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), requestId);
    const { job_id: jobId } = await res.json();

    const [row] = await sql('select request_id from public.render_jobs where id = $1', [jobId]);
    assert.equal(row.request_id, requestId, 'the job row records the request id');

    const delivered = await waitFor('the pg_net delivery to be logged', () => logLines('stack.log', requestId).find((l) => l.service === 'pg_net'));
    assert.equal(delivered.message, 'delivered');
    assert.match(String(delivered.url), /\/jobs\/dispatch$/);

    const finished = await waitFor('the renderer to finish the job', () =>
      logLines('renderer.log', requestId).find((l) => l.message === 'job.succeeded' || l.message === 'job.failed'), 120_000);
    assert.equal(finished.job_id, jobId);
    const events = logLines('renderer.log', requestId).filter((l) => l.job_id === jobId).map((l) => l.message);
    assert.deepEqual(events.slice(0, 2), ['job.dispatched', 'job.claimed'], 'every line of the job carries the id');
    assert.equal(logLines('renderer.log', requestId).find((l) => l.message === 'job.claimed')!.user_id, session.user.id,
      'the job\'s lines name its owner');
    const gateway = logLines('stack.log', requestId).find((l) => l.service === 'gateway');
    assert.deepEqual([gateway?.route, gateway?.user_id], ['/rest/v1/rpc/request_proposal', session.user.id]);
  });
});

describe('a renderer with a broken PDF engine', () => {
  let child: ChildProcess;
  let base: string;
  let output = '';
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['renderer/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SUPABASE_URL: url,
        SUPABASE_SERVICE_ROLE_KEY: serviceKey,
        RENDERER_SECRET: randomBytes(24).toString('base64url'),
        RENDERER_PORT: String(port),
        SOFFICE_PATH: '/nonexistent/libreoffice/soffice',
        GOTENBERG_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(`the renderer to listen (${output})`, async () => (await fetch(`${base}/health`).catch(() => null))?.ok, 60_000);
  });
  after(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });

  it('is alive but degraded, naming the PDF engine check and what is wrong', async () => {
    const res = await fetch(`${base}/ready`);
    assert.equal(res.status, 503);
    const report = await res.json();
    assert.equal(report.status, 'degraded');
    assert.equal(report.checks.libreoffice.status, 'failed');
    assert.match(report.checks.libreoffice.detail, /\/nonexistent\/libreoffice\/soffice/);
    for (const ok of ['database', 'storage', 'mockup_addon']) assert.equal(report.checks[ok].status, 'ok', `${ok}: ${JSON.stringify(report.checks[ok])}`);
  });

  it('exports the database figures through the REST API on its /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /^mmg_operations_stats_up\{service="renderer"\} 1$/m);
    assert.match(text, /^mmg_pg_net_queue_requests\{service="renderer"\} \d+$/m);
    assert.match(text, /^mmg_render_queue_jobs\{kind="proposal",status="queued",service="renderer"\} \d+$/m);
  });
});

describe('secrets in logs', () => {
  it('never appear in any log file of the stack, whatever was sent through it', async () => {
    const marker = `secrets-${randomUUID()}`;
    const sessions = await Promise.all(['dubai.rep2@mmg.demo', 'admin@mmg.demo'].map(signIn));
    // A wrong password, an API call with a user's JWT, one with the service key, a failing one.
    await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json', 'x-request-id': marker },
      body: JSON.stringify({ email: 'dubai.rep2@mmg.demo', password: 'Wrong-password-for-the-log-test' }),
    });
    await fetch(`${url}/rest/v1/proposals?select=id&limit=1`, { headers: { apikey: anonKey, authorization: `Bearer ${sessions[0].access_token}`, 'x-request-id': marker } });
    await fetch(`${url}/rest/v1/proposals?select=nope(`, { headers: { apikey: serviceKey, authorization: `Bearer ${serviceKey}`, 'x-request-id': marker } });
    await fetch(`${url}/rest/v1/companies?apikey=${serviceKey}`, { headers: { 'x-request-id': marker } });
    await fetch(`${url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json', 'x-request-id': marker },
      body: JSON.stringify({ refresh_token: sessions[1].refresh_token }),
    });
    // Edge functions with a user's JWT, and Slack's signed and forged requests.
    await (await fetch(`${url}/functions/v1/health`, { headers: { authorization: `Bearer ${sessions[1].access_token}`, 'x-request-id': marker } })).text();
    const signingSecret = process.env.SLACK_SIGNING_SECRET!;
    const body = JSON.stringify({ type: 'url_verification', challenge: marker, token: 'legacy-verification-token' });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    for (const sig of [signature, `v0=${'0'.repeat(64)}`]) {
      await (await fetch(`${url}/functions/v1/slack-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig, 'x-request-id': marker },
        body,
      })).text();
    }
    // The renderer: a dispatch with its secret, and one with a wrong secret.
    const rendererSecret = cfg.rendererSecret;
    const rendererUrl = `http://127.0.0.1:${cfg.rendererPort}`;
    for (const secret of [rendererSecret, 'not-the-renderer-secret-at-all']) {
      await (await fetch(`${rendererUrl}/jobs/dispatch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'x-request-id': marker },
        body: JSON.stringify({ job_id: randomUUID(), kind: 'mockup' }),
      })).text();
    }
    await waitFor('the marked requests to be logged', () => logLines('stack.log', marker).length >= 7 && logLines('renderer.log', marker).length >= 1, 15_000);

    const secrets: [string, string][] = [
      ...demo.map((u): [string, string] => [`password of ${u.email}`, u.password]),
      ['a wrong password', 'Wrong-password-for-the-log-test'],
      ...sessions.flatMap((s, i): [string, string][] => [[`access token ${i}`, s.access_token], [`refresh token ${i}`, s.refresh_token]]),
      ['service-role key', serviceKey],
      ['anon key (a JWT)', anonKey],
      ['JWT secret', cfg.jwtSecret],
      ['renderer secret', rendererSecret],
      ['Slack signing secret', signingSecret],
      ['Slack signature', signature.slice(3)],
      ['database password', new URL(cfg.authenticatorUrl).password],
    ];
    const files = readdirSync(cfg.logDir).filter((f) => f.endsWith('.log'));
    assert.ok(files.includes('stack.log') && files.includes('renderer.log') && files.includes('function-health.log'), `log files: ${files}`);
    for (const file of files) {
      const text = readFileSync(join(cfg.logDir, file), 'utf8');
      for (const [what, secret] of secrets) assert.ok(!text.includes(secret), `${file} contains the ${what}`);
      assert.doesNotMatch(text, /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/, `${file} contains a JWT`);
    }
  });
});
