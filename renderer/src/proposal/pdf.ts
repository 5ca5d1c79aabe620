// PPTX → PDF (spec §1.11), and XLSX/XLS → PDF for booking orders (§3.9). Gotenberg's
// LibreOffice route when GOTENBERG_URL is set, else LibreOffice headless in a child process.
// Every conversion, whichever engine, waits for the one semaphore (PDF_CONVERT_CONCURRENCY,
// default 2). A conversion either yields a readable PDF (with one page per slide for decks) or
// fails with PdfConversionError: there is no degraded fallback (§11.24).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { positiveIntFromEnv, Semaphore } from '../semaphore.ts';

export class PdfConversionError extends Error {
  readonly code = 'PDF_CONVERSION_FAILED';
  /** Crashes, time-outs and an unreachable Gotenberg may pass on a later attempt. */
  readonly retryable: boolean;

  constructor(message: string, { retryable = true } = {}) {
    super(message);
    this.name = 'PdfConversionError';
    this.retryable = retryable;
  }
}

/** The one gate for every conversion in this process. */
export const pdfConversions = new Semaphore(positiveIntFromEnv('PDF_CONVERT_CONCURRENCY', 2));

export interface ConvertOptions {
  /** Pages the PDF must have (the deck's slide count). */
  expectedPages?: number;
  /** Per conversion, excluding the wait for a slot. Default PDF_CONVERT_TIMEOUT_MS or 60 s (§1.11). */
  timeoutMs?: number;
  /** Gotenberg's base URL; default GOTENBERG_URL. Empty → LibreOffice in a child process. */
  gotenbergUrl?: string;
  /** LibreOffice's executable; default SOFFICE_PATH or `soffice`. */
  sofficePath?: string;
  /** Where LibreOffice's per-conversion directories go; default the OS temp directory. */
  workRoot?: string;
}

export type PdfEngine = 'gotenberg' | 'libreoffice';

export function pdfEngine(options: Pick<ConvertOptions, 'gotenbergUrl'> = {}): PdfEngine {
  return (options.gotenbergUrl ?? process.env.GOTENBERG_URL ?? '').trim() ? 'gotenberg' : 'libreoffice';
}

/** Office files the converter takes: the LibreOffice import filter is fixed per format. */
export type OfficeFormat = 'pptx' | 'xlsx' | 'xls';

interface OfficeFormatSpec {
  /** What the file is called in errors. */
  noun: string;
  /** The file's first bytes: ZIP for OOXML, the OLE compound header for XLS. */
  signature: Buffer;
  signatureName: string;
  filter: string;
  exporter: string;
}

const OFFICE_FORMATS: Readonly<Record<OfficeFormat, OfficeFormatSpec>> = {
  pptx: { noun: 'the deck is not a PPTX file', signature: Buffer.from([0x50, 0x4b, 0x03, 0x04]), signatureName: 'ZIP', filter: 'Impress MS PowerPoint 2007 XML', exporter: 'pdf:impress_pdf_Export' },
  xlsx: { noun: 'the workbook is not an XLSX file', signature: Buffer.from([0x50, 0x4b, 0x03, 0x04]), signatureName: 'ZIP', filter: 'Calc MS Excel 2007 XML', exporter: 'pdf:calc_pdf_Export' },
  xls: { noun: 'the workbook is not an XLS file', signature: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), signatureName: 'OLE', filter: 'MS Excel 97', exporter: 'pdf:calc_pdf_Export' },
};

export async function convertPptxToPdf(pptx: Buffer, options: ConvertOptions = {}): Promise<Buffer> {
  return await convertOfficeToPdf(pptx, 'pptx', options);
}

