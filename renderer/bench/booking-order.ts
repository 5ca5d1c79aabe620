// `npx tsx renderer/bench/booking-order.ts`: time of one booking order's documents, step by step
// (p50 of 5 runs after a warm-up): the workbook (exceljs), its PDF conversion (LibreOffice, or
// Gotenberg when GOTENBERG_URL is set), the original, and the combine + stamp (pdftoppm
// analysis included), for a three-location final order with a two-page PDF original and a
// 30-location draft. Prints figures only.
import { availableParallelism } from 'node:os';
import { clientOrderPdf, emaarDraft, emaarFinal } from '../test/booking-order-fixtures.ts';

const { renderBookingOrder } = await import('../src/booking-order/index.ts');
const { pdfEngine } = await import('../src/proposal/pdf.ts');

const RUNS = 5;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

const many = emaarDraft();
many.items = Array.from({ length: 30 }, (_, i) => ({ ...many.items[i % 3], position: i + 1, name: `Location ${i + 1}` }));
const original = await clientOrderPdf({ pages: 2 });
const cases = [
  ['final, 3 locations, 2-page PDF original, stamped', emaarFinal()],
  ['draft, 30 locations, 2-page PDF original', many],
] as const;

console.log(`PDF engine: ${pdfEngine()}; ${availableParallelism()} CPUs`);
for (const [name, doc] of cases) {
  await renderBookingOrder(doc, { bytes: original, filename: 'order.pdf' }); // warm-up
  const steps: Record<string, number[]> = { workbook: [], workbookPdf: [], original: [], combine: [], total: [] };
  let pages = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const out = await renderBookingOrder(doc, { bytes: original, filename: 'order.pdf' });
    steps.total.push(performance.now() - t0);
    for (const [k, v] of Object.entries(out.timings)) steps[k].push(v);
    pages = out.workbookPages + out.originalPages;
  }
  console.log(`${name} (${pages} pages):`);
  for (const [k, v] of Object.entries(steps)) console.log(`  ${k.padEnd(12)} p50 ${ms(p50(v)).padStart(8)}   (${v.map(ms).join(', ')})`);
}
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
