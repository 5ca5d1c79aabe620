// Builds the proposal deck (spec §1.6–§1.9) from a quote: intro, then per location its photo
// slide and (separate) its financial slide, or (combined) every location's photo slide and one
// package slide, then the outro. 16:9 at 13.333 × 7.5 in; the financial slide's geometry is
// §1.6's 20 × 12 in reference canvas scaled down. Slide order depends on the quote alone.
import pptxgenjs from 'pptxgenjs';
import { decodeImage, readImageInfo } from '../mockup/index.ts';
import { encodePng, FONT, gradientPng, HEADER_GRADIENT, PALETTE } from './brand.ts';
import { formatLongDate, formatProposalDate } from './dates.ts';
import { combinedTable, type FinancialTable, separateTable } from './financial-table.ts';
import type { Quote, QuoteLocation } from './quote.ts';
import { locationSpecs, proposalTerms } from './slide-text.ts';

// pptxgenjs ships CommonJS-style typings; at run time its ESM default export is the class.
const PptxGenJS = pptxgenjs as unknown as typeof pptxgenjs.default;
type Slide = pptxgenjs.default.Slide;
interface SlidePhoto {
  dataUri: string;
  width: number;
  height: number;
}
type TableRow = pptxgenjs.default.TableRow;
type TableCellProps = pptxgenjs.default.TableCellProps;

export const SLIDE_WIDTH = 13.333;
export const SLIDE_HEIGHT = 7.5;

/** §1.6: scale = min(w / 20 in, h / 12 in) = 0.625. */
export const SCALE = Math.min(SLIDE_WIDTH / 20, SLIDE_HEIGHT / 12);

/** The §1.6 reference measures (inches and points on the 20 × 12 in canvas), scaled. */
const FIN = {
  x: 0.75 * SCALE,
  y: 0.5 * SCALE,
  width: 18.5 * SCALE,
  labelWidth: 4.0 * SCALE,
  rowHeight: 0.9 * SCALE,
  bodyPt: 20 * SCALE,
  headerPt: 36 * SCALE,
  totalPt: 28 * SCALE,
  termsMaxPt: 11 * SCALE,
  termsMinPt: 8 * SCALE,
  datePt: 9 * SCALE,
  cellMargin: 0.05,
};

export type PlannedSlide =
  | { kind: 'intro' }
  | { kind: 'location'; location: QuoteLocation }
  | { kind: 'financial'; location: QuoteLocation | null }
  | { kind: 'outro' };

/**
 * The slides in order. Separate: each location's photo slide followed by its financial slide.
 * Combined: one photo slide per distinct location (§1.9 de-duplicates by key), then the package.
 */
export function planDeck(quote: Quote): PlannedSlide[] {
  const slides: PlannedSlide[] = [{ kind: 'intro' }];
  if (quote.proposal_type === 'separate') {
    for (const location of quote.locations) slides.push({ kind: 'location', location }, { kind: 'financial', location });
  } else {
    const seen = new Set<string>();
    for (const location of quote.locations) {
      if (seen.has(location.location_key)) continue;
      seen.add(location.location_key);
      slides.push({ kind: 'location', location });
    }
    slides.push({ kind: 'financial', location: null });
  }
  slides.push({ kind: 'outro' });
  return slides;
}

export interface Deck {
  pptx: Buffer;
  slides: PlannedSlide[];
}

/**
 * `photos` maps a location's `photo_path` to the photo's bytes (JPEG, PNG or WebP); a location
 * whose `photo_path` is null gets a plain panel instead.
 */
export async function buildDeck(quote: Quote, photos: ReadonlyMap<string, Buffer>): Promise<Deck> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE'; // 13.333 × 7.5 in
  pptx.author = 'MMG sales platform';
  pptx.company = 'MMG';
  pptx.title = `Proposal for ${quote.client_name || 'client'}`;

  const headerBar = gradientPng(960, 48, HEADER_GRADIENT);
  const slides = planDeck(quote);
  const slidePhotos = await pptxReadyPhotos(quote, photos);
  for (const planned of slides) {
    const slide = pptx.addSlide();
    switch (planned.kind) {
      case 'intro':
        drawIntro(slide, quote, headerBar);
        break;
      case 'location':
        drawLocation(slide, planned.location, slidePhotos, headerBar);
        break;
      case 'financial':
        drawFinancial(slide, quote, planned.location ? separateTable(quote, planned.location) : combinedTable(quote), headerBar);
        break;
      case 'outro':
        drawOutro(slide, quote, headerBar);
        break;
    }
  }
  const bytes = await pptx.write({ outputType: 'nodebuffer', compression: true });
  return { pptx: bytes as Buffer, slides };
}

