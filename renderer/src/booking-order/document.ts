// What one version of a booking order's documents shows, exactly as the database hands it over
// (private.booking_order_document, through public.booking_order_render_input). Money arrives
// as decimal strings and stays text until a workbook cell needs a number. A document that
// breaks this shape is a bug between the database and the renderer: it fails the job for good.

export class BookingOrderDocumentError extends Error {
  constructor(message: string) {
    super(`booking-order document: ${message}`);
    this.name = 'BookingOrderDocumentError';
  }
}

/** A decimal as Postgres prints numeric: optional minus, digits, optional fraction. */
export type Decimal = string;

export interface BookingOrderCurrency {
  code: string;
  symbol: string;
  symbol_position: 'prefix' | 'suffix';
  decimals: number;
}

export interface BookingOrderItem {
  position: number;
  name: string | null;
  asset: string | null;
  /** Display dates, "1st March 2025". */
  start_date: string | null;
  end_date: string | null;
  campaign_duration: string | null;
  net_amount: Decimal | null;
  post_sla_amount: Decimal | null;
}

export interface BookingOrderDocument {
  booking_order_id: string;
  owner_id: string;
  company: { slug: string; name: string; brand: string; brand_name: string };
  /** Approved by the head of sales: reference, signature and stamp. */
  final: boolean;
  bo_ref: string | null;
  fields: {
    bo_number: string | null;
    bo_date: string | null;
    client: string | null;
    agency: string | null;
    brand_campaign: string | null;
    category: string | null;
    assets: string[];
    payment_terms: string | null;
    sales_person: string | null;
    commission_pct: Decimal | null;
    sla_pct: Decimal | null;
    notes: string | null;
  };
  currency: BookingOrderCurrency;
  figures: {
    gross_amount: Decimal | null;
    sla_deduction: Decimal | null;
    production_upload_fee: Decimal | null;
    municipality_fee: Decimal | null;
    vat_amount: Decimal | null;
    net_pre_vat: Decimal | null;
    net_excl_sla: Decimal | null;
    rental_total: Decimal | null;
  };
  items: BookingOrderItem[];
  /** Present once approved. */
  approval: { hos_name: string | null; approved_on: string } | null;
  /** The uploaded original the order was extracted from, when it still exists. */
  source_document: { bucket: string; path: string; mime_type: string | null; filename: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BookingOrderDocumentError(`${where} must be an object`);
  return value as Json;
}

function text(value: unknown, where: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new BookingOrderDocumentError(`${where} must be text or null`);
  return value.trim() === '' ? null : value;
}

function requiredText(value: unknown, where: string): string {
  const t = text(value, where);
  if (t === null) throw new BookingOrderDocumentError(`${where} is required`);
  return t;
}

function decimal(value: unknown, where: string): Decimal | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new BookingOrderDocumentError(`${where} must be a decimal string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function uuid(value: unknown, where: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new BookingOrderDocumentError(`${where} must be a UUID`);
  return value.toLowerCase();
}

function parseItem(value: unknown, i: number): BookingOrderItem {
  const o = object(value, `items[${i}]`);
  const position = o.position;
  if (!Number.isInteger(position) || (position as number) < 1) throw new BookingOrderDocumentError(`items[${i}].position must be a whole number ≥ 1`);
  return {
    position: position as number,
    name: text(o.name, `items[${i}].name`),
    asset: text(o.asset, `items[${i}].asset`),
    start_date: text(o.start_date, `items[${i}].start_date`),
    end_date: text(o.end_date, `items[${i}].end_date`),
    campaign_duration: text(o.campaign_duration, `items[${i}].campaign_duration`),
    net_amount: decimal(o.net_amount, `items[${i}].net_amount`),
    post_sla_amount: decimal(o.post_sla_amount, `items[${i}].post_sla_amount`),
  };
}

export function parseBookingOrderDocument(value: unknown): BookingOrderDocument {
  const o = object(value, 'the document');
  const company = object(o.company, 'company');
  const fields = object(o.fields, 'fields');
  const currency = object(o.currency, 'currency');
  const figures = object(o.figures, 'figures');
  if (!Array.isArray(o.items)) throw new BookingOrderDocumentError('items must be a list');
  if (typeof o.final !== 'boolean') throw new BookingOrderDocumentError('final must be true or false');
  const position = currency.symbol_position;
  if (position !== 'prefix' && position !== 'suffix') throw new BookingOrderDocumentError('currency.symbol_position must be prefix or suffix');
  const decimals = currency.decimals;
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 4) {
    throw new BookingOrderDocumentError('currency.decimals must be a whole number from 0 to 4');
  }
  const assets = fields.assets ?? [];
  if (!Array.isArray(assets) || assets.some((a) => typeof a !== 'string')) throw new BookingOrderDocumentError('fields.assets must be a list of text');

  let approval: BookingOrderDocument['approval'] = null;
  if (o.approval !== null && o.approval !== undefined) {
    const a = object(o.approval, 'approval');
    const approvedOn = requiredText(a.approved_on, 'approval.approved_on');
    if (!/^\d{2}-\d{2}-\d{4}$/.test(approvedOn)) throw new BookingOrderDocumentError('approval.approved_on must be DD-MM-YYYY');
    approval = { hos_name: text(a.hos_name, 'approval.hos_name'), approved_on: approvedOn };
  }
  let source: BookingOrderDocument['source_document'] = null;
  if (o.source_document !== null && o.source_document !== undefined) {
    const s = object(o.source_document, 'source_document');
    source = {
      bucket: requiredText(s.bucket, 'source_document.bucket'),
      path: requiredText(s.path, 'source_document.path'),
      mime_type: text(s.mime_type, 'source_document.mime_type'),
      filename: text(s.filename, 'source_document.filename') ?? 'original',
    };
  }
  const final = o.final as boolean;
  if (final && !approval) throw new BookingOrderDocumentError('a final document needs its approval');

  return {
    booking_order_id: uuid(o.booking_order_id, 'booking_order_id'),
    owner_id: uuid(o.owner_id, 'owner_id'),
    company: {
      slug: requiredText(company.slug, 'company.slug'),
      name: requiredText(company.name, 'company.name'),
      brand: requiredText(company.brand, 'company.brand'),
      brand_name: requiredText(company.brand_name, 'company.brand_name'),
    },
    final,
    bo_ref: text(o.bo_ref, 'bo_ref'),
    fields: {
      bo_number: text(fields.bo_number, 'fields.bo_number'),
      bo_date: text(fields.bo_date, 'fields.bo_date'),
      client: text(fields.client, 'fields.client'),
      agency: text(fields.agency, 'fields.agency'),
      brand_campaign: text(fields.brand_campaign, 'fields.brand_campaign'),
      category: text(fields.category, 'fields.category'),
      assets: (assets as string[]).filter((a) => a.trim() !== ''),
      payment_terms: text(fields.payment_terms, 'fields.payment_terms'),
      sales_person: text(fields.sales_person, 'fields.sales_person'),
      commission_pct: decimal(fields.commission_pct, 'fields.commission_pct'),
      sla_pct: decimal(fields.sla_pct, 'fields.sla_pct'),
      notes: text(fields.notes, 'fields.notes'),
    },
    currency: {
      code: requiredText(currency.code, 'currency.code'),
      symbol: requiredText(currency.symbol, 'currency.symbol'),
      symbol_position: position,
      decimals: decimals as number,
    },
    figures: {
      gross_amount: decimal(figures.gross_amount, 'figures.gross_amount'),
      sla_deduction: decimal(figures.sla_deduction, 'figures.sla_deduction'),
      production_upload_fee: decimal(figures.production_upload_fee, 'figures.production_upload_fee'),
      municipality_fee: decimal(figures.municipality_fee, 'figures.municipality_fee'),
      vat_amount: decimal(figures.vat_amount, 'figures.vat_amount'),
      net_pre_vat: decimal(figures.net_pre_vat, 'figures.net_pre_vat'),
      net_excl_sla: decimal(figures.net_excl_sla, 'figures.net_excl_sla'),
      rental_total: decimal(figures.rental_total, 'figures.rental_total'),
    },
    items: (o.items as unknown[]).map(parseItem).sort((a, b) => a.position - b.position),
    approval,
    source_document: source,
  };
}
