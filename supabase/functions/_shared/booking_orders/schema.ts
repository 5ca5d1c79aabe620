// The JSON schemas the model answers in (structured output): classification of an upload, the
// 19 extracted fields of spec §3.2, and a coordinator's edit (§3.6). The field list is the one
// of private.booking_order_input_fields() — SQL checks every value again, so these schemas
// shape the answer and SQL decides what is acceptable.
import type { JsonSchema, ResponseFormat } from '../llm/mod.ts';

export const DOCUMENT_KINDS = ['BOOKING_ORDER', 'ARTWORK', 'OTHER'] as const;
export type DocumentKind = typeof DOCUMENT_KINDS[number];
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = typeof CONFIDENCES[number];

/** The 19 input fields, in the order of spec §3.2 (and of SQL). */
export const BOOKING_ORDER_FIELDS = [
  'bo_number',
  'bo_date',
  'client',
  'agency',
  'brand_campaign',
  'category',
  'asset',
  'payment_terms',
  'sales_person',
  'currency',
  'commission_pct',
  'sla_pct',
  'municipality_fee',
  'production_upload_fee',
  'net_pre_vat',
  'vat_value',
  'gross_amount',
  'notes',
  'locations',
] as const;
export type BookingOrderField = typeof BOOKING_ORDER_FIELDS[number];

export const LOCATION_FIELDS = [
  'name',
  'asset',
  'start_date',
  'end_date',
  'campaign_duration',
  'net_amount',
] as const;

const text = (description: string): JsonSchema => ({ type: ['string', 'null'], description });
const amount = (description: string): JsonSchema => ({ type: ['number', 'null'], description });

const FIELD_SCHEMAS: Record<BookingOrderField, JsonSchema> = {
  bo_number: text("The client's or agency's own order reference as printed (e.g. BO-123, DPD-88)."),
  bo_date: text('Date of the order, YYYY-MM-DD.'),
  client: text('The buyer (advertiser) — never the media owner selling the space.'),
  agency: text('The media agency placing the order, if any.'),
  brand_campaign: text('Brand or campaign name.'),
  category: text("The client's industry, e.g. Real Estate, FMCG, Automotive, Banking/Finance."),
  asset: {
    type: ['array', 'null'],
    items: { type: 'string' },
    description: 'Asset / location codes of the order.',
  },
  payment_terms: text('e.g. "60 days PDC", "100% upfront".'),
  sales_person: text('Sales person named on the order, in title case.'),
  currency: text('ISO 4217 code of the amounts (AED when none is shown).'),
  commission_pct: amount('Agency commission as a fraction: 15 % is 0.15.'),
  sla_pct: amount('SLA deduction as a fraction: 10 % is 0.10.'),
  municipality_fee: amount('ONE total of all municipality (DM) fees.'),
  production_upload_fee: amount('ONE total of production (static) and upload (digital) fees.'),
  net_pre_vat: amount('Net before VAT: rentals + production/upload + municipality fees.'),
  vat_value: amount('VAT as stated on the order.'),
  gross_amount: amount('Gross total as stated on the order.'),
  notes: text('Anything important that fits no other field.'),
  locations: {
    type: 'array',
    description: 'One entry per booked location (fees are never locations).',
    items: {
      type: 'object',
      additionalProperties: false,
      required: [...LOCATION_FIELDS],
      properties: {
        name: text('Display name of the location exactly as in the known list when it is there.'),
        asset: text('Location key or asset code when known.'),
        start_date: text('YYYY-MM-DD'),
        end_date: text('YYYY-MM-DD'),
        campaign_duration: text('e.g. "2 weeks", "1 month", "10 days".'),
        net_amount: amount('Rental net amount of this location only.'),
      },
    },
  },
};

/** Strict extraction format: every field present, null when the document does not say. */
export function extractionFormat(): ResponseFormat {
  return {
    name: 'booking_order_extraction',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...BOOKING_ORDER_FIELDS],
      properties: FIELD_SCHEMAS,
    },
  };
}

/** Strict classification format; `company` is one of the caller's companies or null. */
export function classificationFormat(companies: string[]): ResponseFormat {
  return {
    name: 'document_classification',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'confidence', 'company', 'reasoning'],
      properties: {
        kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
        confidence: { type: 'string', enum: [...CONFIDENCES] },
        company: {
          type: ['string', 'null'],
          enum: [...companies, null],
          description: 'The company (slug) that sold the space, when the document shows it.',
        },
        reasoning: { type: 'string', description: 'One or two sentences.' },
      },
    },
  };
}

export const EDIT_ACTIONS = ['execute', 'edit', 'view'] as const;
export type EditAction = typeof EDIT_ACTIONS[number];

/**
 * The coordinator's answer (§3.6, non-strict like the original): `fields` holds only what
 * changes — a strict schema would force every key. Checked in code and by SQL afterwards.
 */
export function editFormat(): ResponseFormat {
  const properties = Object.fromEntries(
    Object.entries(FIELD_SCHEMAS).map(([name, schema]) => [name, schema]),
  );
  return {
    name: 'coordinator_response',
    strict: false,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['action', 'fields', 'message'],
      properties: {
        action: { type: 'string', enum: [...EDIT_ACTIONS] },
        fields: {
          type: 'object',
          additionalProperties: false,
          description: 'Only the fields to change; locations always as the complete new list.',
          properties,
        },
        message: {
          type: 'string',
          description: 'A short, friendly confirmation for the coordinator, without field names.',
        },
      },
    },
  };
}
