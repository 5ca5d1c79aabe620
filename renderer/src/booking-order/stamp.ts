// The approval stamp on the final combined PDF (spec §3.9): "APPROVED", the approval date
// (DD-MM-YYYY) and the reference, drawn as vector shapes and real text on the first page of the
// client's original, in its emptiest corner. The page is rasterised with poppler's pdftoppm at
// a modest resolution; a corner is empty when (almost) none of the ~1 mm cells under the stamp
// hold ink. Corners are tried bottom-right, bottom-left, top-right, top-left, shrinking the
// stamp step by step to 40 %; with no empty corner it goes bottom-right at 40 %.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  concatTransformationMatrix,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
} from 'pdf-lib';

const MM = 72 / 25.4;
export const STAMP_WIDTH_PT = 55 * MM;
export const STAMP_MARGIN_PT = 15 * MM;
/** Height over width of the stamp. */
const STAMP_ASPECT = 0.46;
export const RASTER_DPI = 50;
export const MIN_SCALE = 0.4;
/** Each attempt shrinks the stamp by this factor (about 23 sizes from 100 % to 40 %). */
const SHRINK = 0.96;
/** Share of inked cells under the stamp that still counts as empty (a few specks of a scan). */
const MAX_INK = 0.01;

export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
export const CORNER_ORDER: readonly Corner[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 black … 255 white, row-major. */
  data: Uint8Array;
}

