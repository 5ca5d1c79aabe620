// `npm run test:faults` — breaks one thing at a time on a private test stack on loopback
// (STACK_PORT_OFFSET, default 480) and checks the documented outcome of each: the renderer
// killed mid-job, the PDF engine failing, the model's connection dropped mid-stream, truncated
// uploads, Postgres restarted under load. Prints a table of cases and exits non-zero when any
// case did not get its documented outcome. Every case is bounded in time (FAULT_CASE_SECONDS,
// default 120); Postgres goes last, since it is the case most likely to leave the stack broken.
//
// FAULTS_ONLY="word;word" runs the cases whose name contains one of the words.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSuite } from '../support/suite-stack.ts';

runSuite(480, async (stack) => {
  const t0 = performance.now();
  // Imported once the stack's URL and keys are in the environment: their helpers read them.
  const { caseTable, runCase } = await import('./case.ts');
  const { pdfEngineCrashes, rendererKilledMidJob } = await import('./render-faults.ts');
  const { modelDropsBeforeFirstToken, modelDropsMidStream } = await import('./llm-faults.ts');
  const uploads = await import('./upload-faults.ts');
  const { postgresRestart } = await import('./postgres-fault.ts');
  const only = process.env.FAULTS_ONLY?.split(';').map((w) => w.trim().toLowerCase()).filter(Boolean);
  const cases = [
    rendererKilledMidJob,
    pdfEngineCrashes,
    modelDropsMidStream,
    modelDropsBeforeFirstToken,
    uploads.storageBodyShort,
    uploads.storageConnectionCut,
    uploads.storageMultipartCut,
    uploads.chatAttachmentCut,
    uploads.chatAttachmentLengthLie,
    postgresRestart,
  ].filter((c) => !only?.length || only.some((w) => c.name.toLowerCase().includes(w)));
  const timeoutMs = Number(process.env.FAULT_CASE_SECONDS ?? 120) * 1000;
  const results = [];
  for (const c of cases) {
    process.stdout.write(`… ${c.name}\n`);
    const r = await runCase(c, stack, timeoutMs);
    process.stdout.write(`  ${r.passed ? 'pass' : 'FAIL'} (${r.seconds.toFixed(1)} s): ${r.observed}\n`);
    results.push(r);
    if (!stack.alive()) {
      // Beside the stack's logs, not among them: the start banner lists the demo logins.
      const file = join(stack.cfg.stackDir, 'faults-stack-output.log');
      writeFileSync(file, stack.logTail(200_000));
      process.stdout.write(`the stack process exited (its output: ${file}); the end of it:\n${stack.logTail(3000)}\n`);
      break;
    }
  }
  const failed = results.filter((r) => !r.passed).length + cases.length - results.length;
  process.stdout.write(`\n${caseTable(results)}\n\n`);
  process.stdout.write(`faults: ${results.length - results.filter((r) => !r.passed).length} passed, ${failed} failed` +
    `${cases.length > results.length ? ` (${cases.length - results.length} not run: the stack was gone)` : ''}, ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s in all\n`);
  return failed ? 1 : 0;
});
