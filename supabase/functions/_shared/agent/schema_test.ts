import assert from 'node:assert/strict';
import { describeIssues, validateAgainstSchema } from './schema.ts';
import { ALL_TOOLS } from './tools/registry.ts';

const schema = {
  type: 'object',
  required: ['client_name', 'items'],
  additionalProperties: false,
  properties: {
    client_name: { type: 'string', minLength: 1, maxLength: 10 },
    currency: { type: 'string', enum: ['AED', 'USD'] },
    rate: { type: ['number', 'string'] },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['start'],
        properties: {
          start: { type: 'string', format: 'date' },
          weeks: { type: 'integer', minimum: 1, maximum: 104 },
          key: { type: 'string', pattern: '^[a-z_]+$' },
        },
      },
    },
  },
};

Deno.test('schema: valid arguments pass', () => {
  assert.deepEqual(
    validateAgainstSchema(schema, {
      client_name: 'Emaar',
      currency: 'USD',
      rate: '1,250,000',
      items: [{ start: '2026-12-01', weeks: 4, key: 'dubai_gateway' }],
    }),
    [],
  );
  assert.deepEqual(
    validateAgainstSchema(schema, {
      client_name: 'E',
      rate: 5.5,
      items: [{ start: '2028-02-29' }],
    }),
    [],
  );
});

Deno.test('schema: every problem is reported with its path', () => {
  const issues = validateAgainstSchema(schema, {
    client_name: '',
    currency: 'SAR',
    rate: true,
    items: [{ start: '2026-02-30', weeks: 2.5 }, { weeks: 0, key: 'Bad Key' }],
    surprise: 1,
  });
  assert.deepEqual(issues.map((i) => `${i.path} ${i.message}`), [
    'client_name must not be empty',
    'currency must be one of "AED", "USD"',
    'rate must be number or string, got boolean',
    'items[0].start must be a date as YYYY-MM-DD',
    'items[0].weeks must be integer, got number',
    'items[1].start is required',
    'items[1].weeks must be at least 1',
    'items[1].key must match ^[a-z_]+$',
    'surprise is not a known argument',
  ]);
  assert.match(describeIssues(issues), /^client_name must not be empty; currency/);
});

Deno.test('schema: a non-object and missing required fields at the top', () => {
  assert.deepEqual(validateAgainstSchema(schema, []), [
    { path: '(arguments)', message: 'must be object, got array' },
  ]);
  assert.deepEqual(validateAgainstSchema(schema, {}).map((i) => i.path), ['client_name', 'items']);
});

Deno.test('schema: every registered tool has an object schema the validator accepts for {}', () => {
  for (const tool of ALL_TOOLS) {
    assert.equal(tool.parameters.type, 'object', tool.name);
    assert.equal(tool.parameters.additionalProperties, false, tool.name);
    const required = (tool.parameters.required ?? []) as string[];
    assert.deepEqual(
      validateAgainstSchema(tool.parameters, {}).map((i) => i.path),
      required,
      tool.name,
    );
  }
});
