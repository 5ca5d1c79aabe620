// The booking-order workbook (spec §3.7). The original filled in an .xlsx template per brand;
// here the template is code, so the layout lives in one reviewed place: labels in columns A and
// D, values in B and E, rows 9–46 as the spec lists them, the header above row 9 naming the
// brand. Money cells hold numbers with the currency's own Excel format; the grouped lines and
// the location splits are text whose rows grow with their line count.
import ExcelJS from 'exceljs';
import type { BookingOrderDocument, Decimal } from './document.ts';
import { groupedLines, locationSplitLines } from './grouping.ts';
import { cellNumber, excelMoneyFormat, excelPercentFormat } from './money.ts';

export const SHEET_NAME = 'Booking Order';
export const LAST_ROW = 46;

const FONT_NAME = 'Arial';
const INK = 'FF1F2937';
const ACCENT = 'FF1F3A5F';
const RULE = 'FFBFBFBF';
/** Column widths in characters: A label, B value, C gap, D label, E value. */
const WIDTHS = [24, 40, 2, 22, 40] as const;
/** Points per line of 10 pt text (the spec allows 15–20). */
const LINE_PT = 15;
const MIN_ROW_PT = 20;

type Value =
  | { kind: 'text'; text: string | null }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'money'; amount: Decimal | null }
  | { kind: 'percent'; fraction: Decimal | null };

const text = (t: string | null): Value => ({ kind: 'text', text: t });
const lines = (l: string[]): Value => ({ kind: 'lines', lines: l });
const money = (amount: Decimal | null): Value => ({ kind: 'money', amount });
const percent = (fraction: Decimal | null): Value => ({ kind: 'percent', fraction });

interface FieldRow {
  row: number;
  left: [label: string, value: Value];
  right: [label: string, value: Value];
}

/** The label/value rows 11–29 of §3.7, in one table. */
function fieldRows(doc: BookingOrderDocument): FieldRow[] {
  const f = doc.fields;
  const n = doc.figures;
  return [
    { row: 11, left: ['Agency', text(f.agency)], right: ['BO No.', text(f.bo_number)] },
    { row: 13, left: ['Client', text(f.client)], right: ['BO Date', text(f.bo_date)] },
    { row: 15, left: ['Brand/Campaign', text(f.brand_campaign)], right: ['Asset', text(f.assets.length ? f.assets.join(', ') : null)] },
    {
      row: 17,
      left: ['Start Date', lines(groupedLines(doc.items, (i) => i.start_date))],
      right: ['End date', lines(groupedLines(doc.items, (i) => i.end_date))],
    },
    { row: 19, left: ['Campaign Duration', lines(groupedLines(doc.items, (i) => i.campaign_duration))], right: ['Category', text(f.category)] },
    { row: 21, left: ['Gross amount', money(n.gross_amount)], right: ['SLA', money(n.sla_deduction)] },
    { row: 23, left: ['Production/Upload Cost', money(n.production_upload_fee)], right: ['DM Fee', money(n.municipality_fee)] },
    { row: 25, left: ['VAT', money(n.vat_amount)], right: ['Payment terms', text(f.payment_terms)] },
    { row: 27, left: ['Net excl. VAT', money(n.net_pre_vat)], right: ['Sales Person name', text(f.sales_person)] },
    { row: 29, left: ['Net excl. SLA', money(n.net_excl_sla ?? n.net_pre_vat)], right: ['Commission %', percent(f.commission_pct)] },
  ];
}

/** Lines a value takes in a column of `width` characters, counting wrapped long lines. */
export function lineCount(value: string, width: number): number {
  return value.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / width)), 0);
}

export function rowHeight(lineTotal: number): number {
  return Math.max(MIN_ROW_PT, lineTotal * LINE_PT + 5);
}

function font(extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
  return { name: FONT_NAME, size: 10, color: { argb: INK }, ...extra };
}

const underline: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: RULE } } };

function writeLabel(cell: ExcelJS.Cell, label: string): void {
  cell.value = label;
  cell.font = font({ bold: true });
  cell.alignment = { vertical: 'top', wrapText: true };
}

/** Writes a value cell and returns how many lines it shows. */
function writeValue(cell: ExcelJS.Cell, value: Value, doc: BookingOrderDocument, width: number): number {
  cell.font = font();
  cell.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  cell.border = underline;
  switch (value.kind) {
    case 'text':
      cell.value = value.text;
      return value.text ? lineCount(value.text, width) : 1;
    case 'lines': {
      const joined = value.lines.join('\n');
      cell.value = joined || null;
      return joined ? lineCount(joined, width) : 1;
    }
    case 'money':
      if (value.amount !== null) {
        cell.value = cellNumber(value.amount);
        cell.numFmt = excelMoneyFormat(doc.currency);
      }
      return 1;
    case 'percent':
      if (value.fraction !== null) {
        cell.value = cellNumber(value.fraction);
        cell.numFmt = excelPercentFormat(value.fraction);
      }
      return 1;
  }
}

