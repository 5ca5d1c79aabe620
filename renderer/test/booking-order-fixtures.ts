// Booking-order documents as private.booking_order_document returns them, for the renderer's
// tests and bench. The figures follow the SQL rule set (rentals 504,000; DM fee 1,040;
// production 3,000; SLA 10 % of rentals; VAT 5 % of the full net), so they are the numbers a
// real order would carry, not round placeholders.
import type { BookingOrderDocument } from '../src/booking-order/document.ts';

export const AED = { code: 'AED', symbol: 'AED', symbol_position: 'suffix', decimals: 2 } as const;
export const USD = { code: 'USD', symbol: '$', symbol_position: 'prefix', decimals: 2 } as const;

/** Three Dubai screens, two sharing a start date, SLA 10 %: a draft waiting for the coordinator. */
export function emaarDraft(): BookingOrderDocument {
  return {
    booking_order_id: '5b0c3d1e-8a41-4c55-9a57-1f2e3d4c5b6a',
    owner_id: '0f1e2d3c-4b5a-4697-8877-665544332211',
    company: { slug: 'backlite_dubai', name: 'Backlite Dubai', brand: 'backlite', brand_name: 'Backlite' },
    final: false,
    bo_ref: null,
    fields: {
      bo_number: 'EM/2026/118',
      bo_date: '15th November 2026',
      client: 'Emaar Properties',
      agency: 'Starcom MENA',
      brand_campaign: 'Dubai Hills Estate',
      category: 'Real Estate',
      assets: ['DXB-GW', 'DXB-MM', 'DXB-BB'],
      payment_terms: '60 days PDC',
      sales_person: 'Karim Saleh',
      commission_pct: '0.1500',
      sla_pct: '0.1000',
      notes: 'Launch flight',
    },
    currency: { ...AED },
    figures: {
      gross_amount: '533442.00',
      sla_deduction: '50400.00',
      production_upload_fee: '3000.00',
      municipality_fee: '1040.00',
      vat_amount: '25402.00',
      net_pre_vat: '508040.00',
      net_excl_sla: '457640.00',
      rental_total: '504000.00',
    },
    items: [
      {
        position: 1, name: 'The Dubai Gateway', asset: 'DXB-GW', start_date: '1st December 2026', end_date: '14th December 2026',
        campaign_duration: '2 weeks', net_amount: '250000.00', post_sla_amount: '225000.00',
      },
      {
        position: 2, name: 'Dubai Marina Mega Screen', asset: 'DXB-MM', start_date: '1st December 2026', end_date: '28th December 2026',
        campaign_duration: '1 month', net_amount: '180000.50', post_sla_amount: '162000.45',
      },
      {
        position: 3, name: 'Business Bay Crossing', asset: 'DXB-BB', start_date: '1st January 2027', end_date: '14th January 2027',
        campaign_duration: '2 weeks', net_amount: '73999.50', post_sla_amount: '66599.55',
      },
    ],
    approval: null,
    source_document: { bucket: 'uploads', path: '0f1e2d3c-4b5a-4697-8877-665544332211/bo/emaar.pdf', mime_type: 'application/pdf', filename: 'Emaar BO 118.pdf' },
  };
}

/** The same order approved by the head of sales: reference, signature, approval date. */
export function emaarFinal(): BookingOrderDocument {
  return {
    ...emaarDraft(),
    final: true,
    bo_ref: 'BO-2026-0042',
    approval: { hos_name: 'Tariq Aziz', approved_on: '22-11-2026' },
  };
}

/** In US dollars, one location at zero (a bonus board) that the splits leave out, no SLA. */
export function usdDraft(): BookingOrderDocument {
  const doc = emaarDraft();
  return {
    ...doc,
    fields: { ...doc.fields, bo_number: 'DPD-7781', client: 'Café Société Group', sla_pct: '0.0000', commission_pct: '0.1250' },
    currency: { ...USD },
    figures: {
      gross_amount: '29597.28',
      sla_deduction: '0.00',
      production_upload_fee: '850.00',
      municipality_fee: null,
      vat_amount: '1409.39',
      net_pre_vat: '28187.89',
      net_excl_sla: '28187.89',
      rental_total: '27337.89',
    },
    items: [
      { ...doc.items[0], net_amount: '17337.89', post_sla_amount: '17337.89' },
      { ...doc.items[1], net_amount: '10000.00', post_sla_amount: '10000.00' },
      { ...doc.items[2], name: 'Bonus board', net_amount: '0.00', post_sla_amount: '0.00' },
    ],
  };
}

