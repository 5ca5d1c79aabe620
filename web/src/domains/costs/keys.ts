// Query keys of the AI costs domain.
import type { CostFilters } from './aggregate';

export const costKeys = {
  all: ['ai-costs'] as const,
  list: (filters: CostFilters) => [...costKeys.all, 'list', filters] as const,
};
