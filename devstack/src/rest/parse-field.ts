// Column references in PostgREST's query syntax: `col`, `"odd name"`, `data->key->>leaf`.
import { parseError } from './errors.ts';
import type { Field, JsonStep } from './sql.ts';

/** Strips one pair of surrounding double quotes (PostgREST's way to write odd names). */
function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    return name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return name;
}

export function parseField(text: string): Field {
  const raw = text.trim();
  const parts: string[] = [];
  const arrows: Array<'->' | '->>'> = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (!inQuotes && ch === '-' && raw[i + 1] === '>') {
      const arrow = raw[i + 2] === '>' ? '->>' : '->';
      parts.push(current);
      arrows.push(arrow);
      current = '';
      i += arrow.length - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  const names = parts.map((p) => unquote(p.trim()));
  if (names.some((n) => n === '')) throw parseError(`failed to parse field "${raw}"`);
  const path: JsonStep[] = arrows.map((arrow, i) => ({ arrow, key: names[i + 1] }));
  return { column: names[0], path };
}

/**
 * Splits on `sep` at nesting depth 0, outside double quotes: `a,b(c,d),"e,f"` → 3 parts.
 * Braces count as nesting so array literals like `{1,2}` stay whole.
 */
export function splitTopLevel(text: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let inQuotes = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) current += text[++i];
      else if (ch === '"') inQuotes = false;
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    if (ch === sep && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (inQuotes || depth !== 0) throw parseError(`unbalanced quotes or parentheses in "${text}"`);
  out.push(current);
  return out;
}
