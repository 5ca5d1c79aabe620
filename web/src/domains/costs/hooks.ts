// AI cost rows the caller may read (own, teams led, company-wide with core:ai_costs:manage),
// filtered in SQL and fetched page by page (the API caps a page at 1000 rows).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
import type { CostFilters, CostRow } from './aggregate';
import { costKeys } from './keys';

const PAGE = 1000;
const MAX_ROWS = 20_000;

export function useAiCosts(filters: CostFilters) {
  return useQuery({
    queryKey: costKeys.list(filters),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const rows: CostRow[] = [];
      let truncated = false;
      for (let offset = 0; ; offset += PAGE) {
        let q = supabase().from('ai_costs')
          .select('id, occurred_at, owner_id, company, call_type, workflow, provider, model, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, total_tokens, total_cost')
          .gte('occurred_at', `${filters.from}T00:00:00Z`)
          .lt('occurred_at', nextDay(filters.to))
          .order('occurred_at', { ascending: false })
          .range(offset, offset + PAGE - 1);
        if (filters.callType) q = q.eq('call_type', filters.callType);
        if (filters.workflow) q = q.eq('workflow', filters.workflow);
        if (filters.userId) q = q.eq('owner_id', filters.userId);
        if (filters.company) q = q.eq('company', filters.company);
        const page = unwrap(await q) as CostRow[];
        rows.push(...page);
        if (page.length < PAGE) break;
        if (rows.length >= MAX_ROWS) {
          truncated = true;
          break;
        }
      }
      return { rows, truncated };
    },
  });
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}
