// Request and answer of public.quote_proposal / request_proposal (jsonb, described by
// docs/contracts/proposals-and-render-jobs.md, so typed here rather than generated).
import type { Tables } from '../../lib/database.types';

export type ProposalType = Tables<'proposals'>['proposal_type'];

export interface QuoteOptionInput {
  start_date: string;
  duration_weeks: number | string;
  net_rate?: number | string;
}

export interface QuoteItemInput {
  location: string;
  company?: string;
  spots?: number | string;
  production_fee?: number | string | null;
  options: QuoteOptionInput[];
}

export interface QuoteRequest {
  proposal_type: ProposalType;
  client_name: string;
  payment_terms?: string;
  currency?: string;
  combined_net_rate?: number | string | null;
  items: QuoteItemInput[];
}

export interface Money {
  aed: string;
  amount: string;
  display: string;
}

export interface QuoteOption {
  start_date: string;
  end_date: string;
  duration_weeks: number;
  net_rate?: Money;
  subtotal?: Money;
  vat?: Money;
  total?: Money;
}

export interface QuoteLocation {
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  series: string | null;
  description: string;
  photo_path: string | null;
  spots: number;
  fee_label: string;
  fee: Money;
  options: QuoteOption[];
}

export interface Quote {
  proposal_type: ProposalType;
  client_name: string;
  payment_terms: string;
  currency: { code: string; symbol: string; symbol_position: 'prefix' | 'suffix'; decimals: number; aed_per_unit: string };
  proposal_date: string;
  valid_until: string;
  vat_rate: string;
  municipality_fee: Money;
  locations: QuoteLocation[];
  package: null | { net_rate: Money; fee_label: string; total_fees: Money; subtotal: Money; vat: Money; total: Money };
  totals: { subtotal: Money; vat: Money; total: Money };
  terms: string[];
}

export interface RequestProposalResult {
  proposal_id: string;
  job_id: string;
  quote: Quote;
}

export interface ProposalFilters {
  search: string;
  type: ProposalType | 'all';
  company: string | null;
}
