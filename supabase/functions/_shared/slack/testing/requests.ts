// Requests as Slack sends them — signed with the v0 scheme — for tests and the bench.
import { signSlackBody } from '../signature.ts';

export interface SignedOptions {
  /** Unix seconds; now by default. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num (and a retry reason), as Slack does on redelivery. */
  retryNum?: number;
  /** Sign with this secret instead (a wrong secret). */
  signWith?: string;
}

async function signed(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SignedOptions,
): Promise<Request> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': await signSlackBody(options.signWith ?? secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(options.retryNum);
    headers['X-Slack-Retry-Reason'] = 'http_timeout';
  }
  return new Request(url, { method: 'POST', headers, body });
}

/** An Events API delivery (JSON). */
export function signedEvent(
  url: string,
  secret: string,
  envelope: unknown,
  options: SignedOptions = {},
): Promise<Request> {
  return signed(url, secret, JSON.stringify(envelope), 'application/json', options);
}

/** An interactivity delivery (form-encoded `payload=<json>`). */
export function signedInteraction(
  url: string,
  secret: string,
  payload: unknown,
  options: SignedOptions = {},
): Promise<Request> {
  return signed(
    url,
    secret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
    options,
  );
}

let counter = 0;

/** An event_callback envelope around `event`, with a fresh event_id unless given. */
export function eventEnvelope(
  event: Record<string, unknown>,
  eventId = `Ev${Date.now()}${++counter}`,
): Record<string, unknown> {
  return {
    token: 'unused',
    team_id: 'TFAKE00001',
    api_app_id: 'AFAKE00001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'TFAKE00001', user_id: 'UBOT000001', is_bot: true }],
    event,
  };
}

/** A DM from `user`. */
export function directMessage(
  user: string,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`;
  return {
    type: 'message',
    channel: `D${user.slice(1)}`,
    channel_type: 'im',
    user,
    text,
    ts,
    event_ts: ts,
    ...extra,
  };
}

/** A click on a booking-order button. */
export function buttonClick(
  user: string,
  actionId: string,
  bookingOrderId: string,
  responseUrl: string,
  message?: unknown,
): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`;
  return {
    type: 'block_actions',
    user: { id: user },
    trigger_id: `trigger-${crypto.randomUUID()}`,
    response_url: responseUrl,
    container: { type: 'message', channel_id: `D${user.slice(1)}`, message_ts: ts },
    channel: { id: `D${user.slice(1)}` },
    message: message ??
      {
        ts,
        blocks: [{
          type: 'section',
          text: { type: 'mrkdwn', text: '*Booking order to review*\nClient: Emaar' },
        }],
      },
    actions: [{ type: 'button', action_id: actionId, value: bookingOrderId, action_ts: ts }],
  };
}

/** Submitting a reason modal opened by views.open with `view`. */
export function modalSubmission(
  user: string,
  view: Record<string, any>,
  reason: string,
): Record<string, unknown> {
  const block = (view.blocks as Array<Record<string, any>>).find((b) => b.type === 'input')!;
  return {
    type: 'view_submission',
    user: { id: user },
    trigger_id: `trigger-${crypto.randomUUID()}`,
    view: {
      id: 'V000000001',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: {
        values: {
          [block.block_id]: {
            [block.element.action_id]: { type: 'plain_text_input', value: reason },
          },
        },
      },
    },
  };
}
