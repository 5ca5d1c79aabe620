// Receiver of the notifications webhook: DMs each notification to its recipient in Slack, with
// Approve / Reject / Cancel when they are the next actor. The work is in _shared/slack/notify.ts.
// verify_jwt is off: the database authenticates with the notifications webhook secret.
// Probes: GET /slack-notify/health and /slack-notify/ready (_shared/probes.ts).
import { CheckOff, settingCheck, withProbes } from '../_shared/probes.ts';
import { slackClientFromEnv } from '../_shared/slack/client.ts';
import { createSlackNotifyHandler } from '../_shared/slack/notify.ts';
import { slackStoreFromEnv } from '../_shared/slack/store.ts';

const store = slackStoreFromEnv();
const webhookSecret = Deno.env.get('NOTIFICATIONS_WEBHOOK_SECRET') || null;

Deno.serve(withProbes('slack-notify', createSlackNotifyHandler({
  store,
  slack: slackClientFromEnv(),
  webhookSecret,
}), {
  slack: settingCheck(['SLACK_BOT_TOKEN'], 'Slack delivery'),
  // Only a database with notifications_webhook_url posts here, and this function cannot see
  // that setting: a missing secret is reported, not counted as a failure.
  webhook_secret: async () => {
    if (webhookSecret || await store.webhookSecret()) return;
    throw new CheckOff('no webhook secret, so notifications are refused: set notifications_webhook_secret in private.app_settings or NOTIFICATIONS_WEBHOOK_SECRET');
  },
}));
