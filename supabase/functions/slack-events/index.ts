// Slack's Events API and interactivity endpoint (Request URL of both in the Slack app):
// signature check, deduplication, acknowledgement, then the work in the background. The work
// is in _shared/slack/events.ts; messages of linked people run the same agent core as the web
// chat with their own JWT (_shared/slack/agent_chat.ts). verify_jwt is off: Slack signs its
// requests instead. Probes: GET /slack-events/health and /ready (_shared/probes.ts).
import { createAgentCore, imageGeneratorFromEnv, settingsFromEnv } from '../_shared/agent/mod.ts';
import { projectEnv } from '../_shared/env.ts';
import { providerFromEnv } from '../_shared/llm/mod.ts';
import { llmCheck, settingCheck, withProbes } from '../_shared/probes.ts';
import { createSlackAgentChat } from '../_shared/slack/agent_chat.ts';
import { slackClientFromEnv } from '../_shared/slack/client.ts';
import { createSlackEventsHandler } from '../_shared/slack/events.ts';
import { slackStoreFromEnv } from '../_shared/slack/store.ts';
import { UserSessions } from '../_shared/slack/user_session.ts';

const { supabaseUrl, anonKey, serviceRoleKey } = projectEnv();

Deno.serve(withProbes(
  'slack-events',
  createSlackEventsHandler({
    signingSecret: Deno.env.get('SLACK_SIGNING_SECRET'),
    store: slackStoreFromEnv(),
    slack: slackClientFromEnv(),
    chat: createSlackAgentChat({
      core: createAgentCore({
        supabaseUrl,
        anonKey,
        serviceRoleKey,
        provider: providerFromEnv(),
        images: imageGeneratorFromEnv(),
        settings: settingsFromEnv(),
      }),
      sessions: new UserSessions({ supabaseUrl, anonKey, serviceRoleKey }),
      supabaseUrl,
      serviceRoleKey,
      botToken: Deno.env.get('SLACK_BOT_TOKEN')?.trim() || null,
    }),
  }),
  {
    // Slack is optional: without its secret every Slack request is refused, reported as "off".
    signing_secret: settingCheck(['SLACK_SIGNING_SECRET'], 'Slack events (every request refused)'),
    slack: settingCheck(['SLACK_BOT_TOKEN'], 'Slack replies'),
    llm: llmCheck,
  },
));
