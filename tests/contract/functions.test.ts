// Functions contract: invoke through supabase-js; verify_jwt decides who gets in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { anon, anonKey, newUser, removeUser, type TestUser, url } from './env.ts';

describe('functions', () => {
  let user: TestUser;
  before(async () => {
    user = await newUser('fn');
  });
  after(async () => {
    await removeUser(user);
  });

  it('invokes a function with the user\'s JWT; the function sees the caller', async () => {
    const { data, error } = await user.client.functions.invoke('health', { method: 'GET' });
    assert.equal(error, null);
    assert.equal(data.status, 'ok');
    assert.equal(data.caller.user_id, user.id);
    assert.equal(data.caller.role, 'authenticated');
  });

  it('accepts the anon key as a valid JWT (verify_jwt checks the signature, not the role)', async () => {
    const { data, error } = await anon().functions.invoke('health', { method: 'GET' });
    assert.equal(error, null);
    assert.equal(data.caller.role, 'anon');
  });

  it('refuses a call without a JWT or with a forged one (401)', async () => {
    const none = await fetch(`${url}/functions/v1/health`);
    assert.equal(none.status, 401);
    const forged = await fetch(`${url}/functions/v1/health`, { headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl', apikey: anonKey } });
    assert.equal(forged.status, 401);
  });

  it('answers 404 for a function that does not exist', async () => {
    const { error } = await user.client.functions.invoke('no-such-function');
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal(error.context.status, 404);
  });
});
