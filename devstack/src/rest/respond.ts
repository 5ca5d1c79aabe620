// Status codes and headers of read responses: Content-Range, 206 for partial pages, 416 past
// the end, and the single-object media type (PGRST116 unless exactly one row).
import { HttpError } from '../http.ts';
import { restError } from './errors.ts';
import type { MediaKind } from './headers.ts';
import { JSON_TYPE, OBJECT_TYPE, type RestResult } from './request.ts';

/** One row of build-sql.ts's read/returning statements. */
export interface AggregateRow {
  body: string;
  first: string | null;
  n: number;
  total?: string | null;
}

export function singleObjectError(n: number): HttpError {
  return restError(
    406,
    'PGRST116',
    'JSON object requested, multiple (or no) rows returned',
    `The result contains ${n} rows`,
    null,
  );
}

export function contentRange(offset: number, n: number, total: number | null): string {
  const t = total === null ? '*' : String(total);
  return n > 0 ? `${offset}-${offset + n - 1}/${t}` : `*/${t}`;
}

/** The response to a read of rows (table, view or set-returning function). */
export function rowsResponse(
  row: AggregateRow,
  offset: number,
  media: MediaKind,
  extraHeaders: Record<string, string> = {},
): RestResult {
  const total = row.total === null || row.total === undefined ? null : Number(row.total);
  if (total !== null && offset > 0 && offset > total) {
    throw restError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      `An offset of ${offset} was requested, but there are only ${total} rows.`,
      null,
      { 'content-range': `*/${total}` },
    );
  }
  const headers = { ...extraHeaders, 'content-range': contentRange(offset, row.n, total) };
  if (media === 'object') {
    if (row.n !== 1) throw singleObjectError(row.n);
    return { status: 200, body: row.first ?? 'null', headers: { ...headers, 'content-type': OBJECT_TYPE } };
  }
  const status = total !== null && row.n < total ? 206 : 200;
  return { status, body: row.body, headers: { ...headers, 'content-type': JSON_TYPE } };
}

/** Effective page: the intersection of limit/offset and the Range header, capped at max rows. */
export function pageOf(
  q: { limit?: number; offset?: number },
  range: { offset: number; limit?: number } | null,
  maxRows: number,
): { offset: number; limit: number } {
  const qLower = q.offset ?? 0;
  const qUpper = q.limit === undefined ? Infinity : qLower + q.limit - 1;
  const hLower = range?.offset ?? 0;
  const hUpper = range?.limit === undefined ? Infinity : hLower + range.limit - 1;
  const lower = Math.max(qLower, hLower);
  const upper = Math.min(qUpper, hUpper);
  const limit = upper === Infinity ? maxRows : Math.max(0, Math.min(upper - lower + 1, maxRows));
  return { offset: lower, limit };
}
