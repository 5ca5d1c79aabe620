// The stand-ins the load and fault suites point a stack at, in one Deno process (started by
// fakes.ts): the edge functions' own Slack stand-in (_shared/slack/testing/fake_slack.ts) on
// FAKE_SLACK_PORT, and on FAKE_LLM_PORT a scripted model: every Chat Completions request is
// answered by a one-turn run of the wire-format fake OpenAI (_shared/llm/testing/fake_openai.ts),
// the turn chosen from the request's user message (scripted-model.ts). Routes under /_control/
// on the model port tell the suites what the stand-ins received.
//
// The fakes are Deno modules (Deno.serve); they are loaded by computed URL, so the Node type
// check of tests/ does not follow them into Deno code.
import process from 'node:process';
import { lastUserText, type ScriptedTurn, scriptedTurn, tagOf } from './scripted-model.ts';

interface DenoServer {
  finished: Promise<void>;
}
interface DenoLike {
  serve(options: { hostname: string; port: number; onListen?: () => void }, handler: (req: Request) => Promise<Response>): DenoServer;
}
interface FakeServer {
  url: string;
  close(): Promise<void>;
}
interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
}
interface FakeSlack {
  calls: RecordedCall[];
  reset(): void;
}

const deno = (globalThis as unknown as { Deno: DenoLike }).Deno;
const shared = new URL('../../supabase/functions/_shared/', import.meta.url);
const { startFakeOpenAi } = await import(new URL('llm/testing/fake_openai.ts', shared).href) as {
  startFakeOpenAi(script: ScriptedTurn[]): FakeServer;
};
const { startFakeSlack } = await import(new URL('slack/testing/fake_slack.ts', shared).href) as {
  startFakeSlack(options: { port?: number }): Promise<FakeSlack>;
};

const llmPort = Number(process.env.FAKE_LLM_PORT);
const slackPort = Number(process.env.FAKE_SLACK_PORT);
if (!llmPort || !slackPort) throw new Error('FAKE_LLM_PORT and FAKE_SLACK_PORT must be set');

const slack = await startFakeSlack({ port: slackPort });
/** Requests per message tag: a retried model call is attempt 2, 3, … */
const attempts = new Map<string, number>();
let modelRequests = 0;

async function answerModel(req: Request): Promise<Response> {
  const raw = await req.text();
  let body: unknown = null;
  try {
    body = JSON.parse(raw);
  } catch { /* the fake answers it with its own error */ }
  const text = lastUserText(body);
  const tag = tagOf(text);
  const attempt = (attempts.get(tag) ?? 0) + 1;
  attempts.set(tag, attempt);
  modelRequests += 1;
  const fake = startFakeOpenAi([scriptedTurn(text, attempt)]);
  const upstream = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: req.headers.get('authorization') ?? '', 'content-type': 'application/json' },
    body: raw,
  });
  // Stops accepting connections now and ends once this one answer has gone through (or broke off).
  void fake.close();
  // The body is passed on as it streams: when the fake cuts its connection, so does this one.
  return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
}

function control(path: string, url: URL): Response {
  switch (path) {
    case '/_control/slack': {
      const method = url.searchParams.get('method');
      const calls = slack.calls.filter((c) => !method || c.method === method)
        .map((c) => ({ method: c.method, channel: c.args.channel ?? null, text: String(c.args.text ?? '').slice(0, 60) }));
      return Response.json({ calls });
    }
    case '/_control/model':
      return Response.json({ requests: modelRequests, attempts: Object.fromEntries(attempts) });
    case '/_control/reset':
      slack.reset();
      attempts.clear();
      modelRequests = 0;
      return Response.json({ ok: true });
    default:
      return Response.json({ error: { code: 'not_found', message: path } }, { status: 404 });
  }
}

deno.serve({ hostname: '127.0.0.1', port: llmPort, onListen: () => {} }, async (req) => {
  const url = new URL(req.url);
  if (url.pathname.startsWith('/_control/')) return control(url.pathname, url);
  if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return await answerModel(req);
  return Response.json({ error: { message: `scripted model: no route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } }, { status: 404 });
});

process.stdout.write(`${JSON.stringify({ ready: true, llmPort, slackPort })}\n`);
