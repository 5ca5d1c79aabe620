// Helpers for tests and benchmarks that go through a running stack (gateway + Postgres):
// demo sign-ins, chat turns read as SSE, SQL as the database owner, and the port of the fake
// LLM the stack's functions were pointed at.
//
// The stack must be started with OPENAI_API_KEY=test and
// OPENAI_BASE_URL=http://127.0.0.1:<FAKE_LLM_PORT>/v1 (default port 54390) so the chat function
// calls the scripted fake these tests start on that port.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { type ChatEvent, readSse } from '../../channel.ts';

export interface StackEnv {
  url: string;
  anonKey: string;
  dbUrl: string;
}

function readStackEnv(): StackEnv | null {
  const url = Deno.env.get('SUPABASE_URL');
  const anonKey = Deno.env.get('SUPABASE_ANON_KEY');
  const dbUrl = Deno.env.get('SUPABASE_DB_URL');
  return url && anonKey && dbUrl ? { url, anonKey, dbUrl } : null;
}

/** null when SUPABASE_URL, SUPABASE_ANON_KEY or SUPABASE_DB_URL is missing. */
export const stack: StackEnv | null = readStackEnv();

export const FAKE_LLM_PORT = Number(Deno.env.get('FAKE_LLM_PORT') ?? 54390);

export const NO_STACK_REASON =
  'needs a running stack: set SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_DB_URL, with the ' +
  `stack started with OPENAI_API_KEY=test OPENAI_BASE_URL=http://127.0.0.1:${FAKE_LLM_PORT}/v1`;

function need(): StackEnv {
  if (!stack) throw new Error(NO_STACK_REASON);
  return stack;
}

export interface SignedIn {
  userId: string;
  email: string;
  token: string;
  /** supabase-js with this user's JWT. */
  client: SupabaseClient;
}

/** Demo users of seed/users.json. */
export const DEMO = {
  salesRep: { email: 'dubai.rep1@mmg.demo', password: 'Sales-demo-2026' },
  ukRep: { email: 'uk.rep@mmg.demo', password: 'Sales-demo-2026' },
  admin: { email: 'admin@mmg.demo', password: 'Admin-demo-2026' },
} as const;

const sessions = new Map<string, Promise<SignedIn>>();

/** Signs in once per user and process (the gateway allows 10 sign-ins a minute per IP). */
export function signIn(user: { email: string; password: string }): Promise<SignedIn> {
  let session = sessions.get(user.email);
  if (!session) {
    session = (async () => {
      const { url, anonKey } = need();
      const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: anonKey, 'content-type': 'application/json' },
        body: JSON.stringify(user),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(`sign-in of ${user.email} failed: ${JSON.stringify(body)}`);
      const client = createClient(url, anonKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        global: { headers: { Authorization: `Bearer ${body.access_token}` } },
      });
      return { userId: body.user.id, email: user.email, token: body.access_token, client };
    })();
    sessions.set(user.email, session);
  }
  return session;
}

export interface ChatAnswer {
  status: number;
  events: ChatEvent[];
  /** The JSON error body when the request was refused before streaming. */
  body?: { error: { code: string; message: string } };
  /** Milliseconds from sending to the `done` event (or the refusal). */
  ms: number;
}

export async function chatTurn(
  who: SignedIn,
  body: Record<string, unknown>,
): Promise<ChatAnswer> {
  const { url, anonKey } = need();
  const started = performance.now();
  const res = await fetch(`${url}/functions/v1/chat`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${who.token}`,
      apikey: anonKey,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return {
      status: res.status,
      events: [],
      body: await res.json(),
      ms: performance.now() - started,
    };
  }
  const events: ChatEvent[] = [];
  for await (const event of readSse(res.body!)) events.push(event);
  return { status: res.status, events, ms: performance.now() - started };
}

export function ofType<T extends ChatEvent['type']>(events: ChatEvent[], type: T) {
  return events.filter((e): e is Extract<ChatEvent, { type: T }> => e.type === type);
}

/** Runs SQL as the database owner (fixtures and checks past RLS). */
export async function sql<T = Record<string, any>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: need().dbUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function functionsUrl(path: string): string {
  return `${need().url}/functions/v1/${path}`;
}
