// Inventory tools: list, search and details (with rate cards and availability). All read the
// cross-company views public.all_locations / all_rate_cards / all_location_occupations under
// the caller's RLS, so a location of a company the caller cannot access never shows up.
import type { SupabaseClient } from '@supabase/supabase-js';
import { permits, type ToolContext, ToolError, type ToolSpec } from '../types.ts';
import { ISO_DATE_SCHEMA, toolErrorFromDb } from './common.ts';

/** Who can read inventory at all (the union of the company-schema read policies). */
export const INVENTORY_READ = [
  'assets:locations:read',
  'sales:proposals:read',
  'sales:proposals:create',
  'sales:mockups:read',
  'sales:mockups:generate',
  'sales:mockups:setup',
  'sales:booking_orders:read',
] as const;

/** Who can read location occupations (the company-schema policy), i.e. see availability. */
export const OCCUPATIONS_READ = [
  'assets:locations:read',
  'sales:booking_orders:read',
  'sales:proposals:read',
] as const;

const SUMMARY_COLUMNS = 'company,location_key,display_name,display_type,series,city,area';

interface LocationRow {
  id: string;
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  [column: string]: unknown;
}

/** "Dubai Gateway" / "dubai-gateway" → "dubai_gateway". */
export function keyFromInput(text: string): string {
  return text.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Text safe inside a PostgREST filter value (no list or wildcard syntax). */
function filterText(text: string): string {
  return text.replace(/[,()"\\*%:]/g, ' ').replace(/\s+/g, ' ').trim();
}

function summary(row: Record<string, unknown>) {
  return {
    key: row.location_key,
    name: row.display_name,
    type: row.display_type,
    company: row.company,
    ...(row.series ? { series: row.series } : {}),
    ...(row.city ? { city: row.city } : {}),
    ...(row.area ? { area: row.area } : {}),
  };
}

const listLocations: ToolSpec<{ company?: string }> = {
  name: 'list_locations',
  description:
    'List every active location the person can sell, grouped by company. Use only when the ' +
    'person asks for the whole list; otherwise use search_locations.',
  parameters: {
    type: 'object',
    properties: {
      company: { type: 'string', description: 'Only this company (slug), e.g. backlite_dubai.' },
    },
    additionalProperties: false,
  },
  permission: INVENTORY_READ,
  async run(ctx, args) {
    let query = ctx.db.from('all_locations').select(SUMMARY_COLUMNS).eq('is_active', true);
    if (args.company) query = query.eq('company', args.company);
    const { data, error } = await query.order('company').order('display_name').limit(500);
    if (error) throw toolErrorFromDb(error, 'listing locations');
    const rows = data as Record<string, unknown>[];
    const byCompany: Record<string, unknown[]> = {};
    for (const row of rows) (byCompany[row.company as string] ??= []).push(summary(row));
    return {
      ok: true,
      data: { count: rows.length, companies: byCompany },
      summary: `${rows.length} location${rows.length === 1 ? '' : 's'}`,
    };
  },
};

interface SearchArgs {
  query?: string;
  company?: string;
  city?: string;
  display_type?: 'digital' | 'static';
  series?: string;
  include_inactive?: boolean;
  limit?: number;
}

const searchLocations: ToolSpec<SearchArgs> = {
  name: 'search_locations',
  description:
    'Find locations by words in their name, key, city, area or series, and/or by company, ' +
    'city, digital/static and series. Returns keys to use in other tools.',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', maxLength: 100, description: 'Words to look for, e.g. "marina".' },
      company: { type: 'string', description: 'Company slug, e.g. backlite_dubai.' },
      city: { type: 'string', maxLength: 100 },
      display_type: { type: 'string', enum: ['digital', 'static'] },
      series: { type: 'string', maxLength: 100 },
      include_inactive: { type: 'boolean', description: 'Also locations no longer sold.' },
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'Default 20.' },
    },
    additionalProperties: false,
  },
  permission: INVENTORY_READ,
  async run(ctx, args) {
    let query = ctx.db.from('all_locations').select(`${SUMMARY_COLUMNS},is_active`);
    if (!args.include_inactive) query = query.eq('is_active', true);
    if (args.company) query = query.eq('company', args.company);
    if (args.display_type) query = query.eq('display_type', args.display_type);
    if (args.city?.trim()) query = query.ilike('city', `*${filterText(args.city)}*`);
    if (args.series?.trim()) query = query.ilike('series', `*${filterText(args.series)}*`);
    const words = filterText(args.query ?? '');
    if (words) {
      const key = keyFromInput(words);
      query = query.or(
        [
          `display_name.ilike.*${words}*`,
          `location_key.ilike.*${key}*`,
          `city.ilike.*${words}*`,
          `area.ilike.*${words}*`,
          `series.ilike.*${words}*`,
        ].join(','),
      );
    }
    const { data, error } = await query.order('display_name').limit(args.limit ?? 20);
    if (error) throw toolErrorFromDb(error, 'searching locations');
    const rows = (data as Record<string, unknown>[]).map((row) => ({
      ...summary(row),
      ...(row.is_active === false ? { active: false } : {}),
    }));
    return {
      ok: true,
      data: { count: rows.length, locations: rows },
      summary: `${rows.length} match${rows.length === 1 ? '' : 'es'}`,
    };
  },
};

