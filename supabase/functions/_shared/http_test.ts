import assert from 'node:assert/strict';
import { errorResponse, jwtClaims } from './http.ts';

Deno.test('jwtClaims reads the payload of a bearer token', () => {
  const payload = btoa(JSON.stringify({ sub: 'u1', role: 'authenticated' })).replace(/=+$/, '');
  const req = new Request('http://x', { headers: { Authorization: `Bearer h.${payload}.s` } });
  assert.deepEqual(jwtClaims(req), { sub: 'u1', role: 'authenticated' });
});

Deno.test('jwtClaims returns null for a missing or garbled token, never throws', () => {
  assert.equal(jwtClaims(new Request('http://x')), null);
  assert.equal(jwtClaims(new Request('http://x', { headers: { Authorization: 'Bearer x.%%%.y' } })), null);
});

Deno.test('errorResponse uses the platform error shape', async () => {
  const r = errorResponse(400, 'bad_input', 'nope');
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: { code: 'bad_input', message: 'nope' } });
});
