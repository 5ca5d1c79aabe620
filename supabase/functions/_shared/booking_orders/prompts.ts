// The instructions behind classification, extraction and coordinator edits. The business rules
// of spec §3.1, §3.2 and §3.6 are stated here for the model; the figures it produces are
// checked and recalculated in SQL afterwards, so the prompts ask for what the document says,
// never for computed totals.
import type { CompanyContext } from './context.ts';

/** Locations named per company in the classification prompt (enough to recognise it). */
const CLASSIFICATION_LOCATIONS = 60;

function companyLine(c: CompanyContext): string {
  const where = [c.country, c.currency && `amounts usually in ${c.currency}`].filter(Boolean)
    .join(', ');
  const names = c.locations.slice(0, CLASSIFICATION_LOCATIONS).map((l) => l.name).join(', ');
  return `- ${c.slug}: ${c.name}${where ? ` (${where})` : ''}${
    names ? ` — locations: ${names}` : ''
  }`;
}

export function classificationPrompt(companies: CompanyContext[]): string {
  return [
    'You sort files that sales people of an out-of-home (billboard) media group upload.',
    'Decide what the attached file is:',
    '- BOOKING_ORDER: a purchase order from a client or agency booking advertising space. It',
    '  shows several of: an order/BO reference; a table of locations with dates and costs;',
    '  net, VAT, gross, SLA or payment terms; the client or agency and the campaign.',
    '- ARTWORK: a creative or design meant to appear on a billboard (any visual design, photo,',
    '  poster or mock-up).',
    '- OTHER: anything else (invoices, contracts, letters, spreadsheets that are not orders…).',
    'When the person\'s message says "booking order", "BO" or "parse", lean to BOOKING_ORDER; when',
    'it says mockup, billboard, creative or artwork, lean to ARTWORK. If a visual file is',
    'ambiguous, prefer ARTWORK over OTHER.',
    'confidence: high when the evidence is clear, medium when it is likely, low when guessing.',
    'company: the media company that SELLS the space, chosen from this list of companies the',
    'person works for — by its name on the document, or by locations that belong to it; null when',
    'the document does not show it:',
    ...companies.map(companyLine),
    'reasoning: one or two sentences on what you saw.',
  ].join('\n');
}

function locationList(c: CompanyContext): string {
  if (!c.locations.length) return '(no locations on record — keep the names as printed)';
  const group = (type: string) =>
    c.locations.filter((l) => l.type === type).map((l) => `${l.name} [${l.key}]`).join('; ');
  const digital = group('digital');
  const statics = group('static');
  const others = c.locations.filter((l) => l.type !== 'digital' && l.type !== 'static')
    .map((l) => `${l.name} [${l.key}]`).join('; ');
  return [
    digital && `Digital: ${digital}`,
    statics && `Static: ${statics}`,
    others && `Other: ${others}`,
  ].filter(Boolean).join('\n');
}

export function extractionPrompt(company: CompanyContext, today: string): string {
  return [
    `You read booking orders sent to ${company.name} (${company.slug}), an out-of-home media`,
    `company, and copy their content into the given JSON structure. Today is ${today}.`,
    '',
    'Fields:',
    `- client is the BUYER (the advertiser). It is never ${company.name} or another media owner.`,
    "- brand_campaign: the brand or campaign; when the order names none, use the client's name",
    '  without legal suffixes (LLC, FZ-LLC, Ltd, Inc, PJSC…).',
    "- category: the client's industry (Real Estate, FMCG, Automotive, Banking/Finance, Hospitality,",
    '  Retail, Healthcare, Technology, Entertainment, Government, Education, …).',
    '- Dates as YYYY-MM-DD. Day-first dates (31/01/2026) are the norm here.',
    '- Percentages as fractions: 10 % → 0.10, 2.5 % → 0.025. Amounts as plain numbers, no',
    '  currency signs or thousands separators.',
    `- currency: the ISO code of the amounts; ${company.currency ?? 'AED'} when none is shown.`,
    '- Professional capitalisation for names; sales_person in title case.',
    '',
    'Money rules:',
    '- locations[].net_amount is the RENTAL of that location only.',
    '- Municipality (DM) fees and production / upload fees are never locations: add all',
    '  municipality fees into municipality_fee, and production (static) plus upload (digital)',
    '  fees into production_upload_fee — one total each.',
    '- When one amount covers several locations on a row, split it evenly across them; when',
    '  only a grand total exists, split it evenly across all locations. Never count an amount twice.',
    '- net_pre_vat, vat_value and gross_amount: copy what the order states (null when it does not',
    '  state them). Do not compute them; the platform recalculates and flags differences.',
    '',
    'Locations:',
    '- One entry per booked location with its own dates. Use the display name exactly as in the',
    '  list below when the location is on it, and put its key in asset; otherwise keep the name',
    '  as printed.',
    '- campaign_duration from the number of days booked (first and last day included): 7–8 days',
    '  "1 week", 14–15 "2 weeks", 21–22 "3 weeks", 28–31 "1 month", 56–62 "2 months", 84–93',
    '  "3 months", otherwise "N days".',
    `Known locations of ${company.name} (display name [key]):`,
    locationList(company),
    '',
    'Values the person states in their message (SLA %, payment terms, sales person, how to',
    'split amounts, fee amounts) override the document.',
    'Use null for anything the document does not say; never invent values.',
  ].join('\n');
}

export interface EditPromptInput {
  order: Record<string, any>;
  /** Recent history lines (oldest first), already summarised. */
  history: string[];
  today: string;
}

export function editPrompt(input: EditPromptInput): string {
  const { order } = input;
  return [
    'You help a booking-order coordinator correct a booking order by chat. From their message',
    'decide the action:',
    '- edit: they want to change something. Put ONLY the changed fields in "fields", using the',
    '  field names of the current order below; "locations" must be the complete new list (copy',
    '  the unchanged locations). Dates YYYY-MM-DD, percentages as fractions (10 % → 0.10),',
    '  amounts as plain numbers.',
    '- execute: they are done and want it sent back for approval ("execute", "submit", "done",',
    '  "send it"). Include any last changes in "fields", else leave it empty.',
    '- view: they want to see the order. Leave "fields" empty.',
    'Net, VAT, gross and SLA deductions are recalculated by the platform: to change totals, change',
    'the location amounts or fees, or the stated figures net_pre_vat / vat_value / gross_amount.',
    'message: one or two friendly sentences confirming what you did, in plain words — no field',
    'names, no JSON.',
    `Today is ${input.today}.`,
    '',
    `Current order (${order.company}, status ${order.stage}/${order.status}):`,
    JSON.stringify(order.fields, null, 1),
    `Computed figures: ${JSON.stringify(order.display ?? {})}`,
    order.warnings?.length ? `Warnings: ${order.warnings.join(' | ')}` : 'Warnings: none',
    order.missing_fields?.length ? `Missing: ${order.missing_fields.join(', ')}` : 'Missing: none',
    ...(input.history.length ? ['', 'Recent history:', ...input.history] : []),
  ].join('\n');
}
