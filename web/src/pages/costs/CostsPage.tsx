// AI costs: totals, cost per day, by model, workflow, call type and user, with date and
// category filters. Rows are what RLS lets the caller read; sums are computed here.
import { useMemo, useState } from 'react';
import { BarList, ColumnChart } from '../../components/charts';
import { EmptyState, ErrorAlert, Field, Loading, PageHeader, Alert } from '../../components/ui';
import { useCurrentCompany } from '../../domains/companies/current';
import { useUserNames } from '../../domains/admin/hooks';
import { type CostFilters, summarize } from '../../domains/costs/aggregate';
import { useAiCosts } from '../../domains/costs/hooks';
import { formatDate, formatDateTime, formatInt, formatUsd, humanize, todayIso } from '../../lib/format';

const CALL_TYPES = ['main_llm', 'classification', 'parsing', 'coordinator_thread', 'mockup_analysis', 'image_generation', 'bo_edit', 'other'];
const WORKFLOWS = ['general_chat', 'proposal_generation', 'mockup_upload', 'mockup_ai', 'bo_parsing', 'bo_editing', 'bo_revision', 'location_management'];

const LABELS: Record<string, string> = {
  main_llm: 'Main LLM', bo_edit: 'BO edit', mockup_ai: 'Mockup (AI)', mockup_upload: 'Mockup (upload)',
  bo_parsing: 'BO parsing', bo_editing: 'BO editing', bo_revision: 'BO revision', none: 'No workflow',
};
const label = (key: string) => LABELS[key] ?? humanize(key);

