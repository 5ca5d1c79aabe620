// Failures of the booking-order pipeline, each with the HTTP status and code the function
// answers with, and database refusals turned into words a coordinator understands.

export class BookingOrderError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface DbError {
  message: string;
  code?: string;
  hint?: string | null;
}

const FIELD_LABELS: Record<string, string> = {
  bo_number: 'BO number',
  bo_date: 'BO date',
  client: 'client',
  agency: 'agency',
  brand_campaign: 'brand/campaign',
  category: 'category',
  asset: 'asset codes',
  payment_terms: 'payment terms',
  sales_person: 'sales person',
  currency: 'currency',
  commission_pct: 'commission %',
  sla_pct: 'SLA %',
  municipality_fee: 'municipality fee',
  production_upload_fee: 'production/upload fee',
  net_pre_vat: 'net before VAT',
  vat_value: 'stated VAT',
  gross_amount: 'stated gross amount',
  notes: 'notes',
  locations: 'locations',
  name: 'name',
  start_date: 'start date',
  end_date: 'end date',
  campaign_duration: 'campaign duration',
  net_amount: 'net amount',
};

/**
 * A 22023 message of SQL's input check ("patch: locations[1].end_date: …") in plain words:
 * field paths become "location 2's end date", technical prefixes go.
 */
export function plainWords(message: string): string {
  if (/computed by the platform/.test(message)) {
    return 'VAT, gross, net excluding SLA and the SLA deduction are worked out by the platform. ' +
      'Change the location amounts, the fees, the SLA % or the stated net, VAT or gross instead.';
  }
  let text = message.replace(/^(patch|data): /, '');
  text = text.replace(
    /locations\[(\d+)\](?:\.([a-z_]+))?/g,
    (_, index: string, field?: string) =>
      `location ${Number(index) + 1}${field ? `'s ${FIELD_LABELS[field] ?? field}` : ''}`,
  );
  text = text.replace(
    /"?\b([a-z]+(?:_[a-z]+)+|client|agency|category|asset|currency|notes)\b"?/g,
    (whole, field: string) => FIELD_LABELS[field] ?? whole,
  );
  text = text.replace(/^unknown field\(s\)/, 'I do not know the field(s)');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
