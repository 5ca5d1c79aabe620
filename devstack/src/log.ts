// Structured logs: one JSON line per event (level, time, service, request_id, user_id, message,
// then the event's fields) when LOG_FORMAT=json, a short human line otherwise (development). A log file, when
// set, always receives the JSON form. The request id and user id come from the async context
// of the request being served, so code deep in a handler needs no id passed to it.
//
// Nothing secret is ever written: the rules (shared with the renderer) are in
// supabase/functions/_shared/redact.ts; the stack registers its keys and shared secrets there at start.
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lineFields, redactText } from '../../supabase/functions/_shared/redact.ts';

export { redact, redactText, registerSecret } from '../../supabase/functions/_shared/redact.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const levelOf = (name: string | undefined, fallback: Level): number => order[name as Level] ?? order[fallback];
const consoleLevel = levelOf(process.env.LOG_LEVEL, 'info');
const fileLevel = levelOf(process.env.LOG_FILE_LEVEL, 'info');
const json = process.env.LOG_FORMAT === 'json';

export interface LogContext {
  requestId?: string;
  userId?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs fn with a request's ids attached to every log line written inside it. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

/** The context of the request being served (mutable: the user id is known only after auth). */
export function currentLogContext(): LogContext | undefined {
  return context.getStore();
}

let logFile: string | null = null;

/** Also append every event of fileLevel or above, as JSON, to this file. */
export function setLogFile(path: string | null): void {
  if (path) mkdirSync(dirname(path), { recursive: true });
  logFile = path;
}

export interface LogLine {
  level: Level;
  time: string;
  service: string;
  request_id: string | null;
  user_id: string | null;
  message: string;
  /** The event's fields (redacted), written beside the keys above. */
  fields: Record<string, unknown>;
}

type Sink = (line: LogLine) => void;
const sinks = new Set<Sink>();

/** Receives every event (already redacted); tests use it to read what would be printed. */
export function addLogSink(sink: Sink): () => void {
  sinks.add(sink);
  return () => sinks.delete(sink);
}

interface EmitOptions {
  /** Access-log lines reach the console only at debug level; files and sinks get them at info. */
  access?: boolean;
}

function emit(level: Level, service: string, message: string, fields: Record<string, unknown> = {}, opts: EmitOptions = {}): void {
  const toConsole = order[level] >= consoleLevel && (!opts.access || consoleLevel <= order.debug);
  const toFile = logFile !== null && order[level] >= fileLevel;
  if (!toConsole && !toFile && sinks.size === 0) return;
  const ctx = context.getStore();
  const line: LogLine = {
    level,
    time: new Date().toISOString(),
    service,
    request_id: ctx?.requestId ?? null,
    user_id: ctx?.userId ?? null,
    message: redactText(message),
    fields: lineFields(fields),
  };
  for (const sink of sinks) sink(line);
  const { fields: extra, ...fixed } = line;
  const text = JSON.stringify({ ...fixed, ...extra });
  if (toFile) {
    try {
      appendFileSync(logFile!, `${text}\n`);
    } catch { /* a full disk must not take the service down */ }
  }
  if (!toConsole) return;
  if (json) {
    process.stdout.write(`${text}\n`);
    return;
  }
  const shown = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
  const ids = line.request_id ? ` (${line.request_id.slice(0, 12)}${line.user_id ? ` user ${line.user_id.slice(0, 8)}` : ''})` : '';
  const human = `[${service}] ${level === 'info' ? '' : `${level.toUpperCase()} `}${line.message}${ids}${shown}\n`;
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(human);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** One line per served request. */
  access(message: string, fields?: Record<string, unknown>): void;
}

export function logger(service: string): Logger {
  return {
    debug: (m, f) => emit('debug', service, m, f),
    info: (m, f) => emit('info', service, m, f),
    warn: (m, f) => emit('warn', service, m, f),
    error: (m, f) => emit('error', service, m, f),
    access: (m, f) => emit('info', service, m, f, { access: true }),
  };
}

export const log = logger('stack');
