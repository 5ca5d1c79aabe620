// The bot token travels only to Slack's file host (or the configured Slack stand-in).
import assert from 'node:assert/strict';
import { downloadSlackFile, SlackFileError, slackFileOrigins } from './files.ts';

async function withServer(run: (origin: string, seen: string[]) => Promise<void>) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, (req) => {
    seen.push(req.headers.get('authorization') ?? '');
    return new Response('hello');
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

Deno.test('slack files: a link to another host is refused and the token is never sent there', async () => {
  await withServer(async (origin, seen) => {
    await assert.rejects(
      downloadSlackFile(
        { id: 'F1', name: 'order.pdf', url_private_download: `${origin}/steal` },
        { botToken: 'xoxb-secret', allowedOrigins: ['https://files.slack.com'] },
      ),
      (e: unknown) => e instanceof SlackFileError && /does not point to Slack/.test(e.message),
    );
    assert.deepEqual(seen, [], 'no request reached the other host');
  });
});

Deno.test('slack files: a link on an allowed origin is downloaded with the bot token', async () => {
  await withServer(async (origin, seen) => {
    const file = await downloadSlackFile(
      { id: 'F2', name: 'order.txt', url_private_download: `${origin}/files/F2` },
      { botToken: 'xoxb-secret', allowedOrigins: [origin] },
    );
    assert.equal(new TextDecoder().decode(file.bytes), 'hello');
    assert.deepEqual(seen, ['Bearer xoxb-secret']);
  });
});

Deno.test('slack files: allowed origins are Slack and the configured API stand-in', () => {
  const env = (vars: Record<string, string>) => ({ get: (n: string) => vars[n] });
  assert.deepEqual(slackFileOrigins(env({})), ['https://files.slack.com']);
  assert.deepEqual(slackFileOrigins(env({ SLACK_API_URL: 'http://127.0.0.1:31391/api/' })), [
    'https://files.slack.com',
    'http://127.0.0.1:31391',
  ]);
  assert.deepEqual(slackFileOrigins(env({ SLACK_API_URL: 'not a url' })), ['https://files.slack.com']);
});
