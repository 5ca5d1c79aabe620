// Writes the booking-order fixtures of the tests — a real Excel workbook (exceljs) and a real
// text PDF (pdf-lib), the two kinds of file sales people upload — so their bytes are what
// Excel and PDF writers produce. Run again after changing the content:
//   node_modules/.bin/deno run -A supabase/functions/_shared/booking_orders/testing/make_fixtures.ts
// Only this dev tool needs the two writers, so they are not in deno.json's shared import map.
// deno-lint-ignore no-import-prefix
import ExcelJS from 'npm:exceljs@4.4.0';
// deno-lint-ignore no-import-prefix
import { PDFDocument, StandardFonts } from 'npm:pdf-lib@1.17.1';

const here = new URL('.', import.meta.url);

async function workbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Horizon Media';
  const sheet = book.addWorksheet('Booking Order');
  sheet.columns = [{ width: 34 }, { width: 16 }, { width: 16 }, { width: 18 }];
  const rows: Array<Array<string | number | Date>> = [
    ['BOOKING ORDER'],
    [],
    ['Agency', 'Horizon Media FZ-LLC'],
    ['Client', 'Emaar Properties PJSC'],
    ['Campaign', 'Dubai Hills Estate Launch'],
    ['BO Ref', 'HMZ-0417'],
    ['BO Date', '12/11/2026'],
    ['Media owner', 'Backlite Dubai'],
    ['Payment terms', '60 days PDC'],
    ['Sales person', 'karim saleh'],
    [],
    ['Location', 'Start', 'End', 'Net rate (AED)'],
    ['The Dubai Gateway', '01/12/2026', '28/12/2026', 250000],
    ['Business Bay Crossing', '01/12/2026', '14/12/2026', 90000],
    [],
    ['Upload fee (digital)', '', '', 5000],
    ['Municipality fee', '', '', 3400],
    ['Net (excl. VAT)', '', '', 348400],
    ['VAT 5%', '', '', 17420],
    ['Gross', '', '', 365820],
    ['SLA', '10%'],
  ];
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.getRow(12).font = { bold: true };
  for (const r of [13, 14, 16, 17, 18, 19, 20]) sheet.getCell(`D${r}`).numFmt = '#,##0.00';
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function pdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Purchase order PO-7781');
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const lines: Array<[string, boolean]> = [
    ['PURCHASE ORDER PO-7781', true],
    ['Date: 20/11/2026', false],
    ['To: Backlite Dubai (media owner)', false],
    ['Client: Al Futtaim Motors LLC', false],
    ['Campaign: Lexus RX Launch', false],
    ['Agency: none (direct client)', false],
    ['', false],
    ['Location                                   Dates                       Net (AED)', true],
    ['Sheikh Zayed Road Unipole North    05/01/2027 - 04/02/2027     120,000.00', false],
    ['Deira Creek Screen                        05/01/2027 - 18/01/2027      40,000.00', false],
    ['', false],
    ['Production fee (static): AED 6,500.00', false],
    ['Upload fee (digital): AED 1,500.00', false],
    ['Net before VAT: AED 168,000.00', false],
    ['VAT (5%): AED 8,400.00', false],
    ['Gross total: AED 176,400.00', false],
    ['Payment: 100% upfront', false],
  ];
  let y = 790;
  for (const [text, strong] of lines) {
    page.drawText(text, { x: 50, y, size: 11, font: strong ? bold : font });
    y -= 20;
  }
  return await doc.save();
}

await Deno.writeFile(new URL('booking_order.xlsx', here), await workbook());
await Deno.writeFile(new URL('purchase_order.pdf', here), await pdf());
console.log('wrote booking_order.xlsx and purchase_order.pdf');