/**
 * A client's order as a PDF made with pdf-lib: a text body on A4 pages, and solid blocks in the
 * corners named (so they hold ink), optionally with the first page turned by /Rotate.
 */
export async function clientOrderPdf(options: { pages?: number; inkedCorners?: string[]; rotate?: number } = {}): Promise<Buffer> {
  const { PDFDocument, StandardFonts, degrees, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const [w, h] = [595.28, 841.89];
  for (let n = 1; n <= (options.pages ?? 2); n++) {
    const page = doc.addPage([w, h]);
    page.drawText(`CLIENT PURCHASE ORDER page ${n}`, { x: 150, y: h - 200, size: 16, font });
    for (let line = 0; line < 12; line++) {
      page.drawText(`Line ${line + 1}: outdoor media booking, net rental as agreed`, { x: 150, y: h - 240 - line * 18, size: 10, font });
    }
    if (n === 1) {
      for (const corner of options.inkedCorners ?? []) {
        const x = corner.endsWith('right') ? w - 230 : 10;
        const y = corner.startsWith('bottom') ? 10 : h - 150;
        page.drawRectangle({ x, y, width: 220, height: 140, color: rgb(0.1, 0.1, 0.1) });
      }
      if (options.rotate) page.setRotation(degrees(options.rotate));
    }
  }
  return Buffer.from(await doc.save());
}

/** A standard GIF LZW encoder: greedy longest match, width grows as codes are assigned. */
function lzw(indices: Uint8Array, minCodeSize: number): Buffer {
  const clear = 1 << minCodeSize;
  const out: number[] = [];
  let bits = 0;
  let count = 0;
  let width = minCodeSize + 1;
  const emit = (code: number) => {
    bits |= code << count;
    count += width;
    while (count >= 8) {
      out.push(bits & 0xff);
      bits >>>= 8;
      count -= 8;
    }
  };
  let dict = new Map<string, number>();
  let next = clear + 2;
  emit(clear);
  let w = String(indices[0]);
  for (let i = 1; i < indices.length; i++) {
    const wc = `${w},${indices[i]}`;
    if (dict.has(wc)) {
      w = wc;
      continue;
    }
    emit(w.includes(',') ? dict.get(w)! : Number(w));
    if (next < 4096) {
      dict.set(wc, next++);
      if (next > 1 << width && width < 12) width++;
    } else {
      emit(clear);
      dict = new Map();
      next = clear + 2;
      width = minCodeSize + 1;
    }
    w = String(indices[i]);
  }
  emit(w.includes(',') ? dict.get(w)! : Number(w));
  emit(clear + 1);
  if (count > 0) out.push(bits & 0xff);
  return Buffer.from(out);
}

/** A one-frame GIF89a: global palette, optional transparency, a comment extension the decoder must skip. */
export function gif(width: number, height: number, palette: number[][], indices: Uint8Array, opts: { interlaced?: boolean; transparent?: number } = {}): Buffer {
  const bitsPerEntry = Math.max(1, Math.ceil(Math.log2(palette.length)));
  const table = Buffer.alloc(3 * (1 << bitsPerEntry));
  palette.forEach((c, i) => table.set(c, i * 3));
  let stream = indices;
  if (opts.interlaced) {
    const order: number[] = [];
    for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) for (let y = start; y < height; y += step) order.push(y);
    stream = new Uint8Array(indices.length);
    order.forEach((y, row) => stream.set(indices.subarray(y * width, (y + 1) * width), row * width));
  }
  const minCodeSize = Math.max(2, bitsPerEntry);
  const data = lzw(stream, minCodeSize);
  const blocks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.subarray(i, i + 255);
    blocks.push(Buffer.from([chunk.length]), chunk);
  }
  const word = (n: number) => Buffer.from([n & 0xff, n >> 8]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'), word(width), word(height), Buffer.from([0x80 | (bitsPerEntry - 1), 0, 0]), table,
    ...(opts.transparent === undefined ? [] : [Buffer.from([0x21, 0xf9, 4, 0x01, 0, 0, opts.transparent, 0])]),
    Buffer.from([0x21, 0xfe, 3]), Buffer.from('MMG', 'latin1'), Buffer.from([0]), // a comment extension to skip
    Buffer.from([0x2c]), word(0), word(0), word(width), word(height), Buffer.from([opts.interlaced ? 0x40 : 0]),
    Buffer.from([minCodeSize]), ...blocks, Buffer.from([0, 0x3b]),
  ]);
}
