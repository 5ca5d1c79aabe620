// The booking-order pieces that need no stack: the day-count rule, what the model's extraction
// looks like by the time SQL sees it, SQL refusals in plain words, the company choice, the
// classification gate, the schemas OpenAI's strict mode accepts, and what the model is given
// for each kind of file (the committed fixtures, written by real Excel and PDF writers).
import assert from 'node:assert/strict';
import { tinyPdf } from '../files/testing/fixtures.ts';
import { type CompanyContext } from './context.ts';
import { documentParts } from './document.ts';
import { BookingOrderError, plainWords } from './errors.ts';
import { campaignDuration, normaliseExtraction } from './normalise.ts';
import { assertBookingOrder, chooseCompany } from './pipeline.ts';
import { classificationPrompt, extractionPrompt } from './prompts.ts';
import {
  BOOKING_ORDER_FIELDS,
  classificationFormat,
  editFormat,
  extractionFormat,
} from './schema.ts';

const FIXTURES = new URL('./testing/', import.meta.url);

Deno.test('campaignDuration: the day-count bands of §3.2, both days included', () => {
  const cases: Array<[string, string, string | null]> = [
    ['2026-12-01', '2026-12-07', '1 week'],
    ['2026-12-01', '2026-12-08', '1 week'],
    ['2026-12-01', '2026-12-14', '2 weeks'],
    ['2026-12-01', '2026-12-22', '3 weeks'],
    ['2026-12-01', '2026-12-28', '1 month'],
    ['2026-12-01', '2026-12-31', '1 month'],
    ['2027-01-01', '2027-02-26', '2 months'],
    ['2027-01-01', '2027-03-31', '3 months'],
    ['2026-12-01', '2026-12-10', '10 days'],
    ['2026-12-01', '2026-12-01', '1 day'],
    ['2026-12-10', '2026-12-01', null],
    ['2026-02-31', '2026-03-10', null],
    ['01/12/2026', '2026-12-10', null],
  ];
  for (const [start, end, expected] of cases) {
    assert.equal(campaignDuration(start, end), expected, `${start} → ${end}`);
  }
});

Deno.test('normaliseExtraction: only the 19 fields, durations filled when missing, stated ones kept', () => {
  const data = normaliseExtraction({
    client: 'Emaar',
    vat_calc: 17420,
    locations: [
      {
        name: 'A',
        start_date: '2026-12-01',
        end_date: '2026-12-14',
        campaign_duration: null,
        net_amount: 1,
        extra: 1,
      },
      {
        name: 'B',
        start_date: '2026-12-01',
        end_date: '2026-12-14',
        campaign_duration: '15 days',
        net_amount: 2,
      },
    ],
  });
  assert.deepEqual(Object.keys(data).sort(), ['client', 'locations']);
  assert.deepEqual(data.locations, [
    {
      name: 'A',
      start_date: '2026-12-01',
      end_date: '2026-12-14',
      campaign_duration: '2 weeks',
      net_amount: 1,
    },
    {
      name: 'B',
      start_date: '2026-12-01',
      end_date: '2026-12-14',
      campaign_duration: '15 days',
      net_amount: 2,
    },
  ]);
  assert.deepEqual(normaliseExtraction({ locations: null }).locations, []);
});

Deno.test('plainWords: SQL refusals as a coordinator reads them', () => {
  assert.equal(
    plainWords('patch: sla_pct: must be a fraction from 0 to 1 (10 % is 0.10), got 15'),
    'SLA %: must be a fraction from 0 to 1 (10 % is 0.10), got 15',
  );
  assert.equal(
    plainWords(
      'patch: locations[1].end_date: "31/02/2027" is not a date (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY or YYYY/MM/DD)',
    ),
    'Location 2\'s end date: "31/02/2027" is not a date (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY or YYYY/MM/DD)',
  );
  assert.equal(
    plainWords('patch: unknown field(s) "discount"'),
    'I do not know the field(s) "discount"',
  );
  assert.match(
    plainWords('patch: "gross_calc" computed by the platform (net, VAT, gross, SLA), not input'),
    /worked out by the platform/,
  );
});

Deno.test('chooseCompany: chosen (if theirs), then classified, then the only or first company', () => {
  const mine = ['viola', 'backlite_dubai', 'backlite_uk'];
  assert.equal(chooseCompany(mine, 'backlite_uk', 'viola'), 'backlite_uk');
  assert.equal(chooseCompany(mine, null, 'viola'), 'viola');
  assert.equal(
    chooseCompany(mine, null, 'backlite_abudhabi'),
    'backlite_dubai',
    'not theirs: ignored',
  );
  assert.equal(chooseCompany(['viola'], null, null), 'viola');
  assert.throws(
    () => chooseCompany(mine, 'backlite_abudhabi', null),
    (e: BookingOrderError) => e.status === 403 && e.code === 'company_not_allowed',
  );
  assert.throws(() => chooseCompany([], null, null), (e: BookingOrderError) => e.status === 403);
});

