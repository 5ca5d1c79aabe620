// The booking-order workbook read back with exceljs, cell by cell against spec §3.7: labels in
// A and D, values in B and E on rows 11–29, merged blocks, money as numbers with the
// currency's own format (AED suffix, USD prefix), grouped dates and durations, post-SLA splits
// with zero amounts left out, the head of sales' signature in italics only once approved, and
// rows that grow with their lines. Plus the decimal helpers the cells rely on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { parseBookingOrderDocument } from '../src/booking-order/document.ts';
import { documentFileStem, documentFolder } from '../src/booking-order/file-names.ts';
import { groupedLines, locationSplitLines } from '../src/booking-order/grouping.ts';
import { cellNumber, excelMoneyFormat, excelPercentFormat, formatAmount, formatMoney, roundDecimal } from '../src/booking-order/money.ts';
import { buildBookingOrderWorkbook, SHEET_NAME } from '../src/booking-order/workbook.ts';
import type { BookingOrderDocument } from '../src/booking-order/document.ts';
import { AED, emaarDraft, emaarFinal, USD, usdDraft } from './booking-order-fixtures.ts';

async function sheetOf(doc: BookingOrderDocument): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  // exceljs types its input as its own Buffer interface (an ArrayBuffer); Node's Buffer is what it reads.
  await wb.xlsx.load((await buildBookingOrderWorkbook(doc)) as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet(SHEET_NAME);
  assert.ok(ws, 'the workbook has the booking-order sheet');
  return ws;
}

function textOf(cell: ExcelJS.Cell): string | null {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return String(v);
}

const merges = (ws: ExcelJS.Worksheet): string[] => (ws.model as unknown as { merges: string[] }).merges;