const png = (bytes: Buffer) => `image/png;base64,${bytes.toString('base64')}`;

/**
 * Photos as pptxgenjs embeds them. PPTX has no content type for WebP (PowerPoint and LibreOffice
 * would drop the picture), so WebP photos are decoded by the mockup addon and stored as PNG.
 */
async function pptxReadyPhotos(quote: Quote, photos: ReadonlyMap<string, Buffer>): Promise<Map<string, SlidePhoto>> {
  const ready = new Map<string, SlidePhoto>();
  for (const location of quote.locations) {
    const path = location.photo_path;
    if (!path || ready.has(path)) continue;
    const bytes = photos.get(path);
    if (!bytes) throw new Error(`no photo bytes for ${path}`);
    const what = `the photo of ${location.display_name}`;
    const info = readImageInfo(bytes, what);
    if (info.format === 'webp') {
      const decoded = await decodeImage(bytes, what);
      ready.set(path, { dataUri: png(encodePng(decoded.width, decoded.height, decoded.data)), width: decoded.width, height: decoded.height });
    } else {
      ready.set(path, { dataUri: `image/${info.format};base64,${bytes.toString('base64')}`, width: info.width, height: info.height });
    }
  }
  return ready;
}

function drawIntro(slide: Slide, quote: Quote, bar: Buffer): void {
  slide.background = { color: PALETTE.voidBlack };
  slide.addShape('ellipse', { x: 8.6, y: -1.8, w: 6.4, h: 6.4, fill: { color: PALETTE.nebulaPurple, transparency: 82 }, line: { type: 'none' } });
  slide.addShape('ellipse', { x: 10.4, y: 3.9, w: 4.2, h: 4.2, fill: { color: PALETTE.quantumBlue, transparency: 85 }, line: { type: 'none' } });
  slide.addText('MMG', { x: 0.7, y: 0.55, w: 4, h: 0.5, fontFace: FONT, fontSize: 22, bold: true, color: PALETTE.plasmaCyan, charSpacing: 8 });
  slide.addText('Out-of-home media proposal', { x: 0.7, y: 1.0, w: 6, h: 0.4, fontFace: FONT, fontSize: 13, color: PALETTE.mist });
  slide.addText('Prepared for', { x: 0.7, y: 2.3, w: 8, h: 0.4, fontFace: FONT, fontSize: 16, color: PALETTE.mist });
  slide.addText(quote.client_name || 'Client', { x: 0.7, y: 2.7, w: 10.5, h: 1.1, fontFace: FONT, fontSize: 44, bold: true, color: PALETTE.white, fit: 'shrink' });
  slide.addImage({ data: png(bar), x: 0.7, y: 3.95, w: 4.2, h: 0.07 });
  slide.addText(formatLongDate(quote.proposal_date), { x: 0.7, y: 4.2, w: 8, h: 0.45, fontFace: FONT, fontSize: 18, color: PALETTE.white });
  const kind = quote.proposal_type === 'combined' ? 'Package proposal' : quote.locations.length > 1 ? 'Proposal' : 'Location proposal';
  const names = [...new Set(quote.locations.map((l) => l.display_name))].join('  ·  ');
  slide.addText(
    [
      { text: kind, options: { bold: true, color: PALETTE.plasmaCyan, breakLine: true } },
      { text: names, options: { color: PALETTE.mist } },
    ],
    { x: 0.7, y: 4.9, w: 11.5, h: 1.4, fontFace: FONT, fontSize: 14, valign: 'top', fit: 'shrink' },
  );
}

function drawOutro(slide: Slide, quote: Quote, bar: Buffer): void {
  slide.background = { color: PALETTE.voidBlack };
  slide.addShape('ellipse', { x: -1.6, y: 3.6, w: 5.5, h: 5.5, fill: { color: PALETTE.quantumBlue, transparency: 85 }, line: { type: 'none' } });
  slide.addText('Thank you', { x: 0, y: 2.5, w: SLIDE_WIDTH, h: 1.0, align: 'center', fontFace: FONT, fontSize: 48, bold: true, color: PALETTE.white });
  slide.addImage({ data: png(bar), x: (SLIDE_WIDTH - 4.2) / 2, y: 3.65, w: 4.2, h: 0.07 });
  slide.addText('To secure these locations, send your sales contact an official booking order.', {
    x: 1, y: 3.95, w: SLIDE_WIDTH - 2, h: 0.5, align: 'center', fontFace: FONT, fontSize: 16, color: PALETTE.mist,
  });
  slide.addText(`MMG  ·  ${quote.client_name || 'Client'}  ·  ${formatLongDate(quote.proposal_date)}`, {
    x: 1, y: 6.6, w: SLIDE_WIDTH - 2, h: 0.4, align: 'center', fontFace: FONT, fontSize: 12, color: PALETTE.plasmaCyan,
  });
}

