import assert from 'node:assert/strict';
import { databaseUnavailableResponse, isDatabaseUnavailable } from './database_unavailable.ts';

Deno.test('the database going away is recognised in every form it reaches a function', () => {
  const unavailable: Array<[unknown, number?]> = [
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '53300', message: 'sorry, too many clients already' }],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [new Error('Connection terminated unexpectedly')],
    // supabase-js: PostgREST's answer while the database is away, and an API not reached at all.
    [{
      code: 'PGRST000',
      message: 'Could not connect with the database',
      details: null,
      hint: null,
    }],
    [{ code: '57P01', message: 'terminating connection' }, 503],
    [{ code: '', message: 'TypeError: fetch failed' }, 0],
  ];
  for (const [e, status] of unavailable) {
    assert.ok(isDatabaseUnavailable(e, status), JSON.stringify(e));
  }
});

Deno.test('a wrong request or a refusal is not an outage', () => {
  const answered: Array<[unknown, number?]> = [
    [{ code: '42501', message: 'permission denied for table conversations' }, 403],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }, 409],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 500],
    [{ code: 'PGRSTX00', message: 'Internal error of the local REST API' }, 500],
    [new SyntaxError('Unexpected token')],
    [null],
    ['Connection terminated'],
  ];
  for (const [e, status] of answered) {
    assert.ok(!isDatabaseUnavailable(e, status), JSON.stringify(e));
  }
});

Deno.test('the answer is a 503 in the platform error shape, with Retry-After', async () => {
  const res = databaseUnavailableResponse();
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '1');
  const body = await res.json();
  assert.equal(body.error.code, 'database_unavailable');
  assert.match(body.error.message, /try again/);
});
