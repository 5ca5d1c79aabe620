// Bench P7 (`npm run bench:chat`): the server-side overhead of a chat turn, model time
// excluded, through the gateway — JWT check, access resolution, conversation and history in
// Postgres, tool calls under RLS, SSE, cost rows. The model is the scripted fake, answering at
// once; the time it takes is measured at a proxy in front of it and subtracted per turn.
//
// Needs a running stack whose functions call the fake: start it with OPENAI_API_KEY=test
// OPENAI_BASE_URL=http://127.0.0.1:54390/v1 (port: FAKE_LLM_PORT). The stack's URL and keys
// come from SUPABASE_URL / SUPABASE_ANON_KEY / SUPABASE_DB_URL, else from
// `devstack/src/cli.ts env --profile $STACK_PROFILE` (default test).
// BENCH_TURNS (default 200) sets the turns per scenario; the target is p95 < 50 ms.
import { type OpenAiTurn, startFakeOpenAi } from '../_shared/llm/testing/fake_openai.ts';

async function ensureStackEnv(): Promise<void> {
  if (Deno.env.get('SUPABASE_URL') && Deno.env.get('SUPABASE_ANON_KEY')) return;
  const profile = Deno.env.get('STACK_PROFILE') ?? 'test';
  const out = await new Deno.Command('node_modules/.bin/tsx', {
    args: ['devstack/src/cli.ts', 'env', '--profile', profile],
    stdout: 'piped',
    stderr: 'inherit',
  }).output();
  for (const line of new TextDecoder().decode(out.stdout).split('\n')) {
    const m = /^(SUPABASE_[A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) Deno.env.set(m[1], m[2]);
  }
}

await ensureStackEnv();
// Imported after the environment is complete: the helpers read it when loaded.
const { chatTurn, DEMO, FAKE_LLM_PORT, ofType, signIn, stack } = await import(
  '../_shared/agent/testing/stack.ts'
);
if (!stack) {
  console.error(
    'bench:chat needs a running stack (SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_DB_URL).',
  );
  Deno.exit(2);
}

const TURNS = Number(Deno.env.get('BENCH_TURNS') ?? 200);
const WARMUP = 10;
const usage = { prompt_tokens: 1200, completion_tokens: 30 };

/** The fake on a private port; a proxy on FAKE_LLM_PORT records how long each model call took. */
function fakeModel(script: OpenAiTurn[]) {
  const fake = startFakeOpenAi(script);
  const spans: number[] = [];
  const origin = new URL(fake.url).origin;
  const proxy = Deno.serve(
    { hostname: '127.0.0.1', port: FAKE_LLM_PORT, onListen: () => {} },
    async (req) => {
      const started = performance.now();
      const url = new URL(req.url);
      const upstream = await fetch(`${origin}${url.pathname}${url.search}`, {
        method: req.method,
        headers: req.headers,
        body: await req.arrayBuffer(),
      });
      // The fake answers at once, so buffering its stream changes nothing but the timing point.
      const body = await upstream.arrayBuffer();
      spans.push(performance.now() - started);
      return new Response(body, { status: upstream.status, headers: upstream.headers });
    },
  );
  return {
    spans,
    async close() {
      await proxy.shutdown();
      await fake.close();
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Sample {
  total: number;
  model: number;
}

async function scenario(
  name: string,
  turn: () => OpenAiTurn[],
  message: (i: number) => string,
): Promise<Sample[]> {
  const rep = await signIn(DEMO.salesRep);
  const perTurn = turn();
  const script = Array.from(
    { length: (TURNS + WARMUP) * perTurn.length + 5 },
    (_, i) => perTurn[i % perTurn.length],
  );
  const model = fakeModel(script);
  const samples: Sample[] = [];
  let conversationId: string | undefined;
  try {
    for (let i = 0; i < TURNS + WARMUP; i++) {
      const spansBefore = model.spans.length;
      const answer = await chatTurn(rep, {
        message: message(i),
        ...(conversationId ? { conversation_id: conversationId } : {}),
      });
      const error = ofType(answer.events, 'error')[0];
      if (answer.status !== 200 || error) {
        throw new Error(
          `turn ${i} failed: ${answer.status} ${JSON.stringify(error ?? answer.body)}`,
        );
      }
      conversationId ??= ofType(answer.events, 'session')[0].conversation_id;
      const modelMs = model.spans.slice(spansBefore).reduce((a, b) => a + b, 0);
      if (i >= WARMUP) samples.push({ total: answer.ms, model: modelMs });
    }
  } finally {
    await model.close();
  }
  report(name, samples);
  return samples;
}

function report(name: string, samples: Sample[]) {
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${
      percentile(sorted, 95).toFixed(1)
    } ms`;
  };
  console.log(`\n${name} (${samples.length} turns)`);
  console.log(`  turn through the gateway   ${stat(samples.map((s) => s.total))}`);
  console.log(`  fake model calls           ${stat(samples.map((s) => s.model))}`);
  const overhead = samples.map((s) => s.total - s.model);
  console.log(`  server overhead (P7)       ${stat(overhead)}`);
  const p95 = percentile([...overhead].sort((a, b) => a - b), 95);
  console.log(`  target p95 < 50 ms: ${p95 < 50 ? 'met' : 'NOT met'}`);
}

console.log(`bench:chat against ${stack.url}, fake model on port ${FAKE_LLM_PORT}`);
await scenario(
  'text answer (1 model call, history replayed)',
  () => [{ text: ['Noted.'], usage }],
  (i) => `Bench message ${i}: what is free next month?`,
);
await scenario(
  'tool turn (search_locations under RLS, then the answer: 2 model calls)',
  () => [
    {
      toolCalls: [{ name: 'search_locations', arguments: { query: 'marina', limit: 5 } }],
      usage,
    },
    { text: ['The Marina screen is a good fit.'], usage },
  ],
  (i) => `Bench tool message ${i}: screens in the marina?`,
);
