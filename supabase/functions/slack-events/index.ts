// Slack's Events API and interactivity endpoint (Request URL of both in the Slack app):
// signature check, deduplication, acknowledgement, then the work in the background. The work
// is in _shared/slack/events.ts. verify_jwt is off: Slack signs its requests instead.
import { chatNotAvailable } from '../_shared/slack/chat.ts';
import { slackClientFromEnv } from '../_shared/slack/client.ts';
import { createSlackEventsHandler } from '../_shared/slack/events.ts';
import { slackStoreFromEnv } from '../_shared/slack/store.ts';

Deno.serve(createSlackEventsHandler({
  signingSecret: Deno.env.get('SLACK_SIGNING_SECRET'),
  store: slackStoreFromEnv(),
  slack: slackClientFromEnv(),
  chat: chatNotAvailable,
}));
