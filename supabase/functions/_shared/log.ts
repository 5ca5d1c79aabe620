// Structured logs of the edge functions: one JSON line per event on stdout (Supabase collects
// it in the function's logs) — level, time, service, request_id, user_id, message, then the
// event's fields.
// The ids come from the request being served (probes.ts sets them), so code deep in _shared
// logs with the right ids without passing them around.
//
// Nothing secret is ever written: the rules are in redact.ts (shared with the renderer and the
// local stack); this module adds the values of the function's own secret environment variables.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSecretKey, lineFields, redactText, registerSecret } from './redact.ts';

export { REQUEST_ID } from './redact.ts';

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
