import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../devstack/src/config.ts';
import { LOCATIONS, sovPercent } from '../inventory.ts';
import { photoPlan } from '../photos.ts';
import { renderSeedSql } from '../seed-sql.ts';

const users = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users;

describe('demo seed', () => {
  it('supabase/seed.sql is exactly what the generator makes from the seed data (run npm run seed:generate)', () => {
    assert.equal(readFileSync(join(repoRoot, 'supabase/seed.sql'), 'utf8'), renderSeedSql(users));
  });

  it('has at least 25 locations across the four companies, unique keys, photos for every one', () => {
    assert.ok(LOCATIONS.length >= 25);
    assert.deepEqual([...new Set(LOCATIONS.map((l) => l.company))].sort(), ['backlite_abudhabi', 'backlite_dubai', 'backlite_uk', 'viola']);
    assert.equal(new Set(LOCATIONS.map((l) => l.key)).size, LOCATIONS.length);
    const photographed = new Set(photoPlan().map((p) => p.location.key));
    for (const l of LOCATIONS) assert.ok(photographed.has(l.key), `${l.key} has a photo`);
  });

  it('stores share of voice in percent (spot ÷ loop), never as a fraction', () => {
    const gateway = LOCATIONS.find((l) => l.key === 'dubai_gateway')!;
    assert.equal(sovPercent(gateway), 16.67);
    for (const l of LOCATIONS) {
      const sov = sovPercent(l);
      if (l.type === 'static') assert.equal(sov, null);
      else assert.ok(sov !== null && sov >= 1 && sov <= 100, `${l.key}: ${sov}`);
    }
  });

  it('lists every profile the platform ships among the demo users, each with a company', () => {
    const profiles = new Set(users.map((u: { profile: string }) => u.profile));
    for (const p of ['system_admin', 'sales_manager', 'sales_user', 'coordinator', 'head_of_sales', 'finance', 'viewer']) {
      assert.ok(profiles.has(p), `a demo ${p}`);
    }
    for (const u of users) assert.ok(u.companies.length > 0, `${u.email} has a company`);
  });
});
