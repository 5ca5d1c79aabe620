// Receiver of the notifications webhook: DMs each notification to its recipient in Slack, with
// Approve / Reject / Cancel when they are the next actor. The work is in _shared/slack/notify.ts.
// verify_jwt is off: the database authenticates with the notifications webhook secret.
import { slackClientFromEnv } from '../_shared/slack/client.ts';
import { createSlackNotifyHandler } from '../_shared/slack/notify.ts';
import { slackStoreFromEnv } from '../_shared/slack/store.ts';

Deno.serve(createSlackNotifyHandler({
  store: slackStoreFromEnv(),
  slack: slackClientFromEnv(),
  webhookSecret: Deno.env.get('NOTIFICATIONS_WEBHOOK_SECRET') || null,
}));
