// The built SPA must never carry a privileged key: every file of web/dist is scanned for the
// running stack's service-role key (and its signature part, which is what makes it secret),
// for the word service_role, for the JWT secret, and for any embedded JWT that is not an anon
// key. (The app reads its anon key from /config.json at run time; only that key is public.)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { env, repoRoot } from './helpers.ts';

const dist = join(repoRoot, 'web/dist');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('built bundle', { skip: existsSync(join(dist, 'index.html')) ? false : 'web/dist is not built (npm run build:web)' }, () => {
  const all = existsSync(dist) ? files(dist) : [];

  it('contains no service_role marker', () => {
    for (const f of all) assert.doesNotMatch(readFileSync(f, 'latin1'), /service_role/, `${f} mentions service_role`);
  });

  it('contains no service-role key or JWT secret of the stack under test', { skip: env.serviceRoleKey ? false : 'SUPABASE_SERVICE_ROLE_KEY is not set' }, () => {
    const signature = env.serviceRoleKey.split('.')[2];
    const secretsFile = join(repoRoot, '.stack/test/secrets.json');
    const jwtSecret = existsSync(secretsFile) ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as { jwtSecret?: string }).jwtSecret : undefined;
    for (const f of all) {
      const text = readFileSync(f, 'latin1');
      assert.ok(!text.includes(env.serviceRoleKey), `${f} contains the service-role key`);
      assert.ok(!signature || !text.includes(signature), `${f} contains the service-role key's signature`);
      if (jwtSecret) assert.ok(!text.includes(jwtSecret), `${f} contains the JWT secret`);
    }
  });

  it('embeds no JWT with a role other than anon (a VITE_SUPABASE_ANON_KEY build may embed the anon key)', () => {
    const jwt = /eyJ[\w-]{10,}\.(eyJ[\w-]{10,})\.[\w-]{10,}/g;
    for (const f of all) {
      for (const m of readFileSync(f, 'latin1').matchAll(jwt)) {
        const payload = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as { role?: string };
        assert.equal(payload.role, 'anon', `${f} embeds a ${payload.role} JWT`);
      }
    }
  });
});
