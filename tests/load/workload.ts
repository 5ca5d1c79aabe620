// What one kind of traffic did: every operation's latency and outcome, and the problems found
// when its results were checked afterwards. The gates of the load suite are on these counts
// (5xx, lost, duplicated, unfinished), never on latency.

export class Workload {
  readonly latencies: number[] = [];
  ok = 0;
  /** Answers 400–499 that the workload did not ask for. */
  clientErrors = 0;
  serverErrors = 0;
  /** No answer at all, a broken stream, or an answer with the wrong content. */
  otherErrors = 0;
  /** Problems that fail the run: 5xx, lost, duplicated, unfinished, wrong content. */
  readonly problems: string[] = [];
  /** Facts the checks established, printed under the table. */
  readonly notes: string[] = [];
  private firstAt = Infinity;
  private lastAt = 0;

  constructor(readonly name: string, readonly unit: string) {}

  /** One operation that ended with an HTTP status (or none: a transport error) after `ms`. */
  record(startedAt: number, status: number | null, problem?: string): void {
    const ms = performance.now() - startedAt;
    this.firstAt = Math.min(this.firstAt, startedAt);
    this.lastAt = Math.max(this.lastAt, startedAt + ms);
    this.latencies.push(ms);
    if (status !== null && status >= 500) this.serverErrors++;
    else if (status !== null && status >= 400) this.clientErrors++;
    else if (status === null || problem) this.otherErrors++;
    else this.ok++;
    if (problem || status === null || status >= 400) this.problem(problem ?? `HTTP ${status ?? 'no answer'}`);
  }

  /** Keeps the first few examples of each kind of problem, and counts the rest. */
  problem(text: string): void {
    if (this.problems.length < 20) this.problems.push(text);
    else if (this.problems.length === 20) this.problems.push('… (further problems not listed)');
  }

  get count(): number {
    return this.latencies.length;
  }

  /** Operations per second over the span from the first start to the last end. */
  get throughput(): number {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return seconds > 0 ? this.count / seconds : 0;
  }

  percentile(p: number): number {
    if (!this.latencies.length) return NaN;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);

/** The summary table: one row per workload. */
export function table(workloads: Workload[]): string {
  const head = ['workload', 'ops', 'ok', '4xx', '5xx', 'other', 'throughput', 'p50', 'p95', 'p99', 'max'];
  const rows = workloads.map((w) => [
    w.name,
    String(w.count),
    String(w.ok),
    String(w.clientErrors),
    String(w.serverErrors),
    String(w.otherErrors),
    `${w.throughput.toFixed(w.throughput < 10 ? 2 : 1)} ${w.unit}/s`,
    ms(w.percentile(50)),
    ms(w.percentile(95)),
    ms(w.percentile(99)),
    ms(w.percentile(100)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