function drawLocation(slide: Slide, location: QuoteLocation, photos: ReadonlyMap<string, SlidePhoto>, bar: Buffer): void {
  slide.background = { color: PALETTE.voidBlack };
  if (location.series) {
    slide.addText(location.series.toUpperCase(), { x: 0.5, y: 0.3, w: 12, h: 0.35, fontFace: FONT, fontSize: 12, bold: true, color: PALETTE.plasmaCyan, charSpacing: 3 });
  }
  slide.addText(location.display_name, { x: 0.5, y: 0.62, w: 12.3, h: 0.65, fontFace: FONT, fontSize: 28, bold: true, color: PALETTE.white, fit: 'shrink' });
  slide.addImage({ data: png(bar), x: 0.5, y: 1.35, w: 12.333, h: 0.05 });

  const box = { x: 0.5, y: 1.6, w: 8.2, h: 5.0 };
  const photo = location.photo_path ? photos.get(location.photo_path) : undefined;
  if (photo) {
    // Cover: fill the box, crop the overflow evenly (pptxgenjs reads the aspect from w/h).
    slide.addImage({
      data: photo.dataUri,
      x: box.x, y: box.y, w: box.w, h: (box.w * photo.height) / photo.width,
      sizing: { type: 'cover', w: box.w, h: box.h },
      altText: location.display_name,
    });
  } else {
    slide.addShape('rect', { ...box, fill: { color: '111522' }, line: { color: PALETTE.nebulaPurple, width: 1 } });
    slide.addText('No photo on file', { ...box, align: 'center', valign: 'middle', fontFace: FONT, fontSize: 14, color: PALETTE.mist });
  }

  const line = { type: 'solid' as const, pt: 0.75, color: PALETTE.nebulaPurple };
  const none = { type: 'none' as const };
  const rows: TableRow[] = locationSpecs(location).map(([label, value]) => [
    { text: label, options: { color: PALETTE.mist, fontSize: 12, border: [none, none, line, none] } },
    { text: value, options: { color: PALETTE.white, fontSize: 14, bold: true, align: 'right', border: [none, none, line, none] } },
  ]);
  slide.addText('Specifications', { x: 9.1, y: 1.6, w: 3.7, h: 0.4, fontFace: FONT, fontSize: 14, bold: true, color: PALETTE.plasmaCyan });
  slide.addTable(rows, { x: 9.1, y: 2.1, w: 3.73, colW: [1.6, 2.13], rowH: 0.45, fontFace: FONT, valign: 'middle', margin: 0.04 });

  slide.addText(location.description, { x: 0.5, y: 6.75, w: 12.333, h: 0.5, fontFace: FONT, fontSize: 11, color: PALETTE.mist, valign: 'top', fit: 'shrink' });
}

/** Lines a text needs at `pt` in `widthIn` inches: a word-wrap estimate with Arial's average glyph width. */
function estimateLines(text: string, widthIn: number, pt: number): number {
  const perLine = Math.max(1, Math.floor((widthIn * 72) / (pt * 0.52)));
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (used === 0) used = word.length;
    else if (used + 1 + word.length <= perLine) used += 1 + word.length;
    else {
      lines++;
      used = word.length;
    }
    while (used > perLine) {
      lines++;
      used -= perLine;
    }
  }
  return lines;
}

interface FinancialLayout {
  rowHeights: number[];
  bodyPt: number;
  termsTop: number;
  termsPt: number;
}

/**
 * §1.6's rows are 0.9 in (reference), but a long description grows its row. Row heights are
 * estimated so the terms start 0.8 in (reference) below the real table — the original's wider
 * gap for combined slides made room for rows it did not measure. When table and terms would
 * overrun the slide, the terms shrink down to 8 pt × scale, then body text and rows shrink.
 */
