// Invite acceptance: an administrator invites an address with a profile and a company; the
// person (whose account exists in Auth, as single sign-on or an administrator would create it)
// opens the link, signs in, accepts, and lands in the app with the invited access. A second use
// of the same link is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { accessToken, demoUser, ensureRuntimeConfig, env, launch, navLabels, newContext, rpc, screenshot, skipReason } from './helpers.ts';

const skip = skipReason() ?? (env.serviceRoleKey ? null : 'SUPABASE_SERVICE_ROLE_KEY is not set (needed to create the invited account)');
const email = `invited.${Date.now()}@mmg.demo`;
const password = 'Invited-demo-2026';

describe('invite acceptance', { skip: skip ?? false }, () => {
  let browser: Browser;
  let token: string;
  before(async () => {
    await ensureRuntimeConfig();
    const r = await fetch(`${env.url}/auth/v1/admin/users`, {
      method: 'POST',
      headers: { apikey: env.anonKey, authorization: `Bearer ${env.serviceRoleKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, email_confirm: true, user_metadata: { name: 'Invited Person' } }),
    });
    assert.ok(r.ok, `creating the account: ${r.status} ${await r.text()}`);
    const invite = await rpc<{ token: string }>('create_invite', {
      email, profile: 'viewer', companies: ['backlite_uk'], teams: [], permission_sets: [], expires_in_days: 2,
    }, await accessToken(demoUser('admin@mmg.demo')));
    token = invite.token;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('signs in from the invitation link, accepts it and gets the invited access', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`/invite?token=${encodeURIComponent(token)}`);
    await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in to accept' }).click();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('Invitation accepted').waitFor();
    await screenshot(page, 'invite-accepted');
    await page.getByRole('button', { name: 'Open the app' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // The viewer profile opens these tools; the company is the invited one.
    assert.deepEqual(await navLabels(page), ['Proposals', 'Mockups', 'Booking orders', 'Settings']);
    assert.match(await page.locator('.shell-header').innerText(), /BACKLITE UK/i);

    await page.goto(`/invite?token=${encodeURIComponent(token)}`);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('alert').filter({ hasText: /already been used/ }).waitFor();
    await page.close();
  });
});
