// Pure aggregation of AI cost rows for the Costs screen (totals, by day / model / workflow /
// call type / user). Kept free of React and of the API so it is easy to reason about.

export interface CostFilters {
  from: string; // YYYY-MM-DD, inclusive
  to: string; // YYYY-MM-DD, inclusive
  callType: string | null;
  workflow: string | null;
  userId: string | null;
  company: string | null;
}

export interface CostRow {
  id: string;
  occurred_at: string;
  owner_id: string;
  company: string | null;
  call_type: string;
  workflow: string | null;
  provider: string | null;
  model: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
  total_cost: number;
}

export interface Bucket {
  key: string;
  calls: number;
  tokens: number;
  cost: number;
}

export interface CostSummary {
  calls: number;
  cost: number;
  tokens: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  averageCost: number;
  cacheHitRate: number;
  byDay: Bucket[];
  byModel: Bucket[];
  byWorkflow: Bucket[];
  byCallType: Bucket[];
  byUser: Bucket[];
}

function group(rows: CostRow[], keyOf: (r: CostRow) => string): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const r of rows) {
    const key = keyOf(r);
    const b = map.get(key) ?? { key, calls: 0, tokens: 0, cost: 0 };
    b.calls += 1;
    b.tokens += r.total_tokens;
    b.cost += Number(r.total_cost);
    map.set(key, b);
  }
  return [...map.values()].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key));
}

/** Every day of the range, so quiet days show as zero rather than disappearing. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** The UTC calendar day of a timestamp (what the date filter uses too). */
export const dayOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

export function summarize(rows: CostRow[], filters: Pick<CostFilters, 'from' | 'to'>): CostSummary {
  const sum = (f: (r: CostRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const cost = sum((r) => Number(r.total_cost));
  const inputTokens = sum((r) => r.input_tokens);
  const cachedTokens = sum((r) => r.cached_input_tokens);
  const perDay = new Map(group(rows, (r) => dayOf(r.occurred_at)).map((b) => [b.key, b]));
  return {
    calls: rows.length,
    cost,
    tokens: sum((r) => r.total_tokens),
    inputTokens,
    cachedTokens,
    outputTokens: sum((r) => r.output_tokens),
    reasoningTokens: sum((r) => r.reasoning_tokens),
    averageCost: rows.length ? cost / rows.length : 0,
    cacheHitRate: inputTokens ? cachedTokens / inputTokens : 0,
    byDay: days(filters.from, filters.to).map((d) => perDay.get(d) ?? { key: d, calls: 0, tokens: 0, cost: 0 }),
    byModel: group(rows, (r) => r.model),
    byWorkflow: group(rows, (r) => r.workflow ?? 'none'),
    byCallType: group(rows, (r) => r.call_type),
    byUser: group(rows, (r) => r.owner_id),
  };
}
