// One isolation run: load an organisation, ask the API what every user may read, update and
// delete, compare each (user, proposal, action) with the reference model, remove the data.
import pg from 'pg';
import type { Org } from './org.ts';
import { type LoadedOrg, loadOrg, newRunPrefix, removeOrg } from './org-loader.ts';
import { ACTIONS, type Action, ReferenceModel } from './reference-model.ts';
import { canAccess, clientFor, type Observed, observe, type StackEnv } from './rest-probe.ts';
import { Rng } from './prng.ts';

export interface Mismatch {
  user: string;
  proposal: string;
  action: Action;
  /** Which API answered: the table (select/update/delete) or the can_access() function. */
  via: 'table' | 'can_access';
  expected: boolean;
  actual: boolean;
  why: string[];
}

export interface Comparison {
  checks: number;
  mismatches: Mismatch[];
  /** Per user key: proposal keys the API let them read, update, delete. */
  observed: Map<string, Observed>;
  seconds: number;
}

/** An organisation loaded into the database under its own prefix, until remove(). */
export class IsolationRun {
  private constructor(
    readonly env: StackEnv,
    readonly org: Org,
    readonly db: pg.Client,
    readonly loaded: LoadedOrg,
    readonly loadSeconds: number,
  ) {}

  static async load(env: StackEnv, org: Org, prefix = newRunPrefix()): Promise<IsolationRun> {
    const db = new pg.Client({ connectionString: env.dbUrl });
    await db.connect();
    const t0 = performance.now();
    try {
      return new IsolationRun(env, org, db, await loadOrg(db, org, prefix), (performance.now() - t0) / 1000);
    } catch (e) {
      await removeOrg(db, prefix).finally(() => db.end());
      throw e;
    }
  }

  /**
   * Every (user, proposal, action) of the organisation as it is now, API against model; and
   * can_access() — what sharing relies on — for `canAccessPerUser` proposals of each user,
   * drawn half from what the model lets them read.
   */
  async compare(canAccessPerUser = 0): Promise<Comparison> {
    const rng = new Rng(0xacce55);
    const t0 = performance.now();
    const model = new ReferenceModel(this.org);
    const observed = new Map<string, Observed>();
    const mismatches: Mismatch[] = [];
    let checks = 0;
    const check = (user: string, proposal: string, action: Action, via: Mismatch['via'], actual: boolean, expected: boolean) => {
      checks++;
      if (actual !== expected) mismatches.push({ user, proposal, action, via, expected, actual, why: model.explain(user, proposal) });
    };
    // One user at a time: the rolled-back writes lock rows, so parallel users would only queue.
    for (const user of this.org.users) {
      const client = await clientFor(this.env, this.loaded.userIds.get(user.key)!);
      const seen = await observe(client, this.loaded);
      observed.set(user.key, seen);
      for (const p of this.org.proposals) {
        const expected = model.decide(user.key, p.key);
        for (const action of ACTIONS) check(user.key, p.key, action, 'table', seen[action].has(p.key), expected[action]);
      }
      const readable = this.org.proposals.filter((p) => model.decide(user.key, p.key).read);
      const sample = [
        ...rng.sample(readable, Math.ceil(canAccessPerUser / 2)),
        ...rng.sample(this.org.proposals.filter((p) => !readable.includes(p)), Math.floor(canAccessPerUser / 2)),
      ];
      for (const p of sample) {
        const answer = await canAccess(client, this.loaded.proposalIds.get(p.key)!);
        const expected = model.decide(user.key, p.key);
        for (const action of ACTIONS) check(user.key, p.key, action, 'can_access', answer[action], expected[action]);
      }
    }
    return { checks, mismatches, observed, seconds: (performance.now() - t0) / 1000 };
  }

  async remove(): Promise<void> {
    await removeOrg(this.db, this.loaded.prefix).finally(() => this.db.end());
  }
}

/** Load, compare once, remove. */
export async function checkIsolation(env: StackEnv, org: Org, canAccessPerUser = 0): Promise<Comparison> {
  const run = await IsolationRun.load(env, org);
  try {
    return await run.compare(canAccessPerUser);
  } finally {
    await run.remove();
  }
}

export function formatMismatches(mismatches: Mismatch[], limit = 5): string[] {
  return mismatches.slice(0, limit).flatMap((m) => [
    `${m.user} ${m.action} ${m.proposal} (${m.via}): model says ${m.expected ? 'allowed' : 'denied'}, API ${m.actual ? 'allowed' : 'denied'}`,
    ...m.why.map((w) => `    ${w}`),
  ]);
}
