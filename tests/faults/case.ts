// One fault case: what is broken, the documented outcome, and a check that throws (with what it
// saw) when the platform does not deliver that outcome. The suite prints one row per case.
import type { SuiteStack } from '../support/suite-stack.ts';

export interface FaultCase {
  name: string;
  /** The documented outcome, in a few words. */
  expected: string;
  /** Resolves to what was observed when the outcome held; throws otherwise. */
  run(stack: SuiteStack): Promise<string>;
}

export interface CaseResult { name: string; expected: string; observed: string; passed: boolean; seconds: number }

export async function runCase(c: FaultCase, stack: SuiteStack, timeoutMs: number): Promise<CaseResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the case did not end within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const observed = await Promise.race([c.run(stack), timeout]);
    return { name: c.name, expected: c.expected, observed, passed: true, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    const observed = (e as Error).message.replace(/\s+/g, ' ').slice(0, 1500);
    return { name: c.name, expected: c.expected, observed, passed: false, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps text to `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  return [...lines, line];
}

export function caseTable(results: CaseResult[]): string {
  const cols = [
    { head: 'case', width: 34 },
    { head: 'documented outcome', width: 44 },
    { head: 'observed', width: 58 },
    { head: 'result', width: 6 },
    { head: 'time', width: 7 },
  ];
  const out = [cols.map((c) => c.head.padEnd(c.width)).join('  '), cols.map((c) => '─'.repeat(c.width)).join('  ')];
  for (const r of results) {
    const cells = [wrap(r.name, 34), wrap(r.expected, 44), wrap(r.observed, 58), [r.passed ? 'pass' : 'FAIL'], [`${r.seconds.toFixed(1)} s`]];
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) {
      out.push(cells.map((c, j) => (j === 4 ? (c[i] ?? '').padStart(cols[j].width) : (c[i] ?? '').padEnd(cols[j].width))).join('  ').trimEnd());
    }
  }
  return out.join('\n');
}