describe('booking-order workbook (spec §3.7)', () => {
  it('puts every label in A and D and every value in B and E on rows 11–29', async () => {
    const ws = await sheetOf(emaarFinal());
    const expected: Array<[number, string, string]> = [
      [11, 'Agency', 'BO No.'],
      [13, 'Client', 'BO Date'],
      [15, 'Brand/Campaign', 'Asset'],
      [17, 'Start Date', 'End date'],
      [19, 'Campaign Duration', 'Category'],
      [21, 'Gross amount', 'SLA'],
      [23, 'Production/Upload Cost', 'DM Fee'],
      [25, 'VAT', 'Payment terms'],
      [27, 'Net excl. VAT', 'Sales Person name'],
      [29, 'Net excl. SLA', 'Commission %'],
    ];
    for (const [row, left, right] of expected) {
      assert.equal(ws.getCell(`A${row}`).value, left, `A${row}`);
      assert.equal(ws.getCell(`D${row}`).value, right, `D${row}`);
      assert.equal(ws.getCell(`A${row}`).font?.bold, true, `A${row} is a bold label`);
    }
    assert.equal(ws.getCell('A9').value, 'Booking Order Form');
    assert.equal(ws.getCell('B11').value, 'Starcom MENA');
    assert.equal(ws.getCell('E11').value, 'EM/2026/118');
    assert.equal(ws.getCell('B13').value, 'Emaar Properties');
    assert.equal(ws.getCell('E13').value, '15th November 2026');
    assert.equal(ws.getCell('B15').value, 'Dubai Hills Estate');
    assert.equal(ws.getCell('E15').value, 'DXB-GW, DXB-MM, DXB-BB', 'assets joined with ", "');
    assert.equal(ws.getCell('E19').value, 'Real Estate');
    assert.equal(ws.getCell('E25').value, '60 days PDC');
    assert.equal(ws.getCell('E27').value, 'Karim Saleh');
    assert.equal(ws.getCell('A39').value, 'Head of Sales Signature');
    assert.deepEqual([42, 44, 46].map((r) => ws.getCell(`A${r}`).value), ['Finance Dept. Reference', 'Posted date', 'Approved by']);
    assert.deepEqual([42, 44, 46].map((r) => ws.getCell(`B${r}`).value), [null, null, null], 'finance fields are left blank');
  });

  it('groups start dates, end dates and durations by value, naming the locations that share one', async () => {
    const ws = await sheetOf(emaarDraft());
    assert.equal(ws.getCell('B17').value,
      'The Dubai Gateway & Dubai Marina Mega Screen: 1st December 2026\nBusiness Bay Crossing: 1st January 2027');
    assert.equal(ws.getCell('E17').value,
      'The Dubai Gateway: 14th December 2026\nDubai Marina Mega Screen: 28th December 2026\nBusiness Bay Crossing: 14th January 2027');
    assert.equal(ws.getCell('B19').value, 'The Dubai Gateway & Business Bay Crossing: 2 weeks\nDubai Marina Mega Screen: 1 month');
  });

  it('writes money as numbers with an AED suffix format, SLA as an amount, commission as a percentage', async () => {
    const ws = await sheetOf(emaarFinal());
    const money: Array<[string, number]> = [
      ['B21', 533442], ['E21', 50400], ['B23', 3000], ['E23', 1040], ['B25', 25402], ['B27', 508040], ['B29', 457640],
    ];
    for (const [address, value] of money) {
      assert.equal(ws.getCell(address).value, value, `${address} holds the number`);
      assert.equal(ws.getCell(address).numFmt, '#,##0.00" AED"', `${address} is formatted as AED after the amount`);
    }
    assert.equal(ws.getCell('E29').value, 0.15);
    assert.equal(ws.getCell('E29').numFmt, '0%');
  });

  it('uses a prefix format for US dollars, leaves a missing fee empty and shows 12.5 % with its decimal', async () => {
    const ws = await sheetOf(usdDraft());
    assert.equal(ws.getCell('B21').value, 29597.28);
    assert.equal(ws.getCell('B21').numFmt, '"$"#,##0.00');
    assert.equal(ws.getCell('E21').value, 0, 'no SLA: the SLA amount is a real zero');
    assert.equal(ws.getCell('E23').value, null, 'no municipality fee stated: the cell stays empty');
    assert.equal(ws.getCell('E29').value, 0.125);
    assert.equal(ws.getCell('E29').numFmt, '0.0%');
  });

  it('merges the title, the location splits and the signature line', async () => {
    const ws = await sheetOf(emaarFinal());
    for (const range of ['A9:E9', 'A32:E37', 'B39:E39']) assert.ok(merges(ws).includes(range), `${range} is merged: ${merges(ws).join(' ')}`);
  });

  it('lists the post-SLA amount of each location when the order has an SLA', async () => {
    const ws = await sheetOf(emaarDraft());
    assert.equal(textOf(ws.getCell('A32')), [
      'Location splits excl SLA:',
      '1. The Dubai Gateway - 225,000.00 AED',
      '2. Dubai Marina Mega Screen - 162,000.45 AED',
      '3. Business Bay Crossing - 66,599.55 AED',
    ].join('\n'));
  });

  it('lists net amounts without an SLA and never a location at zero', async () => {
    const ws = await sheetOf(usdDraft());
    const splits = textOf(ws.getCell('A32'))!;
    assert.equal(splits, 'Location splits excl SLA:\n1. The Dubai Gateway - $17,337.89\n2. Dubai Marina Mega Screen - $10,000.00');
    assert.ok(!splits.includes('Bonus board'), 'the zero-amount board is left out');
  });

  it('signs with the head of sales in italics only once approved, and says draft before', async () => {
    const final = await sheetOf(emaarFinal());
    assert.equal(final.getCell('B39').value, 'Tariq Aziz');
    assert.equal(final.getCell('B39').font?.italic, true);
    assert.equal(final.getCell('B4').value, 'BO-2026-0042');
    const draft = await sheetOf(emaarDraft());
    assert.equal(draft.getCell('B39').value, null, 'no signature before the head of sales approves');
    assert.match(String(draft.getCell('B4').value), /^Draft/);
  });

  it('grows rows with their line count, the split block with its locations', async () => {
    const ws = await sheetOf(emaarDraft());
    assert.ok(ws.getRow(17).height >= 3 * 15, `three end-date lines need three lines of height, got ${ws.getRow(17).height}`);
    assert.ok(ws.getRow(11).height < ws.getRow(17).height, 'a one-line row stays lower');

    const many = emaarDraft();
    many.items = Array.from({ length: 30 }, (_, i) => ({ ...many.items[0], position: i + 1, name: `Location ${String(i + 1).padStart(2, '0')}` }));
    const long = await sheetOf(many);
    const block = [32, 33, 34, 35, 36, 37].reduce((sum, r) => sum + long.getRow(r).height, 0);
    assert.ok(block >= 31 * 15, `31 lines need at least 465 pt across rows 32–37, got ${block}`);
    assert.match(textOf(long.getCell('A32'))!, /\n30\. Location 30 - 225,000\.00 AED$/);
  });

  it('prints on A4, one page wide', async () => {
    const ws = await sheetOf(emaarDraft());
    assert.equal(ws.pageSetup.paperSize, 9);
    assert.equal(ws.pageSetup.fitToWidth, 1);
    assert.equal(ws.pageSetup.printArea, 'A1:E46');
  });
});

