// Chat against the real chat edge function: a message with an attachment (uploaded first, with
// progress) starts a conversation over SSE; the answer streams in — or, on a stack without a
// language model key, the clear "no LLM configured" error arrives through the same protocol.
// The conversation is listed, renamed and deleted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlm } from './fake-llm.ts';
import { demoUser, ensureRuntimeConfig, launch, newContext, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();

describe('chat', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  // Under `npm test` the stack's chat function talks to a scripted model on FAKE_LLM_PORT.
  const fakePort = Number(process.env.FAKE_LLM_PORT ?? 0);
  const scripted = 'Cromwell Road Screen and Westway Gantry suit a GBP 50,000 brief.';
  let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;
  before(async () => {
    if (fakePort) fake = await startFakeLlm(fakePort, scripted);
    await ensureRuntimeConfig();
    browser = await launch();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, demoUser('uk.rep@mmg.demo'));
  });
  after(async () => {
    await browser?.close();
    await fake?.close();
  });

  it('sends a message with an attachment and shows the streamed answer or a clear error', async () => {
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    await page.getByLabel('Attach files').setInputFiles({ name: 'brief.txt', mimeType: 'text/plain', buffer: Buffer.from('Client: Acme Corp\nBudget: GBP 50,000\n') });
    const attachments = page.getByRole('list', { name: 'Attachments' });
    await attachments.getByRole('listitem').filter({ hasText: 'brief.txt' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-label="Attachments"] [role="progressbar"]'));
    await page.getByLabel('Message', { exact: true }).fill('Which of my locations suit this brief?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const answer = page.getByTestId('chat-error').or(page.getByRole('article', { name: 'Assistant' })).first();
    await answer.waitFor({ timeout: 120_000 });
    if (fake) {
      const reply = page.getByRole('article', { name: 'Assistant' }).filter({ hasText: scripted }).first();
      await reply.waitFor({ timeout: 90_000 }).catch(async (e) => {
        // Say what the person saw instead of the answer, so a failure explains itself.
        const shown = await page.getByTestId('chat-error').allInnerTexts();
        throw new Error(`no scripted answer after 90 s; error shown: ${JSON.stringify(shown)}; model requests: ${fake!.requests}`, { cause: e });
      });
      assert.ok(fake.requests >= 1, 'the answer came from the model through the chat function');
    } else if (await page.getByTestId('chat-error').count()) {
      assert.match(await page.getByTestId('chat-error').innerText(), /no LLM configured|OPENAI_API_KEY|GOOGLE_API_KEY/i);
    }
    await page.getByRole('article', { name: 'You' }).filter({ hasText: 'Which of my locations suit this brief?' }).first().waitFor();
    await screenshot(page, 'chat');
  });

  it('lists, renames and deletes the conversation', async () => {
    const list = page.getByTestId('conversation-list');
    const item = list.getByRole('link', { name: /Which of my locations suit this brief\?/ });
    await item.waitFor();
    await list.getByRole('button', { name: /^Rename Which of my locations/ }).click();
    await page.getByLabel('Conversation title').fill('Acme brief');
    await page.getByRole('button', { name: 'Save' }).click();
    await list.getByRole('link', { name: /Acme brief/ }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await list.getByRole('button', { name: 'Delete Acme brief' }).click();
    await list.getByRole('link', { name: /Acme brief/ }).waitFor({ state: 'detached' });
    await page.waitForURL(/\/chat$/);
    assert.deepEqual(errors, []);
  });
});
