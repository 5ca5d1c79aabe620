// How a failed access lookup is reported: refused (403), the database away (503, retry), or
// the API answering something unexpected (502).
import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { AccessError, loadCallerAccess } from './access.ts';

type RpcAnswer = { data: unknown; error: Record<string, unknown> | null; status: number };

/** A client whose rpc() gives `context` for my_context and `held` for held_permissions. */
function clientAnswering(context: RpcAnswer, held: RpcAnswer): SupabaseClient {
  return {
    rpc: (name: string) => Promise.resolve(name === 'my_context' ? context : held),
  } as unknown as SupabaseClient;
}

const ok = (data: unknown): RpcAnswer => ({ data, error: null, status: 200 });
const failed = (status: number, code: string, message: string): RpcAnswer => ({
  data: null,
  error: { code, message, details: null, hint: null },
  status,
});

async function refusal(db: SupabaseClient): Promise<AccessError> {
  try {
    await loadCallerAccess(db, ['sales:chat:use']);
  } catch (e) {
    if (e instanceof AccessError) return e;
    throw e;
  }
  throw new Error('access was granted');
}

Deno.test('access: the database away is a 503 database_unavailable, whichever lookup failed', async () => {
  const me = ok({ user_id: 'u', is_active: true, companies: [] });
  const cases = [
    clientAnswering(failed(503, 'PGRST000', 'Could not connect with the database'), ok([])),
    clientAnswering(
      me,
      failed(503, '57P01', 'terminating connection due to administrator command'),
    ),
    clientAnswering(failed(0, '', 'TypeError: fetch failed'), ok([])),
  ];
  for (const db of cases) {
    const e = await refusal(db);
    assert.equal(e.status, 503);
    assert.equal(e.code, 'database_unavailable');
    assert.match(e.message, /try again/);
  }
});

Deno.test('access: a refused caller is 403; an unexpected API error stays 502', async () => {
  const refused = await refusal(
    clientAnswering(failed(403, '42501', 'not a platform user'), ok([])),
  );
  assert.deepEqual([refused.status, refused.code], [403, 'no_platform_user']);
  const odd = await refusal(clientAnswering(failed(500, 'XX000', 'internal error'), ok([])));
  assert.deepEqual([odd.status, odd.code], [502, 'access_unavailable']);
});