describe('booking-order money and lines', () => {
  it('formats decimal strings without floats, rounding half away from zero', () => {
    assert.equal(formatAmount('1234567.5', 2), '1,234,567.50');
    assert.equal(formatAmount('999.995', 2), '1,000.00');
    assert.equal(formatAmount('0', 2), '0.00');
    assert.equal(roundDecimal('-2.345', 2), '-2.35');
    assert.equal(roundDecimal('2.5', 0), '3');
    assert.equal(formatMoney('29597.28', USD), '$29,597.28');
    assert.equal(formatMoney('1234', AED), '1,234.00 AED');
    assert.throws(() => formatAmount('1e5', 2), /not a decimal/);
  });

  it('builds Excel formats from the currency metadata', () => {
    assert.equal(excelMoneyFormat(AED), '#,##0.00" AED"');
    assert.equal(excelMoneyFormat(USD), '"$"#,##0.00');
    assert.equal(excelMoneyFormat({ code: 'JPY', symbol: '¥', symbol_position: 'prefix', decimals: 0 }), '"¥"#,##0');
    assert.equal(excelPercentFormat('0.1000'), '0%');
    assert.equal(excelPercentFormat('0.1250'), '0.0%');
    assert.equal(excelPercentFormat('0.1234'), '0.00%');
  });

  it('turns the largest numeric(14,2) amounts into cell numbers that print back the same digits', () => {
    for (const amount of ['999999999999.99', '123456789012.34', '0.01', '533442.00']) {
      assert.equal(cellNumber(amount).toFixed(2), amount);
    }
  });

  it('shows a single shared value without names, and names missing ones by position', () => {
    const doc = emaarDraft();
    assert.deepEqual(groupedLines(doc.items, () => '1st March 2025'), ['1st March 2025']);
    const unnamed = doc.items.map((item, i) => ({ ...item, name: null, asset: i === 0 ? 'UAE02' : null }));
    assert.deepEqual(groupedLines(unnamed, (i) => (i.position < 3 ? '1st March 2025' : null)), ['UAE02 & Location 2: 1st March 2025']);
    assert.deepEqual(locationSplitLines(doc.items, null, AED).length, 3, 'no SLA stated: net amounts');
  });

  it('names draft and final files, and keeps each version in its own folder', () => {
    assert.equal(documentFileStem(emaarDraft()), 'BO Draft - Emaar Properties - BACKLITE');
    assert.equal(documentFileStem(usdDraft()), 'BO Draft - Cafe Societe Group - BACKLITE', 'accents folded');
    assert.equal(documentFileStem(emaarFinal()), 'EM_2026_118', 'the client BO number, sanitised');
    const noNumber = emaarFinal();
    noNumber.fields.bo_number = '///';
    assert.equal(documentFileStem(noNumber), 'BO-2026-0042', 'our reference when the BO number has nothing usable');
    const hostile = emaarDraft();
    hostile.fields.client = '../../etc/passwd & Co';
    assert.ok(!documentFileStem(hostile).includes('/'), 'no path separator from a client name');
    assert.equal(documentFolder(emaarDraft(), 3), 'backlite_dubai/5b0c3d1e-8a41-4c55-9a57-1f2e3d4c5b6a/v3/');
    assert.throws(() => documentFolder(emaarDraft(), 0), /version/);
  });

  it('refuses a document whose money is not a decimal string', () => {
    const raw = JSON.parse(JSON.stringify(emaarDraft()));
    assert.equal(parseBookingOrderDocument(raw).figures.gross_amount, '533442.00');
    raw.figures.gross_amount = 533442;
    assert.throws(() => parseBookingOrderDocument(raw), /figures\.gross_amount must be a decimal string/);
    const final = JSON.parse(JSON.stringify(emaarFinal()));
    final.approval = null;
    assert.throws(() => parseBookingOrderDocument(final), /final document needs its approval/);
  });
});