function layoutFinancial(table: FinancialTable, terms: string[]): FinancialLayout {
  const valueWidth = (FIN.width - FIN.labelWidth) / table.columns;
  const gap = 0.8 * SCALE;
  const bottom = SLIDE_HEIGHT - 0.4; // clear of the proposal date
  const inner = (w: number) => w - 2 * FIN.cellMargin;
  let fallback: FinancialLayout | undefined;
  for (const shrink of [1, 0.9, 0.8, 0.7, 0.6]) {
    const bodyPt = Math.round(FIN.bodyPt * shrink * 4) / 4;
    const rowHeights = table.rows.map((row) => {
      const base = FIN.rowHeight * shrink;
      if (row.kind === 'header') return FIN.rowHeight;
      const pt = row.kind === 'total' ? FIN.totalPt : bodyPt;
      const lines = Math.max(
        estimateLines(row.label, inner(FIN.labelWidth), pt),
        ...row.values.map((v) => estimateLines(v.text, inner(valueWidth * v.span), pt)),
      );
      return Math.max(base, (lines * pt * 1.2) / 72 + 2 * FIN.cellMargin + 0.04);
    });
    const termsTop = FIN.y + rowHeights.reduce((a, b) => a + b, 0) + gap;
    for (let termsPt = FIN.termsMaxPt; termsPt >= FIN.termsMinPt - 1e-9; termsPt -= 0.25) {
      const lines = terms.reduce((n, t) => n + estimateLines(t, FIN.width - 0.4, termsPt), 0);
      if (termsTop + (lines * termsPt * 1.15 * 1.17) / 72 + 0.1 <= bottom) return { rowHeights, bodyPt, termsTop, termsPt };
    }
    fallback = { rowHeights, bodyPt, termsTop, termsPt: FIN.termsMinPt };
  }
  return fallback!;
}

function drawFinancial(slide: Slide, quote: Quote, table: FinancialTable, bar: Buffer): void {
  slide.background = { color: PALETTE.white };
  const terms = proposalTerms(quote);
  const layout = layoutFinancial(table, terms);
  const border = { type: 'solid' as const, pt: 2, color: PALETTE.black };
  const body: TableCellProps = { fontSize: layout.bodyPt, color: PALETTE.black, fill: { color: PALETTE.white }, align: 'center', valign: 'middle', border };
  const total: TableCellProps = { ...body, fontSize: FIN.totalPt, color: PALETTE.white, bold: true, fill: { color: PALETTE.totalGrey } };

  const rows: TableRow[] = table.rows.map((row) => {
    if (row.kind === 'header') {
      // No fill: the gradient bar drawn underneath shows through (§1.6).
      return [{ text: row.label, options: { colspan: table.columns + 1, fontSize: FIN.headerPt, bold: true, color: PALETTE.white, align: 'center', valign: 'middle', border } }];
    }
    const style = row.kind === 'total' ? total : body;
    return [
      { text: row.label, options: { ...style, bold: style.bold || row.kind === 'net_rate' } },
      ...row.values.map((v) => ({ text: v.text, options: v.span > 1 ? { ...style, colspan: v.span } : style })),
    ];
  });

  const valueWidth = (FIN.width - FIN.labelWidth) / table.columns;
  slide.addImage({ data: png(bar), x: FIN.x, y: FIN.y, w: FIN.width, h: layout.rowHeights[0] });
  slide.addTable(rows, {
    x: FIN.x, y: FIN.y, w: FIN.width,
    colW: [FIN.labelWidth, ...Array.from({ length: table.columns }, () => valueWidth)],
    rowH: layout.rowHeights,
    fontFace: FONT,
    margin: FIN.cellMargin,
  });

  slide.addText(terms.map((t) => ({ text: t, options: { bullet: true, breakLine: true } })), {
    x: FIN.x, y: layout.termsTop, w: FIN.width, h: Math.max(0.3, SLIDE_HEIGHT - 0.4 - layout.termsTop),
    fontFace: FONT, fontSize: layout.termsPt, color: PALETTE.black, valign: 'top', lineSpacingMultiple: 1.15, margin: 0,
  });
  slide.addText(`Proposal Date: ${formatProposalDate(quote.proposal_date)}`, {
    x: SLIDE_WIDTH - 3.8, y: SLIDE_HEIGHT - 0.35, w: 3.5, h: 0.25, align: 'right', valign: 'bottom',
    fontFace: FONT, fontSize: FIN.datePt, color: PALETTE.dateGrey, margin: 0,
  });
}
