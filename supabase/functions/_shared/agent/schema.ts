// Checks tool arguments against the tool's JSON Schema before the handler runs. Models do send
// wrong shapes; the errors go back to the model as a tool error it can correct. Covers the
// subset the tool schemas use: type (object, array, string, integer, number, boolean, null or a
// list of them), properties, required, additionalProperties: false, items, enum, minLength,
// maxLength, pattern, format: date, minimum, maximum, minItems, maxItems.
import type { JsonSchema } from '../llm/mod.ts';

export interface SchemaIssue {
  /** Where, e.g. `proposals[0].start_dates[1]`; `(arguments)` for the top level. */
  path: string;
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Every problem of `value` against `schema`, at most `limit` of them. Empty: valid. */
export function validateAgainstSchema(
  schema: JsonSchema,
  value: unknown,
  limit = 10,
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  visit(schema, value, '', issues, limit);
  return issues;
}

function visit(
  schema: JsonSchema,
  value: unknown,
  path: string,
  issues: SchemaIssue[],
  limit: number,
): void {
  if (issues.length >= limit) return;
  const where = path || '(arguments)';
  const report = (message: string) => issues.push({ path: where, message });

  const types = schema.type === undefined
    ? []
    : Array.isArray(schema.type)
    ? schema.type as string[]
    : [schema.type as string];
  if (types.length && !types.some((t) => matchesType(value, t))) {
    report(`must be ${types.join(' or ')}, got ${typeOf(value)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    report(`must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`);
    return;
  }

  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      report(
        schema.minLength === 1
          ? 'must not be empty'
          : `must have at least ${schema.minLength} characters`,
      );
    }
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      report(`must have at most ${schema.maxLength} characters`);
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      report(`must match ${schema.pattern}`);
    }
    if (schema.format === 'date' && !isRealDate(value)) {
      report('must be a date as YYYY-MM-DD');
    }
  }

  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) {
      report(`must be at least ${schema.minimum}`);
    }
    if (typeof schema.maximum === 'number' && value > schema.maximum) {
      report(`must be at most ${schema.maximum}`);
    }
  }

  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      report(`must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      report(`must have at most ${schema.maxItems} items`);
    }
    const items = schema.items as JsonSchema | undefined;
    if (items) value.forEach((item, i) => visit(items, item, `${path}[${i}]`, issues, limit));
  }

  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (object[name] === undefined) {
        issues.push({ path: path ? `${path}.${name}` : name, message: 'is required' });
      }
    }
    for (const [name, child] of Object.entries(object)) {
      const childPath = path ? `${path}.${name}` : name;
      const childSchema = properties[name];
      if (childSchema) visit(childSchema, child, childPath, issues, limit);
      else if (schema.additionalProperties === false) {
        issues.push({ path: childPath, message: 'is not a known argument' });
      }
    }
  }
}

/** One line per issue, for the tool error the model reads. */
export function describeIssues(issues: SchemaIssue[]): string {
  return issues.map((issue) => `${issue.path} ${issue.message}`).join('; ');
}