function writeHeader(ws: ExcelJS.Worksheet, doc: BookingOrderDocument): void {
  ws.mergeCells('A1:E1');
  const brand = ws.getCell('A1');
  brand.value = doc.company.brand_name.toUpperCase();
  brand.font = font({ size: 20, bold: true, color: { argb: ACCENT } });
  brand.alignment = { vertical: 'middle', horizontal: 'left' };
  ws.getRow(1).height = 30;

  ws.mergeCells('A2:E2');
  const company = ws.getCell('A2');
  company.value = doc.company.name;
  company.font = font({ size: 11, color: { argb: 'FF6B7280' } });

  writeLabel(ws.getCell('A4'), 'Reference');
  writeValue(ws.getCell('B4'), text(doc.final ? doc.bo_ref : 'Draft — not yet approved'), doc, WIDTHS[1]);
  writeLabel(ws.getCell('D4'), 'Currency');
  writeValue(ws.getCell('E4'), text(doc.currency.code), doc, WIDTHS[4]);
  if (doc.final && doc.approval) {
    writeLabel(ws.getCell('A6'), 'Approved on');
    writeValue(ws.getCell('B6'), text(doc.approval.approved_on), doc, WIDTHS[1]);
  }

  ws.mergeCells('A9:E9');
  const title = ws.getCell('A9');
  title.value = 'Booking Order Form';
  title.font = font({ size: 14, bold: true, color: { argb: ACCENT } });
  title.alignment = { vertical: 'middle', horizontal: 'center' };
  title.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF1F5F9' } };
  title.border = { top: { style: 'thin', color: { argb: ACCENT } }, bottom: { style: 'thin', color: { argb: ACCENT } } };
  ws.getRow(9).height = 26;
}

/** Rows 32–37: one merged block, "Location splits excl SLA:" and a line per location. */
function writeSplits(ws: ExcelJS.Worksheet, doc: BookingOrderDocument): void {
  ws.mergeCells('A32:E37');
  const block = ws.getCell('A32');
  const splits = locationSplitLines(doc.items, doc.fields.sla_pct, doc.currency);
  block.value = {
    richText: [
      { text: 'Location splits excl SLA:', font: font({ bold: true }) },
      ...(splits.length ? [{ text: `\n${splits.join('\n')}`, font: font() }] : []),
    ],
  };
  block.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  const edge = { style: 'thin' as const, color: { argb: RULE } };
  block.border = { top: edge, left: edge, bottom: edge, right: edge };
  const width = WIDTHS.reduce((a, b) => a + b, 0);
  const total = 1 + splits.reduce((sum, line) => sum + lineCount(line, width), 0);
  // The six rows share the block's height; each grows once the lines need more than 6 × 15 pt.
  const perRow = Math.max(LINE_PT, Math.ceil((total * LINE_PT + 5) / 6));
  for (let r = 32; r <= 37; r++) ws.getRow(r).height = perRow;
}

function writeSignatureAndFinance(ws: ExcelJS.Worksheet, doc: BookingOrderDocument): void {
  writeLabel(ws.getCell('A39'), 'Head of Sales Signature');
  ws.mergeCells('B39:E39');
  const signature = ws.getCell('B39');
  signature.value = doc.final ? (doc.approval?.hos_name ?? null) : null;
  signature.font = font({ italic: true, size: 12 });
  signature.alignment = { vertical: 'bottom', horizontal: 'left' };
  signature.border = underline;
  ws.getRow(39).height = 26;

  for (const [row, label] of [[42, 'Finance Dept. Reference'], [44, 'Posted date'], [46, 'Approved by']] as const) {
    writeLabel(ws.getCell(`A${row}`), label);
    ws.getCell(`B${row}`).border = underline;
    ws.getRow(row).height = MIN_ROW_PT;
  }
}

/** The workbook of one booking-order version, as .xlsx bytes. */
export async function buildBookingOrderWorkbook(doc: BookingOrderDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MMG sales platform';
  wb.title = doc.final && doc.bo_ref ? `Booking order ${doc.bo_ref}` : `Booking order draft – ${doc.fields.client ?? 'unknown client'}`;
  const ws = wb.addWorksheet(SHEET_NAME, {
    views: [{ showGridLines: false }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages as a long list of locations needs
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printArea: `A1:E${LAST_ROW}`,
    },
    headerFooter: { oddFooter: `&L${(doc.final && doc.bo_ref) || 'Draft'}&RPage &P of &N` },
  });
  WIDTHS.forEach((width, i) => (ws.getColumn(i + 1).width = width));

  writeHeader(ws, doc);
  for (const { row, left, right } of fieldRows(doc)) {
    writeLabel(ws.getCell(`A${row}`), left[0]);
    writeLabel(ws.getCell(`D${row}`), right[0]);
    const used = Math.max(
      writeValue(ws.getCell(`B${row}`), left[1], doc, WIDTHS[1]),
      writeValue(ws.getCell(`E${row}`), right[1], doc, WIDTHS[4]),
    );
    ws.getRow(row).height = rowHeight(used);
  }
  writeSplits(ws, doc);
  writeSignatureAndFinance(ws, doc);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
