// Writes the demo-user part of supabase/seed.sql from seed/users.json, so one file holds the
// demo accounts and `supabase db reset` on hosted tooling creates the same users as npm start.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../devstack/src/config.ts';
import { renderSeedSql } from './seed-sql.ts';

const users = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users;
writeFileSync(join(repoRoot, 'supabase/seed.sql'), renderSeedSql(users));
process.stdout.write(`supabase/seed.sql written (${users.length} demo users)\n`);
