// Structured logs: one JSON line per event in production-like runs (LOG_FORMAT=json), a short
// human line in development. Fields named like secrets are never printed.
const SECRET_KEY = /pass(word)?|secret|token|authorization|apikey|api_key|cookie/i;

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const minLevel = order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? 20;
const json = process.env.LOG_FORMAT === 'json';

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}

function emit(level: Level, service: string, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < minLevel) return;
  const safe = redact(fields);
  if (json) {
    process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service, message, ...safe })}\n`);
  } else {
    const extra = Object.keys(safe).length ? ` ${JSON.stringify(safe)}` : '';
    const line = `[${service}] ${level === 'info' ? '' : `${level.toUpperCase()} `}${message}${extra}\n`;
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
  }
}

export function logger(service: string) {
  return {
    debug: (m: string, f?: Record<string, unknown>) => emit('debug', service, m, f),
    info: (m: string, f?: Record<string, unknown>) => emit('info', service, m, f),
    warn: (m: string, f?: Record<string, unknown>) => emit('warn', service, m, f),
    error: (m: string, f?: Record<string, unknown>) => emit('error', service, m, f),
  };
}

export const log = logger('stack');
