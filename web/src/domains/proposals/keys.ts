// Query keys of the proposals domain.
import type { ProposalFilters, QuoteRequest } from './types';

export const proposalKeys = {
  all: ['proposals'] as const,
  lists: () => [...proposalKeys.all, 'list'] as const,
  list: (filters: ProposalFilters) => [...proposalKeys.lists(), filters] as const,
  detail: (id: string) => [...proposalKeys.all, 'detail', id] as const,
  quote: (request: QuoteRequest) => [...proposalKeys.all, 'quote', request] as const,
  currencies: () => [...proposalKeys.all, 'currencies'] as const,
};
