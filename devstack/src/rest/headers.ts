// Request headers that steer PostgREST: Prefer, Range, Accept and the schema profile headers.
import type { IncomingMessage } from 'node:http';
import { notSupported, restError } from './errors.ts';

export interface Preferences {
  return?: 'minimal' | 'representation' | 'headers-only';
  count?: boolean;
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  missing?: 'default' | 'null';
  tx?: 'commit' | 'rollback';
  timezone?: string;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function parsePrefer(value: string | undefined): Preferences {
  const prefs: Preferences = {};
  if (!value) return prefs;
  let strict = false;
  const unknown: string[] = [];
  for (const token of value.split(',').map((t) => t.trim()).filter(Boolean)) {
    const [key, ...rest] = token.split('=');
    const val = rest.join('=').trim();
    switch (`${key.trim()}=${val}`) {
      case 'return=minimal':
      case 'return=representation':
      case 'return=headers-only':
        prefs.return = val as Preferences['return'];
        continue;
      // Planned/estimated counts come from statistics in PostgREST; exact is always a valid answer.
      case 'count=exact':
      case 'count=planned':
      case 'count=estimated':
        prefs.count = true;
        continue;
      case 'resolution=merge-duplicates':
      case 'resolution=ignore-duplicates':
        prefs.resolution = val as Preferences['resolution'];
        continue;
      case 'missing=default':
      case 'missing=null':
        prefs.missing = val as Preferences['missing'];
        continue;
      case 'tx=commit':
      case 'tx=rollback':
        prefs.tx = val as Preferences['tx'];
        continue;
      case 'handling=strict':
        strict = true;
        continue;
      case 'handling=lenient':
        continue;
      case 'params=single-object':
      case 'params=multiple-objects':
        throw notSupported(`Prefer: ${token}`);
    }
    if (key.trim() === 'timezone' && val) {
      prefs.timezone = val;
      continue;
    }
    if (key.trim() === 'max-affected') throw notSupported('Prefer: max-affected');
    unknown.push(token);
  }
  if (strict && unknown.length) {
    throw restError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${unknown.join(', ')}`);
  }
  return prefs;
}

export function preferencesOf(req: IncomingMessage): Preferences {
  return parsePrefer(header(req, 'prefer'));
}

/** `Range: 0-9` → offset 0, limit 10; `5-` → offset 5. Other units or shapes are ignored, as in PostgREST. */
export function parseRange(value: string | undefined, unit: string | undefined): { offset: number; limit?: number } | null {
  if (!value) return null;
  if (unit && unit.trim().toLowerCase() !== 'items') return null;
  const m = /^\s*(?:items=)?(\d+)-(\d*)\s*$/.exec(value);
  if (!m) return null;
  const lower = Number(m[1]);
  if (m[2] === '') return { offset: lower };
  const upper = Number(m[2]);
  if (upper < lower) {
    throw restError(416, 'PGRST103', 'Requested range not satisfiable', `The lower bound ${lower} is greater than the upper bound ${upper}`);
  }
  return { offset: lower, limit: upper - lower + 1 };
}

export function rangeOf(req: IncomingMessage) {
  return parseRange(header(req, 'range'), header(req, 'range-unit'));
}

export type MediaKind = 'json' | 'object';

/**
 * PostgREST's Accept negotiation reduced to JSON arrays and single objects. Every other media
 * type (CSV, GeoJSON, plans, stripped nulls…) answers 501 instead of a silently different body.
 */
export function negotiateMedia(accept: string | undefined): MediaKind {
  if (!accept || accept.trim() === '') return 'json';
  let refused: string | undefined;
  for (const part of accept.split(',')) {
    const [typeRaw, ...paramsRaw] = part.split(';');
    const type = typeRaw.trim().toLowerCase();
    const params = paramsRaw.map((p) => p.trim().toLowerCase());
    if (params.some((p) => p.startsWith('nulls='))) {
      refused ??= part.trim();
      continue;
    }
    if (params.some((p) => p === 'q=0')) continue;
    if (['application/json', '*/*', 'application/*', 'application/vnd.pgrst.array+json', 'application/vnd.pgrst.array'].includes(type)) {
      return 'json';
    }
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object') return 'object';
    refused ??= part.trim();
  }
  throw notSupported(`The media type "${refused ?? accept}" (Accept header)`);
}

/** The exposed schema chosen by Accept-Profile (reads) or Content-Profile (writes). */
export function schemaOf(req: IncomingMessage, method: string, exposed: string[]): string {
  const name = method === 'GET' || method === 'HEAD' ? 'accept-profile' : 'content-profile';
  const requested = header(req, name);
  if (requested === undefined || requested === '') return exposed[0];
  if (!exposed.includes(requested)) {
    throw restError(406, 'PGRST106', `The schema must be one of the following: ${exposed.join(', ')}`, null, null);
  }
  return requested;
}

/** Request bodies must be JSON (or absent); CSV and form bodies are outside the subset. */
export function checkContentType(req: IncomingMessage): void {
  const ct = header(req, 'content-type');
  if (!ct) return;
  const type = ct.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type === '' || type.endsWith('+json')) return;
  throw notSupported(`Request bodies of type "${type}"`);
}