Deno.test('assertBookingOrder: only a booking order of medium or high confidence goes on', () => {
  const gate =
    (kind: 'BOOKING_ORDER' | 'ARTWORK' | 'OTHER', confidence: 'high' | 'medium' | 'low') => () =>
      assertBookingOrder({ kind, confidence, company: null, reasoning: 'r' }, 'f.pdf');
  gate('BOOKING_ORDER', 'high')();
  gate('BOOKING_ORDER', 'medium')();
  for (
    const [kind, confidence] of [['BOOKING_ORDER', 'low'], ['ARTWORK', 'high'], [
      'OTHER',
      'medium',
    ]] as const
  ) {
    assert.throws(
      gate(kind, confidence),
      (e: BookingOrderError) =>
        e.status === 422 && e.code === 'not_a_booking_order' &&
        /Nothing was submitted/.test(e.message),
    );
  }
});

/** OpenAI strict mode: every object closed and listing all its properties as required. */
function strictIssues(schema: Record<string, any>, path = '$'): string[] {
  const issues: string[] = [];
  const types = [schema.type].flat();
  if (types.includes('object')) {
    if (schema.additionalProperties !== false) {
      issues.push(`${path}: additionalProperties must be false`);
    }
    const keys = Object.keys(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    for (const key of keys) {
      if (!required.has(key)) issues.push(`${path}.${key}: not required`);
      issues.push(...strictIssues(schema.properties[key], `${path}.${key}`));
    }
  }
  if (types.includes('array') && schema.items) {
    issues.push(...strictIssues(schema.items, `${path}[]`));
  }
  return issues;
}

Deno.test('schemas: the strict ones satisfy OpenAI strict mode; extraction has exactly the 19 fields', () => {
  const extraction = extractionFormat();
  assert.equal(extraction.strict, true);
  assert.deepEqual(strictIssues(extraction.schema), []);
  assert.deepEqual(Object.keys(extraction.schema.properties as object), [...BOOKING_ORDER_FIELDS]);
  const classification = classificationFormat(['backlite_dubai', 'viola']);
  assert.deepEqual(strictIssues(classification.schema), []);
  assert.deepEqual((classification.schema.properties as any).company.enum, [
    'backlite_dubai',
    'viola',
    null,
  ]);
  // The edit answer carries only what changes, so it cannot be strict (spec §3.6).
  const edit = editFormat();
  assert.equal(edit.strict, false);
  assert.deepEqual((edit.schema as any).required, ['action', 'fields', 'message']);
});

const dubai: CompanyContext = {
  slug: 'backlite_dubai',
  name: 'Backlite Dubai',
  country: 'UAE',
  currency: 'AED',
  locations: [
    { key: 'dubai_gateway', name: 'The Dubai Gateway', type: 'digital' },
    { key: 'palm_gateway_arch', name: 'Palm Gateway Arch', type: 'static' },
  ],
};

Deno.test('prompts: the company list and the known locations, by display name and key', () => {
  const classify = classificationPrompt([dubai, {
    ...dubai,
    slug: 'viola',
    name: 'Viola',
    locations: [],
  }]);
  assert.match(classify, /- backlite_dubai: Backlite Dubai \(UAE, amounts usually in AED\)/);
  assert.match(classify, /— locations: The Dubai Gateway, Palm Gateway Arch/);
  assert.match(
    classify,
    /- viola: Viola \(UAE, amounts usually in AED\)$/m,
    'no locations, no list',
  );
  const extract = extractionPrompt(dubai, '2026-11-22');
  assert.match(extract, /Digital: The Dubai Gateway \[dubai_gateway\]/);
  assert.match(extract, /Static: Palm Gateway Arch \[palm_gateway_arch\]/);
  assert.match(extract, /never Backlite Dubai/);
  assert.match(extract, /Today is 2026-11-22/);
});

Deno.test('documentParts: the xlsx and PDF fixtures as their text, images as images, no text refused', async () => {
  const [xlsx] = await documentParts({
    id: 'x',
    filename: 'booking_order.xlsx',
    bytes: await Deno.readFile(new URL('booking_order.xlsx', FIXTURES)),
  });
  assert.equal(xlsx.type, 'text');
  assert.match(
    xlsx.type === 'text' ? xlsx.text : '',
    /The Dubai Gateway\t01\/12\/2026\t28\/12\/2026\t250000/,
  );
  const [pdf] = await documentParts({
    id: 'p',
    filename: 'purchase_order.pdf',
    bytes: await Deno.readFile(new URL('purchase_order.pdf', FIXTURES)),
  });
  assert.match(pdf.type === 'text' ? pdf.text : '', /Gross total: AED 176,400\.00/);
  const image = await documentParts({
    id: 'i',
    filename: 'scan.png',
    bytes: new Uint8Array([0x89, 0x50]),
  });
  assert.deepEqual(image.map((p) => p.type), ['text', 'image']);
  await assert.rejects(
    documentParts({ id: 'e', filename: 'scan.pdf', bytes: tinyPdf('') }),
    (e: BookingOrderError) => e.status === 422 && e.code === 'document_unreadable',
  );
  await assert.rejects(
    documentParts({ id: 'c', filename: 'rates.csv', bytes: new TextEncoder().encode('a,b') }),
    (e: BookingOrderError) => e.status === 415 && e.code === 'file_type_not_allowed',
  );
});
