// Companies the signed-in user can see (RLS: their company closure; admins: all).
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
import { companyKeys } from './keys';

export function useCompanies() {
  return useQuery({
    queryKey: companyKeys.list(),
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await supabase()
      .from('companies')
      .select('id, slug, name, parent_id, is_group, is_active, currency, country, schema_provisioned_at')
      .order('name')),
  });
}

/** slug → display name, falling back to the slug itself. */
export function useCompanyNames(): (slug: string | null | undefined) => string {
  const { data } = useCompanies();
  return (slug) => {
    if (!slug) return '—';
    return data?.find((c) => c.slug === slug)?.name ?? slug;
  };
}
