// The Costs screen adds up exactly the AI cost rows the viewer may read: seeded rows over the
// last days (written with the service role, as the edge functions do), totals compared with a
// direct sum over the API, charts by day / model / workflow / user, and a sales manager seeing
// the costs of the teams he leads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { accessToken, demoUser, ensureRuntimeConfig, env, launch, newContext, rpc, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason() ?? (env.serviceRoleKey ? null : 'SUPABASE_SERVICE_ROLE_KEY is not set (needed to seed AI cost rows)');

async function rest<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(`${env.url}/rest/v1/${path}`, {
    ...init,
    headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const usd = (v: number) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: v >= 10 ? 2 : 4 })}`;

describe('AI costs', { skip: skip ?? false }, () => {
  let browser: Browser;
  before(async () => {
    await ensureRuntimeConfig();
    const users = await rest<{ id: string; email: string }[]>('users?select=id,email', env.serviceRoleKey);
    const id = (email: string) => users.find((u) => u.email === email)!.id;
    const models = ['gpt-5.1', 'gemini-2.5-flash', 'gpt-image-1'];
    const workflows = ['general_chat', 'proposal_generation', 'mockup_ai'];
    const rows = [];
    for (let i = 0; i < 24; i++) {
      const owner = i % 3 === 0 ? 'uk.rep@mmg.demo' : i % 2 ? 'dubai.rep1@mmg.demo' : 'dubai.lead@mmg.demo';
      rows.push({
        owner_id: id(owner),
        company: owner.startsWith('uk') ? 'backlite_uk' : 'backlite_dubai',
        occurred_at: `${day(-(i % 8))}T${String(8 + (i % 9)).padStart(2, '0')}:15:00Z`,
        model: models[i % 3],
        provider: models[i % 3].startsWith('gemini') ? 'google' : 'openai',
        call_type: models[i % 3] === 'gpt-image-1' ? 'image_generation' : 'main_llm',
        workflow: workflows[i % 3],
        input_tokens: 2000 + i * 100,
        cached_input_tokens: 500,
        output_tokens: 300 + i * 10,
        total_tokens: 2300 + i * 110,
        total_cost: Number((0.0123 * (i + 1)).toFixed(6)),
        context: 'web e2e',
      });
    }
    await rest('ai_costs', env.serviceRoleKey, { method: 'POST', body: JSON.stringify(rows), headers: { prefer: 'return=minimal' } });
    // One row through the platform's own writer, priced by the database.
    await rpc('record_ai_cost', {
      user_id: id('dubai.rep1@mmg.demo'), model: 'gpt-5.1', provider: 'openai', input_tokens: 12000, cached_input_tokens: 4000,
      output_tokens: 800, call_type: 'main_llm', workflow: 'proposal_generation', company: 'backlite_dubai', context: 'web e2e',
    }, env.serviceRoleKey);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function expectedTotal(email: string): Promise<{ cost: number; calls: number }> {
    const token = await accessToken(demoUser(email));
    const rows = await rest<{ total_cost: number }[]>(
      `ai_costs?select=total_cost&occurred_at=gte.${day(-29)}T00:00:00Z&occurred_at=lt.${day(1)}T00:00:00Z&limit=1000`, token);
    return { cost: rows.reduce((s, r) => s + Number(r.total_cost), 0), calls: rows.length };
  }

  it('shows the administrator totals equal to the sum of the rows, with charts', async () => {
    const page = await (await newContext(browser)).newPage();
    const errors = watchErrors(page);
    await signIn(page, demoUser('admin@mmg.demo'));
    await page.goto('/costs');
    const want = await expectedTotal('admin@mmg.demo');
    await page.getByTestId('cost-total').waitFor();
    await page.waitForFunction((n) => document.querySelector('[data-testid="cost-calls"]')?.textContent === n, want.calls.toLocaleString('en-US'));
    assert.equal(await page.getByTestId('cost-total').textContent(), usd(want.cost));
    await page.getByRole('img', { name: /Cost per day/ }).waitFor();
    const byModel = await page.getByRole('list', { name: 'Cost by model' }).innerText();
    for (const m of ['gpt-5.1', 'gemini-2.5-flash', 'gpt-image-1']) assert.match(byModel, new RegExp(m.replace(/\./g, '\\.')));
    assert.match(await page.getByRole('list', { name: 'Cost by workflow' }).innerText(), /Proposal Generation/);
    await screenshot(page, 'costs-admin');

    // A workflow filter narrows the totals.
    await page.getByLabel('Workflow', { exact: true }).selectOption('mockup_ai');
    await page.waitForFunction(() => !/Proposal Generation/.test(document.querySelector('[aria-label="Cost by workflow"]')?.textContent ?? ''));
    assert.doesNotMatch(await page.getByRole('list', { name: 'Cost by workflow' }).innerText(), /General Chat/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a sales manager only the costs of the teams he leads', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, demoUser('sales.manager@mmg.demo'));
    await page.goto('/costs');
    const want = await expectedTotal('sales.manager@mmg.demo');
    assert.ok(want.calls > 0, 'the manager leads teams with recorded costs');
    await page.waitForFunction((n) => document.querySelector('[data-testid="cost-calls"]')?.textContent === n, want.calls.toLocaleString('en-US'));
    assert.equal(await page.getByTestId('cost-total').textContent(), usd(want.cost));
    // Names arrive in a second query after the figures: wait for them before reading the list.
    const userList = page.getByRole('list', { name: 'Cost by user' });
    await userList.getByText('Karim Saleh').waitFor();
    const byUser = await userList.innerText();
    assert.doesNotMatch(byUser, /Emily Carter/, 'UK sales is not among the teams he leads');
    await screenshot(page, 'costs-sales-manager');
    await page.close();
  });
});