/**
 * One location by key or display name among the caller's companies; asks for the company when
 * the same key exists in two of them.
 */
export async function findLocation(
  db: SupabaseClient,
  input: string,
  company?: string,
): Promise<LocationRow> {
  const name = filterText(input);
  const filtered = (query: any) => (company ? query.eq('company', company) : query);
  const [byKey, byName] = await Promise.all([
    filtered(db.from('all_locations').select('*').eq('location_key', keyFromInput(input))),
    filtered(db.from('all_locations').select('*').ilike('display_name', name)),
  ]);
  const error = byKey.error ?? byName.error;
  if (error) throw toolErrorFromDb(error, 'looking up the location');
  const rows = (byKey.data as LocationRow[]).length
    ? byKey.data as LocationRow[]
    : byName.data as LocationRow[];
  if (rows.length > 1) {
    throw new ToolError(
      'ambiguous_location',
      `"${input}" exists in several companies (${rows.map((r) => r.company).join(', ')})`,
      'Pass company to choose one.',
    );
  }
  if (!rows.length) {
    const { data } = await filtered(
      db.from('all_locations').select('location_key,display_name')
        .or(`display_name.ilike.*${name}*,location_key.ilike.*${keyFromInput(name)}*`)
        .limit(3),
    );
    const close = (data as Record<string, string>[] | null ?? [])
      .map((r) => `${r.location_key} (${r.display_name})`);
    throw new ToolError(
      'unknown_location',
      `unknown location "${input}"`,
      close.length ? `Closest matches: ${close.join(', ')}` : 'Use search_locations to find it.',
    );
  }
  return rows[0];
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function dubaiDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Dubai' }).format(now);
}

interface DetailsArgs {
  location: string;
  company?: string;
  from?: string;
  to?: string;
}

async function availability(ctx: ToolContext, location: LocationRow, from: string, to: string) {
  if (!permits(ctx.caller, OCCUPATIONS_READ)) {
    return { known: false, reason: 'You have no access to booking calendars.' };
  }
  const { data, error } = await ctx.db.from('all_location_occupations')
    .select('start_date,end_date,status,sov_percent,client_name,campaign')
    .eq('company', location.company)
    .eq('location_id', location.id)
    .neq('status', 'cancelled')
    .lte('start_date', to)
    .gte('end_date', from)
    .order('start_date');
  if (error) throw toolErrorFromDb(error, 'reading availability');
  const bookings = data as Record<string, unknown>[];
  return {
    known: true,
    period: { from, to },
    free_for_whole_period: bookings.length === 0,
    bookings,
  };
}

const locationDetails: ToolSpec<DetailsArgs> = {
  name: 'location_details',
  description: 'Full details of one location: specs, current rate cards and bookings in a period ' +
    '(default: the next 90 days) to judge availability.',
  parameters: {
    type: 'object',
    required: ['location'],
    properties: {
      location: { type: 'string', minLength: 1, description: 'Location key or display name.' },
      company: { type: 'string', description: 'Company slug, when the key exists twice.' },
      from: { ...ISO_DATE_SCHEMA, description: 'Start of the availability period (YYYY-MM-DD).' },
      to: { ...ISO_DATE_SCHEMA, description: 'End of the availability period (YYYY-MM-DD).' },
    },
    additionalProperties: false,
  },
  permission: INVENTORY_READ,
  async run(ctx, args) {
    const location = await findLocation(ctx.db, args.location, args.company);
    const from = args.from ?? dubaiDate(ctx.settings.now());
    const to = args.to ?? addDays(from, 90);
    if (to < from) throw new ToolError('invalid_request', '"to" is before "from"');
    const [rates, calendar] = await Promise.all([
      ctx.db.from('all_rate_cards')
        .select('duration_weeks,net_rate,currency,upload_fee,production_fee,valid_from,valid_to')
        .eq('company', location.company)
        .eq('location_id', location.id)
        .eq('is_active', true)
        .order('duration_weeks'),
      availability(ctx, location, from, to),
    ]);
    if (rates.error) throw toolErrorFromDb(rates.error, 'reading rate cards');
    const {
      id: _id,
      created_by: _createdBy,
      created_at: _createdAt,
      updated_at: _updatedAt,
      template_path: _template,
      ...specs
    } = location;
    return {
      ok: true,
      data: { location: specs, rate_cards: rates.data, availability: calendar },
      summary: `${location.display_name}${
        calendar.known
          ? calendar.free_for_whole_period ? ': free' : `: ${calendar.bookings!.length} booking(s)`
          : ''
      }`,
    };
  },
};

export const locationTools: ToolSpec[] = [listLocations, searchLocations, locationDetails];