/** Any supported Office file → PDF through the same engines, gate and checks as the decks. */
export async function convertOfficeToPdf(file: Buffer, format: OfficeFormat, options: ConvertOptions = {}): Promise<Buffer> {
  const spec = OFFICE_FORMATS[format];
  if (file.length < spec.signature.length || !file.subarray(0, spec.signature.length).equals(spec.signature)) {
    throw new PdfConversionError(`${spec.noun} (no ${spec.signatureName} signature)`, { retryable: false });
  }
  const timeoutMs = options.timeoutMs ?? positiveIntFromEnv('PDF_CONVERT_TIMEOUT_MS', 60_000);
  const gotenbergUrl = (options.gotenbergUrl ?? process.env.GOTENBERG_URL ?? '').trim();
  return await pdfConversions.run(async () => {
    const pdf = gotenbergUrl
      ? await viaGotenberg(file, format, gotenbergUrl, timeoutMs)
      : await viaLibreOffice(file, format, options.sofficePath ?? process.env.SOFFICE_PATH ?? 'soffice', timeoutMs, options.workRoot ?? tmpdir());
    await verifyPdf(pdf, options.expectedPages);
    return pdf;
  });
}

/** Checks that the bytes are a readable PDF with the expected number of pages. */
export async function verifyPdf(pdf: Buffer, expectedPages?: number): Promise<number> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new PdfConversionError(`the converter returned something that is not a PDF (starts with ${JSON.stringify(pdf.subarray(0, 16).toString('latin1'))})`);
  }
  let pages: number;
  try {
    pages = (await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true })).getPageCount();
  } catch (e) {
    throw new PdfConversionError(`the converter returned an unreadable PDF: ${(e as Error).message}`);
  }
  if (expectedPages !== undefined && pages !== expectedPages) {
    throw new PdfConversionError(`the PDF has ${pages} pages, the deck ${expectedPages} slides`);
  }
  return pages;
}

/**
 * One LibreOffice process per conversion with its own profile directory: processes sharing a
 * profile hand their work to whichever started first, and the others exit 0 without output.
 * The import filter is fixed so a damaged deck is refused instead of read as plain text.
 */
async function viaLibreOffice(file: Buffer, format: OfficeFormat, soffice: string, timeoutMs: number, workRoot: string): Promise<Buffer> {
  const dir = await mkdtemp(join(workRoot, 'mmg-pdf-'));
  try {
    const input = join(dir, `document.${format}`);
    const outDir = join(dir, 'out');
    await mkdir(outDir);
    await writeFile(input, file);
    const args = [
      '--headless', '--invisible', '--norestore', '--nolockcheck', '--nodefault', '--nologo',
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      `--infilter=${OFFICE_FORMATS[format].filter}`,
      '--convert-to', OFFICE_FORMATS[format].exporter,
      '--outdir', outDir,
      input,
    ];
    const run = await runProcess(soffice, args, timeoutMs);
    let pdf: Buffer;
    try {
      pdf = await readFile(join(outDir, 'document.pdf'));
    } catch {
      const detail = run.output.trim().split('\n').filter((l) => !/javaldx/.test(l)).join(' ').slice(-400);
      const exit = run.signal ? `signal ${run.signal}` : `exit code ${run.code}`;
      throw new PdfConversionError(`LibreOffice produced no PDF (${exit})${detail ? `: ${detail}` : ''}`);
    }
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command in its own process group, so a time-out kills soffice.bin and its children. */
function runProcess(command: string, args: string[], timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < 16_384) output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new PdfConversionError(`LibreOffice could not be started (${command}): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new PdfConversionError(`LibreOffice did not finish within ${timeoutMs} ms`));
      else resolve({ code, signal, output });
    });
  });
}

/**
 * Gotenberg 8's `POST /forms/libreoffice/convert` through chromiumly (which targets Gotenberg
 * 8's routes). chromiumly keeps its endpoint in a static, so it is set before every call.
 */
async function viaGotenberg(file: Buffer, format: OfficeFormat, baseUrl: string, timeoutMs: number): Promise<Buffer> {
  const { Chromiumly, LibreOffice } = await import('chromiumly');
  Chromiumly.configure({ endpoint: baseUrl.replace(/\/+$/, '') });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PdfConversionError(`Gotenberg did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const conversion = LibreOffice.convert({ files: [{ data: file, ext: format }] });
  conversion.catch(() => {}); // after a time-out nobody awaits it; its late failure must not crash the process
  try {
    return await Promise.race([conversion, timeout]);
  } catch (e) {
    if (e instanceof PdfConversionError) throw e;
    const message = (e as Error).message.replace(/\s+/g, ' ').slice(0, 500);
    throw new PdfConversionError(`Gotenberg conversion failed: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}
