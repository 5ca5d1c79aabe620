// The Slack Web API client: @slack/web-api's WebClient with the bot token (SLACK_BOT_TOKEN)
// and a configurable base URL (SLACK_API_URL, default https://slack.com/api/) so tests and the
// bench talk to a local stand-in (testing/fake_slack.ts) instead of Slack. Retries are short:
// work runs in the background of an acknowledged request, not for half an hour.
import { LogLevel, WebClient } from '@slack/web-api';

export { WebClient };

export interface SlackEnv {
  get(name: string): string | undefined;
}

export function slackApiUrl(env: SlackEnv = Deno.env): string {
  const url = env.get('SLACK_API_URL')?.trim() || 'https://slack.com/api/';
  return url.endsWith('/') ? url : `${url}/`;
}

/** A WebClient for the bot, or null when SLACK_BOT_TOKEN is not set. */
export function slackClientFromEnv(env: SlackEnv = Deno.env): WebClient | null {
  const token = env.get('SLACK_BOT_TOKEN')?.trim();
  if (!token) return null;
  return createSlackClient(token, slackApiUrl(env));
}

export function createSlackClient(token: string, apiUrl: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    logLevel: LogLevel.ERROR,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
  });
}

/**
 * Posts to an interaction's response_url: an ephemeral reply to the person who clicked, or a
 * replacement of the message that carried the button. Only URLs from signed payloads get here.
 */
export async function respond(
  responseUrl: string,
  message: Record<string, unknown>,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const res = await fetchImpl(responseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
