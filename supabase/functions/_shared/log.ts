// Structured logs of the edge functions: one JSON line per event on stdout (Supabase collects
// it in the function's logs) — level, time, service, request_id, user_id, message, then the
// event's fields.
// The ids come from the request being served (probes.ts sets them), so code deep in _shared
// logs with the right ids without passing them around.
//
// Nothing secret is ever written. These are the same rules as renderer/src/redact.ts (the
// functions deploy without that tree): secret-named fields are replaced; JWTs, bearer
// credentials, Slack tokens and the values of this function's secret environment variables are
// masked in every string.
import { AsyncLocalStorage } from 'node:async_hooks';

const REDACTED = '[redacted]';
const MAX_DEPTH = 6;
const SECRET_WORD =
  /(^|_)(pass|passwd|password|secret|token|authorization|apikey|api_key|cookie|set_cookie|signature|private_key|role_key|jwt|credentials?)$/;

export function isSecretKey(key: string): boolean {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
  return SECRET_WORD.test(snake);
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[redacted jwt]'],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  [/\bxox[abposr]-[\w-]+/g, '[redacted slack token]'],
];

const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

/** Every secret-named variable of this function's environment (keys, signing secrets, tokens). */
function registerEnvironmentSecrets(): void {
  let env: Record<string, string> = {};
  try {
    env = Deno.env.toObject();
  } catch { /* no env permission: only the patterns apply */ }
  for (const [name, value] of Object.entries(env)) {
    if (isSecretKey(name) || /_KEY$/.test(name)) registerSecret(value);
  }
}
registerEnvironmentSecrets();

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
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

const LINE_KEYS = new Set(['level', 'time', 'service', 'request_id', 'user_id', 'message']);

/** Redacted fields for beside the fixed keys; one named like a fixed key becomes field_<name>. */
function lineFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(redact(fields))) out[LINE_KEYS.has(k) ? `field_${k}` : k] = v;
  return out;
}

/** Request ids accepted from callers: short, and only characters safe in logs and headers. */
export const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export interface LogContext {
  requestId?: string;
  userId?: string;
}

const context = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

/** The id of the request being served, to pass on (x-request-id) to calls it makes. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function emit(level: Level, service: string, message: string, fields: Record<string, unknown>): void {
  const ctx = context.getStore();
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    service,
    request_id: ctx?.requestId ?? null,
    user_id: ctx?.userId ?? null,
    message: redactText(message),
    ...lineFields(fields),
  });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export function logger(service: string): Logger {
  return {
    info: (m, f = {}) => emit('info', service, m, f),
    warn: (m, f = {}) => emit('warn', service, m, f),
    error: (m, f = {}) => emit('error', service, m, f),
  };
}
