// What the prompts know about the caller's companies — names and the locations each sells —
// read with the caller's JWT, so RLS decides which companies and locations the model may hear of.
import type { SupabaseClient } from '@supabase/supabase-js';

export interface CompanyLocation {
  key: string;
  name: string;
  type: 'digital' | 'static' | string;
}

export interface CompanyContext {
  slug: string;
  name: string;
  country: string | null;
  currency: string | null;
  locations: CompanyLocation[];
}

/** The most locations listed per company in a prompt (the list is a hint, not a contract). */
export const MAX_PROMPT_LOCATIONS = 400;

export async function loadCompanyContexts(
  db: SupabaseClient,
  slugs: string[],
  options: { withLocations?: boolean } = {},
): Promise<CompanyContext[]> {
  if (!slugs.length) return [];
  const [companies, locations] = await Promise.all([
    db.from('companies').select('slug,name,country,currency').in('slug', slugs),
    options.withLocations === false ? Promise.resolve({ data: [], error: null }) : db
      .from('all_locations')
      .select('company,location_key,display_name,display_type')
      .in('company', slugs)
      .eq('is_active', true)
      .order('company')
      .order('display_name')
      .limit(MAX_PROMPT_LOCATIONS * slugs.length),
  ]);
  // A company row the caller cannot read is still named by its slug.
  const rows = new Map(
    ((companies.data ?? []) as Record<string, string | null>[]).map((c) => [c.slug as string, c]),
  );
  const byCompany = new Map<string, CompanyLocation[]>();
  for (const row of (locations.data ?? []) as Record<string, string>[]) {
    const list = byCompany.get(row.company) ?? [];
    if (list.length < MAX_PROMPT_LOCATIONS) {
      list.push({ key: row.location_key, name: row.display_name, type: row.display_type });
    }
    byCompany.set(row.company, list);
  }
  return slugs.map((slug) => ({
    slug,
    name: rows.get(slug)?.name ?? slug,
    country: rows.get(slug)?.country ?? null,
    currency: rows.get(slug)?.currency ?? null,
    locations: byCompany.get(slug) ?? [],
  }));
}
