import assert from 'node:assert/strict';
import {
  readVerifiedBody,
  signSlackBody,
  SlackSignatureError,
  timingSafeEqual,
  verifySlackSignature,
} from './signature.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const encoder = new TextEncoder();
const now = 1_700_000_000;

async function check(
  body: string,
  headers: { timestamp: string | null; signature: string | null },
  at = now,
  key: string | null = secret,
) {
  try {
    await verifySlackSignature({ secret: key, ...headers, body: encoder.encode(body), now: at });
    return 'ok';
  } catch (e) {
    if (e instanceof SlackSignatureError) return `${e.status} ${e.code}`;
    throw e;
  }
}

Deno.test("signature: Slack's documented example verifies", async () => {
  // https://api.slack.com/authentication/verifying-requests-from-slack (example values).
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  assert.equal(await check(body, { timestamp: '1531420618', signature }, 1531420618), 'ok');
});

Deno.test('signature: a valid signature of the exact bytes passes', async () => {
  const body = '{"type":"event_callback","event_id":"Ev1"}';
  assert.equal(
    await check(body, {
      timestamp: String(now),
      signature: await signSlackBody(secret, now, body),
    }),
    'ok',
  );
});

Deno.test('signature: a body signed with another secret is refused with 403', async () => {
  const body = '{"type":"event_callback"}';
  const signature = await signSlackBody('not-the-secret', now, body);
  assert.equal(await check(body, { timestamp: String(now), signature }), '403 invalid_signature');
});

Deno.test('signature: a stale timestamp is refused, in the past and in the future', async () => {
  const body = '{}';
  for (const skew of [-301, 301, -3600]) {
    const ts = now + skew;
    assert.equal(
      await check(body, {
        timestamp: String(ts),
        signature: await signSlackBody(secret, ts, body),
      }),
      '403 stale_request',
      `skew ${skew}`,
    );
  }
  for (const skew of [-300, 299]) {
    const ts = now + skew;
    assert.equal(
      await check(body, {
        timestamp: String(ts),
        signature: await signSlackBody(secret, ts, body),
      }),
      'ok',
      `skew ${skew}`,
    );
  }
});

Deno.test('signature: a replayed signature with a modified payload is refused', async () => {
  const original = '{"event":{"type":"message","text":"approve BO 1"}}';
  const signature = await signSlackBody(secret, now, original);
  const modified = '{"event":{"type":"message","text":"approve BO 2"}}';
  assert.equal(
    await check(modified, { timestamp: String(now), signature }),
    '403 invalid_signature',
  );
  // Nor may the timestamp be moved forward to dodge the window.
  assert.equal(
    await check(original, { timestamp: String(now + 1), signature }),
    '403 invalid_signature',
  );
});

Deno.test('signature: missing or malformed headers are 401, a garbled signature 403', async () => {
  assert.equal(await check('{}', { timestamp: null, signature: 'v0=00' }), '401 missing_signature');
  assert.equal(
    await check('{}', { timestamp: String(now), signature: null }),
    '401 missing_signature',
  );
  assert.equal(
    await check('{}', { timestamp: 'yesterday', signature: 'v0=00' }),
    '401 invalid_timestamp',
  );
  assert.equal(
    await check('{}', { timestamp: String(now), signature: 'v1=abcd' }),
    '403 invalid_signature',
  );
  assert.equal(
    await check('{}', { timestamp: String(now), signature: 'v0=zz' }),
    '403 invalid_signature',
  );
  assert.equal(
    await check('{}', { timestamp: String(now), signature: 'v0=' + 'ab'.repeat(40) }),
    '403 invalid_signature',
  );
});

Deno.test('signature: without a configured secret nothing is accepted', async () => {
  const body = '{}';
  assert.equal(
    await check(
      body,
      { timestamp: String(now), signature: await signSlackBody(secret, now, body) },
      now,
      null,
    ),
    '500 slack_not_configured',
  );
});

Deno.test('signature: readVerifiedBody returns the verified bytes, read once', async () => {
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
  const req = new Request('http://x/slack-events', {
    method: 'POST',
    headers: {
      'X-Slack-Request-Timestamp': String(now),
      'X-Slack-Signature': await signSlackBody(secret, now, body),
    },
    body,
  });
  const bytes = await readVerifiedBody(req, secret, now);
  assert.equal(new TextDecoder().decode(bytes), body);
  assert.equal(req.bodyUsed, true);
});

Deno.test('signature: timingSafeEqual compares whole arrays', () => {
  assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
  assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])), false);
});