/** A rectangle in the page as it is displayed, in points, origin top-left. */
export interface VisualRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StampPlacement {
  corner: Corner;
  scale: number;
  rect: VisualRect;
  /** Share of inked cells under the stamp; null when the page could not be analysed. */
  ink: number | null;
  /** False when no corner was empty and the last resort was taken. */
  empty: boolean;
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}${stderr ? ` ${String(stderr).trim().slice(0, 300)}` : ''}`));
      else resolve();
    });
  });
}

/** Parses a binary PGM (P5, 8-bit) as pdftoppm -gray writes it. */
export function parsePgm(bytes: Buffer): GrayImage {
  const header = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 256).toString('latin1'));
  if (!header) throw new Error('not a binary PGM image');
  const [width, height, max] = [Number(header[1]), Number(header[2]), Number(header[3])];
  if (max !== 255) throw new Error(`PGM with maximum ${max}, expected 255`);
  const data = bytes.subarray(header[0].length, header[0].length + width * height);
  if (data.length !== width * height) throw new Error('truncated PGM image');
  return { width, height, data: new Uint8Array(data) };
}

/** Page 1 of a PDF in grey levels at `dpi`, as displayed (crop box, rotation applied). */
export async function rasterizeFirstPage(pdf: Buffer, dpi = RASTER_DPI, timeoutMs = 20_000): Promise<GrayImage> {
  const dir = await mkdtemp(join(tmpdir(), 'mmg-stamp-'));
  try {
    await writeFile(join(dir, 'page.pdf'), pdf);
    await run('pdftoppm', ['-f', '1', '-l', '1', '-r', String(dpi), '-gray', '-singlefile', join(dir, 'page.pdf'), join(dir, 'page')], timeoutMs);
    return parsePgm(await readFile(join(dir, 'page.pgm')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Ink as a grid of cells, each set when any pixel in it is clearly darker than the paper, with
 * a summed-area table so the ink under any rectangle is four look-ups.
 */
export class InkMap {
  readonly cell: number;
  readonly cols: number;
  readonly rows: number;
  readonly #sums: Int32Array;

  constructor(image: GrayImage, cell = 2) {
    this.cell = cell;
    this.cols = Math.ceil(image.width / cell);
    this.rows = Math.ceil(image.height / cell);
    // Paper is the brightness at least half of the page has (its median), so grey scans work too.
    const histogram = new Array<number>(256).fill(0);
    for (const v of image.data) histogram[v]++;
    let paper = 255;
    for (let v = 255, above = 0; v >= 0; v--) {
      above += histogram[v];
      if (above * 2 >= image.data.length) {
        paper = v;
        break;
      }
    }
    const threshold = Math.min(paper - 48, 200);
    const inked = new Uint8Array(this.cols * this.rows);
    for (let y = 0; y < image.height; y++) {
      const row = y * image.width;
      const cellRow = Math.floor(y / cell) * this.cols;
      for (let x = 0; x < image.width; x++) if (image.data[row + x] < threshold) inked[cellRow + Math.floor(x / cell)] = 1;
    }
    const w = this.cols + 1;
    this.#sums = new Int32Array(w * (this.rows + 1));
    for (let r = 0; r < this.rows; r++) {
      let line = 0;
      for (let c = 0; c < this.cols; c++) {
        line += inked[r * this.cols + c];
        this.#sums[(r + 1) * w + c + 1] = this.#sums[r * w + c + 1] + line;
      }
    }
  }

  /** Share of inked cells in the pixel rectangle (clipped to the image). */
  inkRatio(x: number, y: number, width: number, height: number): number {
    const c0 = Math.max(0, Math.floor(x / this.cell));
    const r0 = Math.max(0, Math.floor(y / this.cell));
    const c1 = Math.min(this.cols, Math.ceil((x + width) / this.cell));
    const r1 = Math.min(this.rows, Math.ceil((y + height) / this.cell));
    if (c1 <= c0 || r1 <= r0) return 1;
    const w = this.cols + 1;
    const s = this.#sums;
    const total = s[r1 * w + c1] - s[r0 * w + c1] - s[r1 * w + c0] + s[r0 * w + c0];
    return total / ((c1 - c0) * (r1 - r0));
  }
}

export function stampSize(scale: number): { width: number; height: number } {
  return { width: STAMP_WIDTH_PT * scale, height: STAMP_WIDTH_PT * STAMP_ASPECT * scale };
}

/** Where a stamp of `scale` goes in a corner of a page displayed `pageWidth` × `pageHeight` points. */
export function cornerRect(corner: Corner, pageWidth: number, pageHeight: number, scale: number): VisualRect {
  const { width, height } = stampSize(scale);
  // A page too small for the margins keeps what room it has.
  const mx = Math.max(0, Math.min(STAMP_MARGIN_PT, (pageWidth - width) / 2));
  const my = Math.max(0, Math.min(STAMP_MARGIN_PT, (pageHeight - height) / 2));
  const x = corner.endsWith('right') ? pageWidth - mx - width : mx;
  const y = corner.startsWith('bottom') ? pageHeight - my - height : my;
  return { x, y, width, height };
}

export function stampScales(): number[] {
  const scales: number[] = [];
  for (let s = 1; s >= MIN_SCALE - 1e-9; s *= SHRINK) scales.push(Number(s.toFixed(4)));
  if (scales[scales.length - 1] > MIN_SCALE) scales.push(MIN_SCALE);
  return scales;
}

/** The first empty corner, largest size first; else bottom-right at 40 %. */
export function findStampPlacement(image: GrayImage | null, pageWidth: number, pageHeight: number): StampPlacement {
  const lastResort = (ink: number | null): StampPlacement =>
    ({ corner: 'bottom-right', scale: MIN_SCALE, rect: cornerRect('bottom-right', pageWidth, pageHeight, MIN_SCALE), ink, empty: false });
  if (!image) return lastResort(null);
  const ink = new InkMap(image, Math.max(2, Math.round(image.width / pageWidth * MM))); // cells of about 1 mm
  const px = image.width / pageWidth;
  const py = image.height / pageHeight;
  for (const scale of stampScales()) {
    for (const corner of CORNER_ORDER) {
      const rect = cornerRect(corner, pageWidth, pageHeight, scale);
      const ratio = ink.inkRatio(rect.x * px, rect.y * py, rect.width * px, rect.height * py);
      if (ratio <= MAX_INK) return { corner, scale, rect, ink: ratio, empty: true };
    }
  }
  const rect = cornerRect('bottom-right', pageWidth, pageHeight, MIN_SCALE);
  return lastResort(ink.inkRatio(rect.x * px, rect.y * py, rect.width * px, rect.height * py));
}

/** The page's size as displayed: its crop box, turned by /Rotate. */
export function visualSize(page: PDFPage): { width: number; height: number; rotation: number } {
  const box = page.getCropBox();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360);
  return rotation === 90 || rotation === 270
    ? { width: box.height, height: box.width, rotation }
    : { width: box.width, height: box.height, rotation };
}

/**
 * The matrix taking "visual" coordinates (origin at the displayed page's bottom-left, y up) to
 * the page's user space, so the stamp reads upright whatever /Rotate says.
 */
function visualToUser(page: PDFPage): [number, number, number, number, number, number] {
  const { x, y, width, height } = page.getCropBox();
  switch (visualSize(page).rotation) {
    case 90: return [0, 1, -1, 0, x + width, y];
    case 180: return [-1, 0, 0, -1, x + width, y + height];
    case 270: return [0, -1, 1, 0, x, y + height];
    default: return [1, 0, 0, 1, x, y];
  }
}

export interface StampText {
  /** DD-MM-YYYY. */
  date: string;
  reference: string | null;
  brand: string;
}

const STAMP_COLOUR = rgb(0.1, 0.32, 0.62);

function fitted(font: PDFFont, text: string, size: number, width: number): number {
  const w = font.widthOfTextAtSize(text, size);
  return w > width ? size * (width / w) : size;
}

/** Draws the stamp into `rect` (displayed page, origin top-left). */
export async function drawStamp(doc: PDFDocument, page: PDFPage, rect: VisualRect, stamp: StampText): Promise<void> {
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const { height: pageHeight } = visualSize(page);
  const x = rect.x;
  const y = pageHeight - rect.y - rect.height;
  const { width: w, height: h } = rect;
  const inner = Math.max(1.5, w * 0.025);
  const lines: Array<[PDFFont, string, number]> = [
    [bold, 'APPROVED', h * 0.3],
    [bold, stamp.date, h * 0.19],
    [regular, [stamp.brand.toUpperCase(), stamp.reference].filter(Boolean).join(' - '), h * 0.12],
  ];

  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...visualToUser(page)));
  page.drawRectangle({ x, y, width: w, height: h, borderColor: STAMP_COLOUR, borderWidth: Math.max(1, w * 0.018), color: rgb(1, 1, 1), opacity: 0.85, borderOpacity: 0.95 });
  page.drawRectangle({ x: x + inner * 1.6, y: y + inner * 1.6, width: w - inner * 3.2, height: h - inner * 3.2, borderColor: STAMP_COLOUR, borderWidth: Math.max(0.4, w * 0.005), borderOpacity: 0.95 });
  const sizes = lines.map(([font, text, size]) => fitted(font, text, size, w - inner * 6));
  const gap = h * 0.07;
  const block = sizes.reduce((a, b) => a + b, 0) + gap * (lines.length - 1);
  let baseline = y + (h + block) / 2;
  lines.forEach(([font, text], i) => {
    baseline -= sizes[i];
    const width = font.widthOfTextAtSize(text, sizes[i]);
    page.drawText(text, { x: x + (w - width) / 2, y: baseline + sizes[i] * 0.2, size: sizes[i], font, color: STAMP_COLOUR });
    baseline -= gap;
  });
  page.pushOperators(popGraphicsState());
}
