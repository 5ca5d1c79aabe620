// Locations of the user's companies (public.all_locations: a union over the company schemas,
// each under its own RLS), searched by key, name, series or city.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { signedUrl } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import { locationKeys } from './keys';

export interface LocationSummary {
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  series: string | null;
  city: string | null;
  area: string | null;
  upload_fee: number | null;
}

/** PostgREST `or` values must not contain its own syntax characters. */
function safeLike(text: string): string {
  return text.replace(/[%_,.()*\\"']/g, ' ').trim();
}

export function useLocationSearch(company: string | null, text: string) {
  return useQuery({
    queryKey: locationKeys.search(company, text),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    queryFn: async () => {
      let q = supabase()
        .from('all_locations')
        .select('company, location_key, display_name, display_type, series, city, area, upload_fee')
        .eq('is_active', true)
        .order('display_name')
        .limit(50);
      if (company) q = q.eq('company', company);
      const t = safeLike(text);
      if (t) {
        const like = `*${t}*`;
        q = q.or(`display_name.ilike.${like},location_key.ilike.${like},series.ilike.${like},city.ilike.${like},area.ilike.${like}`);
      }
      return unwrap(await q) as LocationSummary[];
    },
  });
}

/** A signed URL of a photo in the location-photos bucket. */
export function useLocationPhotoUrl(path: string | null | undefined) {
  return useQuery({
    queryKey: locationKeys.photoUrl(path ?? 'none'),
    enabled: Boolean(path),
    staleTime: 50 * 60_000,
    queryFn: () => signedUrl('location-photos', path!, { expiresIn: 3600 }),
  });
}
