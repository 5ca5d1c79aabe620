// Pure units of the local stack: size parsing, dotenv reading, the sign-in rate limiter.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RateLimiter } from '../src/auth/rate-limit.ts';
import { parseSize } from '../src/config.ts';
import { readEnvFile } from '../src/functions/env-file.ts';
import { redact } from '../src/log.ts';

describe('parseSize', () => {
  it('reads config.toml sizes in binary and decimal units', () => {
    assert.equal(parseSize('50MiB'), 50 * 1024 * 1024);
    assert.equal(parseSize('1GB'), 1e9);
    assert.equal(parseSize(1024), 1024);
    assert.equal(parseSize(undefined), null);
  });
  it('refuses a size it cannot read instead of guessing', () => {
    assert.throws(() => parseSize('lots'), /cannot read size/);
  });
});

describe('readEnvFile', () => {
  it('reads KEY=value lines, quoted values and export prefixes; ignores comments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    const f = join(dir, '.env');
    writeFileSync(f, '# comment\nexport OPENAI_API_KEY="sk-test"\nPLAIN=value\nSINGLE=\'a b\'\nnot a line\n');
    assert.deepEqual(readEnvFile(f), { OPENAI_API_KEY: 'sk-test', PLAIN: 'value', SINGLE: 'a b' });
    assert.deepEqual(readEnvFile(join(dir, 'missing')), {});
  });
});

describe('RateLimiter', () => {
  it('allows the budget per minute per key, then refuses until the window passes', () => {
    let now = 0;
    const rl = new RateLimiter(3, () => now);
    assert.deepEqual([rl.take('a'), rl.take('a'), rl.take('a'), rl.take('a')], [true, true, true, false]);
    assert.equal(rl.take('b'), true, 'other keys have their own budget');
    now = 60_000;
    assert.equal(rl.take('a'), true);
  });
});

describe('log redaction', () => {
  it('never prints values of secret-looking fields', () => {
    const out = redact({ password: 'hunter2', access_token: 'eyJ', authorization: 'Bearer x', user: 'u1' });
    assert.deepEqual(out, { password: '[redacted]', access_token: '[redacted]', authorization: '[redacted]', user: 'u1' });
  });
});
