// Data hooks of the proposals domain: live quotes from SQL, generation, history, downloads.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, unwrapMaybe } from '../../lib/errors';
import { signedUrl } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import type { Json } from '../../lib/database.types';
import { proposalKeys } from './keys';
import type { ProposalFilters, Quote, QuoteRequest, RequestProposalResult } from './types';

/** The SQL quote for a (debounced) request; null request = nothing to quote yet. */
export function useQuote(request: QuoteRequest | null) {
  return useQuery({
    queryKey: request ? proposalKeys.quote(request) : [...proposalKeys.all, 'quote', 'none'],
    enabled: request !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
    queryFn: async () => unwrap(await supabase().rpc('quote_proposal', { request: request as unknown as Json })) as unknown as Quote,
  });
}

export function useCurrencies() {
  return useQuery({
    queryKey: proposalKeys.currencies(),
    staleTime: 60 * 60_000,
    queryFn: async () => unwrap(await supabase().from('currencies').select('code, name, symbol').order('code')),
  });
}

export function useRequestProposal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: QuoteRequest) =>
      unwrap(await supabase().rpc('request_proposal', { request: request as unknown as Json })) as unknown as RequestProposalResult,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: proposalKeys.lists() }),
  });
}

export function useProposals(filters: ProposalFilters) {
  return useQuery({
    queryKey: proposalKeys.list(filters),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      let q = supabase()
        .from('proposals')
        .select('id, owner_id, company, client_name, proposal_type, currency, status, total_amount, pdf_path, pptx_path, created_at')
        .order('created_at', { ascending: false })
        .limit(100);
      if (filters.search.trim()) q = q.ilike('client_name', `%${filters.search.trim()}%`);
      if (filters.type !== 'all') q = q.eq('proposal_type', filters.type);
      if (filters.company) q = q.eq('company', filters.company);
      const proposals = unwrap(await q);
      const ids = proposals.map((p) => p.id);
      const items = ids.length
        ? unwrap(await supabase().from('proposal_items').select('proposal_id, display_name, location_key, position, option_no').in('proposal_id', ids).eq('option_no', 1).order('position'))
        : [];
      return proposals.map((p) => ({
        ...p,
        locations: items.filter((i) => i.proposal_id === p.id).map((i) => i.display_name ?? i.location_key),
      }));
    },
  });
}

export function useProposal(id: string | null) {
  return useQuery({
    queryKey: proposalKeys.detail(id ?? 'none'),
    enabled: Boolean(id),
    queryFn: async () => unwrapMaybe(await supabase().from('proposals').select('*').eq('id', id!).maybeSingle()),
  });
}

/** A short-lived link to a proposal file, opened as a download with a readable name. */
export function useDownloadProposalFile() {
  return useMutation({
    mutationFn: async ({ path, filename }: { path: string; filename: string }) => signedUrl('proposals', path, { download: filename, expiresIn: 3600 }),
  });
}

export function proposalFilename(clientName: string, createdAt: string, ext: 'pdf' | 'pptx'): string {
  const slug = clientName.trim().replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'Proposal';
  return `${slug}_${createdAt.slice(0, 10)}.${ext}`;
}
