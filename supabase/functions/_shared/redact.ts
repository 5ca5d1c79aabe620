// What may never reach a log line — one set of rules for every service: the edge functions
// (log.ts beside this file), the renderer and the local stack import it. Pure TypeScript with no
// imports and no runtime APIs, so Deno and Node load the same file and the renderer image copies
// just this file.
//
// Fields named like secrets are replaced whole; in every string JWTs, bearer/basic credentials,
// Slack tokens and the values registered with registerSecret() are masked — including inside
// error messages and stacks.
export const REDACTED = '[redacted]';
const MAX_DEPTH = 6;

/** A field is secret when its last word is one of these (snake, kebab or camel case). */
const SECRET_WORD = /(^|_)(pass|passwd|password|secret|token|authorization|apikey|api_key|cookie|set_cookie|signature|private_key|role_key|jwt|credentials?)$/;

export function isSecretKey(key: string): boolean {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
  return SECRET_WORD.test(snake);
}

const SECRET_PATTERNS: [RegExp, string][] = [
  // JWTs: Supabase access tokens, the anon and service-role keys.
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[redacted jwt]'],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  // Slack bot, user and app tokens.
  [/\bxox[abposr]-[\w-]+/g, '[redacted slack token]'],
];

const knownSecrets = new Set<string>();

/** Masks this exact value wherever it appears in later log lines (keys, shared secrets). */
export function registerSecret(value: string | undefined | null): void {
  // Short values would mask ordinary words; real secrets are long.
  if (value && value.length >= 8) knownSecrets.add(value);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return redactText(value.stack ?? value.message);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1);
  return out;
}

/** A copy of the fields that is safe to print. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

/** Request ids we accept from callers: short, and only characters safe in logs and headers. */
export const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function validRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

const LINE_KEYS = new Set(['level', 'time', 'service', 'request_id', 'user_id', 'message']);

/**
 * The event's own fields beside the fixed keys of a log line, redacted; a field that would
 * overwrite a fixed key keeps its value under `field_<name>`.
 */
export function lineFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(redact(fields))) out[LINE_KEYS.has(k) ? `field_${k}` : k] = v;
  return out;
}