const usd = (v: number) => formatUsd(v, v >= 10 ? 2 : 4);
const shortDay = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export default function CostsPage() {
  const { company } = useCurrentCompany();
  const [from, setFrom] = useState(todayIso(-29));
  const [to, setTo] = useState(todayIso());
  const [callType, setCallType] = useState('');
  const [workflow, setWorkflow] = useState('');
  const [userId, setUserId] = useState('');
  const filters: CostFilters = { from, to, callType: callType || null, workflow: workflow || null, userId: userId || null, company };
  const costs = useAiCosts(filters);
  const rows = costs.data?.rows ?? [];
  const summary = useMemo(() => summarize(rows, { from, to }), [rows, from, to]);
  const userName = useUserNames(summary.byUser.map((b) => b.key));
  const badRange = from > to;

  return (
    <>
      <PageHeader title="AI costs" description="What the assistant’s model calls cost, in USD." />
      <section className="card" aria-label="Filters" style={{ marginBottom: 16 }}>
        <div className="grid grid-4" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))' }}>
          <Field label="From">{(id) => <input id={id} className="input" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />}</Field>
          <Field label="To">{(id) => <input id={id} className="input" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />}</Field>
          <Field label="Call type">
            {(id) => (
              <select id={id} className="select" value={callType} onChange={(e) => setCallType(e.target.value)}>
                <option value="">All</option>
                {CALL_TYPES.map((c) => <option key={c} value={c}>{label(c)}</option>)}
              </select>
            )}
          </Field>
          <Field label="Workflow">
            {(id) => (
              <select id={id} className="select" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
                <option value="">All</option>
                {WORKFLOWS.map((w) => <option key={w} value={w}>{label(w)}</option>)}
              </select>
            )}
          </Field>
          {summary.byUser.length > 1 || userId ? (
            <Field label="User">
              {(id) => (
                <select id={id} className="select" value={userId} onChange={(e) => setUserId(e.target.value)}>
                  <option value="">Everyone I can see</option>
                  {summary.byUser.map((b) => <option key={b.key} value={b.key}>{userName(b.key)}</option>)}
                </select>
              )}
            </Field>
          ) : null}
        </div>
      </section>

      {badRange ? <Alert tone="warning">The start date is after the end date.</Alert> : null}
      <ErrorAlert error={costs.error} title="Costs could not be loaded" onRetry={() => void costs.refetch()} />
      {costs.data?.truncated ? <Alert tone="warning">Only the latest 20,000 calls of this range are counted; narrow the range.</Alert> : null}
      {costs.isLoading ? <Loading /> : null}

      {costs.data && !badRange ? (
        <div className="stack" style={{ gap: 16 }} aria-busy={costs.isFetching}>
          <section className="grid grid-4" aria-label="Totals">
            <div className="card stat"><span className="stat-label">Total cost</span><span className="stat-value" data-testid="cost-total">{usd(summary.cost)}</span></div>
            <div className="card stat"><span className="stat-label">Calls</span><span className="stat-value" data-testid="cost-calls">{formatInt(summary.calls)}</span></div>
            <div className="card stat"><span className="stat-label">Average per call</span><span className="stat-value">{usd(summary.averageCost)}</span></div>
            <div className="card stat"><span className="stat-label">Cache hit rate</span><span className="stat-value">{(summary.cacheHitRate * 100).toFixed(1)}%</span></div>
          </section>

          {rows.length === 0 ? (
            <div className="card"><EmptyState title="No AI calls in this period">Costs appear here once the assistant has been used.</EmptyState></div>
          ) : (
            <>
              <section className="card" aria-labelledby="daily-title">
                <h2 id="daily-title">Cost per day</h2>
                <ColumnChart label={`Cost per day from ${formatDate(from)} to ${formatDate(to)}`} format={usd}
                  data={summary.byDay.map((b) => ({ key: b.key, label: shortDay(b.key), value: b.cost, detail: `${b.calls} calls` }))} />
              </section>
              <div className="grid grid-2">
                <section className="card" aria-labelledby="model-title">
                  <h2 id="model-title">By model</h2>
                  <BarList label="Cost by model" format={usd} data={summary.byModel.map((b) => ({ key: b.key, label: b.key, value: b.cost, detail: `${b.calls} calls` }))} />
                </section>
                <section className="card" aria-labelledby="workflow-title">
                  <h2 id="workflow-title">By workflow</h2>
                  <BarList label="Cost by workflow" format={usd} data={summary.byWorkflow.map((b) => ({ key: b.key, label: label(b.key), value: b.cost, detail: `${b.calls} calls` }))} />
                </section>
                <section className="card" aria-labelledby="calltype-title">
                  <h2 id="calltype-title">By call type</h2>
                  <BarList label="Cost by call type" format={usd} data={summary.byCallType.map((b) => ({ key: b.key, label: label(b.key), value: b.cost, detail: `${b.calls} calls` }))} />
                </section>
                <section className="card" aria-labelledby="user-title">
                  <h2 id="user-title">By user</h2>
                  <BarList label="Cost by user" format={usd} data={summary.byUser.map((b) => ({ key: b.key, label: userName(b.key), value: b.cost, detail: `${b.calls} calls` }))} />
                </section>
              </div>
              <section className="card" aria-labelledby="tokens-title">
                <h2 id="tokens-title">Tokens</h2>
                <dl className="totals">
                  <dt>Input (uncached)</dt><dd>{formatInt(summary.inputTokens - summary.cachedTokens)}</dd>
                  <dt>Input (cached)</dt><dd>{formatInt(summary.cachedTokens)}</dd>
                  <dt>Output</dt><dd>{formatInt(summary.outputTokens)}</dd>
                  <dt>Reasoning</dt><dd>{formatInt(summary.reasoningTokens)}</dd>
                  <dt>Total</dt><dd>{formatInt(summary.tokens)}</dd>
                </dl>
              </section>
              <section className="card" aria-labelledby="recent-title">
                <h2 id="recent-title">Recent calls</h2>
                <div className="table-wrap">
                  <table className="table">
                    <thead><tr><th scope="col">When</th><th scope="col">User</th><th scope="col">Model</th><th scope="col">Call type</th><th scope="col">Workflow</th><th scope="col" className="num">Tokens</th><th scope="col" className="num">Cost</th></tr></thead>
                    <tbody>
                      {rows.slice(0, 25).map((r) => (
                        <tr key={r.id}>
                          <td className="small">{formatDateTime(r.occurred_at)}</td>
                          <td className="small">{userName(r.owner_id)}</td>
                          <td className="mono small">{r.model}</td>
                          <td>{label(r.call_type)}</td>
                          <td>{r.workflow ? label(r.workflow) : '—'}</td>
                          <td className="num">{formatInt(r.total_tokens)}</td>
                          <td className="num">{usd(Number(r.total_cost))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            </>
          )}
        </div>
      ) : null}
    </>
  );
}
