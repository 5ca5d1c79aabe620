// The renderer's log: one JSON line per event on stdout — level, time, service, request_id,
// user_id, message (the event name, e.g. job.claimed), then the event's fields — or a short human line with
// LOG_FORMAT=human. The request id is that of the dispatch being worked on (X-Request-Id, which
// the database sets to the id of the API request that queued the job), taken from the async
// context, so the job code needs no id passed around. Secrets are masked (supabase/functions/_shared/redact.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { lineFields, redactText } from '../../supabase/functions/_shared/redact.ts';

export type Logger = (event: string, fields?: Record<string, unknown>) => void;

export interface JobLogContext {
  requestId?: string;
  userId?: string;
}

const context = new AsyncLocalStorage<JobLogContext>();

export function withLogContext<T>(ctx: JobLogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

export function currentLogContext(): JobLogContext | undefined {
  return context.getStore();
}

/** Failures of the renderer itself are errors; a job that failed is a warning (its error is on the job). */
function levelOf(event: string): 'info' | 'warn' | 'error' {
  if (/(^|\.)(error|cleanup_failed|fail_report_failed)$/.test(event)) return 'error';
  if (/(failed|abandoned|stopping)$/.test(event)) return 'warn';
  return 'info';
}

export const rendererLog: Logger = (event, fields = {}) => {
  const ctx = context.getStore();
  const line = {
    level: levelOf(event),
    time: new Date().toISOString(),
    service: 'renderer',
    request_id: ctx?.requestId ?? null,
    user_id: ctx?.userId ?? null,
    message: redactText(event),
  };
  const extraFields = lineFields(fields);
  if (process.env.LOG_FORMAT === 'human') {
    const ids = line.request_id ? ` (${line.request_id})` : '';
    const extra = Object.keys(extraFields).length ? ` ${JSON.stringify(extraFields)}` : '';
    process.stdout.write(`[renderer] ${line.level === 'info' ? '' : `${line.level.toUpperCase()} `}${line.message}${ids}${extra}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify({ ...line, ...extraFields })}\n`);
};
