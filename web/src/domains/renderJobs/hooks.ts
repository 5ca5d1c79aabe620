// Progress of a render job (proposal PDF, mockup), polled until it finishes. Jobs are readable
// by their owner through RLS; the renderer updates status and progress.
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
import { renderJobKeys } from './keys';

export function useRenderJob(id: string | null, intervalMs = 1000) {
  return useQuery({
    queryKey: renderJobKeys.detail(id ?? 'none'),
    enabled: Boolean(id),
    queryFn: async () => unwrap(await supabase()
      .from('render_jobs')
      .select('id, kind, status, progress, error, attempts, max_attempts, result, created_at, started_at, finished_at')
      .eq('id', id!)
      .single()),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : intervalMs;
    },
  });
}
