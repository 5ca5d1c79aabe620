// The committed web/src/lib/database.types.ts must be what `npm run typegen` writes for the
// current migrations: regenerated here against the freshly migrated test database and compared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateTypes, typesFile } from '../src/typegen.ts';

const dbUrl = process.env.SUPABASE_DB_URL;

describe('generated database types', () => {
  it('web/src/lib/database.types.ts is up to date with the migrations', { skip: dbUrl ? false : 'SUPABASE_DB_URL is not set (run under npm test or against a running stack)' }, async () => {
    const fresh = await generateTypes(dbUrl!);
    const committed = readFileSync(typesFile, 'utf8');
    if (fresh !== committed) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      assert.fail(`database.types.ts is stale (first difference at line ${line + 1}: ` +
        `${JSON.stringify(a[line])} vs generated ${JSON.stringify(b[line])}); run npm run typegen`);
    }
  });

  it('describes tables, views, functions and enums in the Supabase CLI format', { skip: dbUrl ? false : 'SUPABASE_DB_URL is not set' }, async () => {
    const text = await generateTypes(dbUrl!);
    assert.match(text, /export type Database = \{\n {2}public: \{\n {4}Tables: \{/);
    assert.match(text, /\n {6}proposals: \{\n {8}Row: \{[^}]*\n {10}client_name: string\n/);
    assert.match(text, /\n {10}status: Database\["public"\]\["Enums"\]\["proposal_status"\]\n/);
    assert.match(text, /\n {6}all_locations: \{\n {8}Row: \{/);
    assert.match(text, /\n {6}quote_proposal: \{\n {8}Args: \{ request: Json \}\n {8}Returns: Json\n/);
    assert.match(text, /\n {6}my_context: \{\n {8}Args: never\n/);
    assert.match(text, /\n {6}proposal_status: "draft" \| "generating" \| "ready" \| "failed"\n/);
    // Insert makes defaulted and nullable columns optional; required ones stay required.
    const insert = /\n {6}proposals: \{[\s\S]*?Insert: \{([\s\S]*?)\n {8}\}/.exec(text)?.[1] ?? '';
    assert.match(insert, /\n {10}client_name: string\n/);
    assert.match(insert, /\n {10}id\?: string\n/);
  });
});
