// Concurrency of the booking-order workflow, which one pgTAP transaction cannot show: real
// sessions acting on the same order at the same moment. Each session signs in as a demo user the
// way PostgREST does (role authenticated + request.jwt.claims) inside its own transaction.
//   - two coordinators approving one order: the second waits on the row lock, then fails 55000
//   - approve and reject by the head of sales at once: exactly one wins
//   - two final approvals booking the same static board for overlapping dates: the advisory
//     lock per location serialises them, so one is approved and the other refused (23P01)
// Needs SUPABASE_DB_URL (the test stack's database, superuser); skipped without it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';

const dbUrl = process.env.SUPABASE_DB_URL;

describe('booking-order workflow under concurrency', { skip: dbUrl ? false : 'SUPABASE_DB_URL is not set' }, () => {
  const created: string[] = [];
  let admin: pg.Client;
  const users = new Map<string, string>();

  async function session(email: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query('begin');
    await c.query("select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)",
      [JSON.stringify({ sub: users.get(email), role: 'authenticated' })]);
    return c;
  }

  async function once<T extends pg.QueryResultRow>(email: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const c = await session(email);
    try {
      const { rows } = await c.query<T>(sql, params);
      await c.query('commit');
      return rows;
    } finally {
      await c.end();
    }
  }

  async function submit(client: string, locations: unknown[] = []): Promise<string> {
    const [row] = await once<{ id: string }>('dubai.rep1@mmg.demo',
      "select public.create_booking_order('backlite_dubai', $1) ->> 'id' as id",
      [{ client, net_pre_vat: 1000, locations }]);
    created.push(row.id);
    return row.id;
  }

  async function toHos(client: string, locations: unknown[] = []): Promise<string> {
    const id = await submit(client, locations);
    await once('coordinator@mmg.demo', 'select public.coordinator_approve_booking_order($1)', [id]);
    return id;
  }

  /** Runs one call in its own session and settles with the committed result or the error code. */
  async function attempt(email: string, sql: string, params: unknown[]): Promise<{ ok: boolean; code?: string; message?: string }> {
    const c = await session(email);
    try {
      await c.query(sql, params);
      await c.query('commit');
      return { ok: true };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      await c.query('rollback').catch(() => {});
      return { ok: false, code: err.code, message: err.message };
    } finally {
      await c.end();
    }
  }

  before(async () => {
    admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    const { rows } = await admin.query<{ id: string; email: string }>("select id, email from auth.users where email like '%@mmg.demo'");
    for (const r of rows) users.set(r.email, r.id);
  });

  after(async () => {
    if (created.length) {
      await admin.query('delete from backlite_dubai.location_occupations where booking_order_id = any ($1)', [created]);
      await admin.query('delete from public.booking_orders where id = any ($1)', [created]);
    }
    await admin.end();
  });

  it('two coordinators approving at once: the second waits for the lock, then finds it no longer pending', async () => {
    const id = await submit('Concurrency A');
    const first = await session('coordinator@mmg.demo');
    await first.query('select public.coordinator_approve_booking_order($1)', [id]);
    // The second session blocks on the row lock the first one holds.
    const secondDone = attempt('coordinator@mmg.demo', 'select public.coordinator_approve_booking_order($1)', [id]);
    let waiting = 0;
    for (let i = 0; i < 50 && waiting === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      ({ rows: [{ waiting }] } = await admin.query<{ waiting: number }>(
        "select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and query like '%coordinator_approve_booking_order%'"));
    }
    assert.equal(waiting, 1, 'the second approval waits for the first');
    await first.query('commit');
    await first.end();
    const second = await secondDone;
    assert.equal(second.ok, false);
    assert.equal(second.code, '55000');
    assert.match(second.message!, /is no longer pending at the coordinator stage \(it is hos\/pending\)/);
    const { rows } = await admin.query('select stage, status, (select count(*)::int from public.booking_order_events e where e.booking_order_id = b.id and e.event_type = $2) as approvals from public.booking_orders b where id = $1', [id, 'coordinator_approved']);
    assert.deepEqual(rows[0], { stage: 'hos', status: 'pending', approvals: 1 });
  });

  it('approve and reject by the head of sales at the same moment: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await toHos(`Concurrency B${round}`);
      const results = await Promise.all([
        attempt('hos.backlite@mmg.demo', 'select public.hos_approve_booking_order($1)', [id]),
        attempt('hos.backlite@mmg.demo', 'select public.hos_reject_booking_order($1, $2)', [id, 'race']),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1, `round ${round}: one winner`);
      const loser = results.find((r) => !r.ok)!;
      assert.equal(loser.code, '55000');
      assert.match(loser.message!, /is no longer pending/);
      const { rows } = await admin.query(
        "select status, (select count(*)::int from public.booking_order_events e where e.booking_order_id = b.id and e.event_type in ('hos_approved', 'hos_rejected')) as decisions from public.booking_orders b where id = $1", [id]);
      assert.equal(rows[0].decisions, 1, 'one decision in the history');
      assert.ok(['approved', 'hos_rejected'].includes(rows[0].status));
    }
  });

  it('two final approvals for the same board and dates: one books it, the other is refused', async () => {
    const board = [{ name: 'szr_unipole_north', start_date: '2031-05-01', end_date: '2031-05-14', net_amount: 1000 }];
    const a = await toHos('Concurrency C1', board);
    const b = await toHos('Concurrency C2', board);
    const results = await Promise.all([
      attempt('hos.backlite@mmg.demo', 'select public.hos_approve_booking_order($1)', [a]),
      attempt('hos.backlite@mmg.demo', 'select public.hos_approve_booking_order($1)', [b]),
    ]);
    assert.equal(results.filter((r) => r.ok).length, 1, 'one approval');
    assert.equal(results.find((r) => !r.ok)!.code, '23P01', 'the other is an overbooking');
    const { rows } = await admin.query<{ n: number }>(
      "select count(*)::int as n from backlite_dubai.location_occupations where booking_order_id = any ($1) and status <> 'cancelled'", [[a, b]]);
    assert.equal(rows[0].n, 1, 'the board is booked once');
  });
});
