// Slack request signing, version 0 (https://api.slack.com/authentication/verifying-requests-from-slack):
// X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)).
// The body is read exactly once, as bytes, and verified before anything parses it; the
// timestamp must be within five minutes of now in either direction, so a captured request
// cannot be replayed later, and a captured signature cannot be reused with another body.
import { errorResponse } from '../http.ts';

export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export class SlackSignatureError extends Error {
  constructor(readonly status: 401 | 403 | 500, readonly code: string, message: string) {
    super(message);
  }
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      [
        'sign',
      ],
    );
    keys.set(secret, key);
  }
  return key;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function mac(secret: string, timestamp: string, body: Uint8Array): Promise<Uint8Array> {
  const base = concat(encoder.encode(`v0:${timestamp}:`), body);
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), base));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Compares without stopping at the first differing byte (the length of a MAC is no secret). */
export function timingSafeEqual(expected: Uint8Array, actual: Uint8Array): boolean {
  if (expected.length !== actual.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ actual[i];
  return diff === 0;
}

/** The `X-Slack-Signature` value for a body (tests, the bench, and any local stand-in of Slack). */
export async function signSlackBody(
  secret: string,
  timestamp: string | number,
  body: string | Uint8Array,
): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return `v0=${toHex(await mac(secret, String(timestamp), bytes))}`;
}

export interface VerifyInput {
  secret: string | null | undefined;
  timestamp: string | null;
  signature: string | null;
  body: Uint8Array;
  /** Seconds since the epoch; the clock by default. */
  now?: number;
}

/** Throws SlackSignatureError unless the signature and timestamp are valid for these bytes. */
export async function verifySlackSignature(input: VerifyInput): Promise<void> {
  if (!input.secret) {
    throw new SlackSignatureError(500, 'slack_not_configured', 'SLACK_SIGNING_SECRET is not set');
  }
  if (!input.timestamp || !input.signature) {
    throw new SlackSignatureError(
      401,
      'missing_signature',
      'X-Slack-Signature and X-Slack-Request-Timestamp are required',
    );
  }
  if (!/^\d{1,12}$/.test(input.timestamp)) {
    throw new SlackSignatureError(
      401,
      'invalid_timestamp',
      'X-Slack-Request-Timestamp is not a Unix time',
    );
  }
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(input.timestamp)) > SIGNATURE_MAX_AGE_SECONDS) {
    throw new SlackSignatureError(
      403,
      'stale_request',
      'the request timestamp is more than five minutes away from now',
    );
  }
  const given = input.signature.startsWith('v0=') ? fromHex(input.signature.slice(3)) : null;
  const expected = await mac(input.secret, input.timestamp, input.body);
  if (!given || !timingSafeEqual(expected, given)) {
    throw new SlackSignatureError(
      403,
      'invalid_signature',
      'the Slack signature does not match the body',
    );
  }
}

/** Reads the body once and verifies it; returns the verified raw bytes. */
export async function readVerifiedBody(
  req: Request,
  secret: string | null | undefined,
  now?: number,
): Promise<Uint8Array> {
  const body = new Uint8Array(await req.arrayBuffer());
  await verifySlackSignature({
    secret,
    timestamp: req.headers.get('x-slack-request-timestamp'),
    signature: req.headers.get('x-slack-signature'),
    body,
    now,
  });
  return body;
}

export function signatureErrorResponse(e: SlackSignatureError): Response {
  return errorResponse(e.status, e.code, e.message);
}
