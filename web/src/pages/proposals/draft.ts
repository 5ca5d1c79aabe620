// The proposal being built, as the form holds it, and its translation into a quote request.
import { firstOfNextMonthIso } from '../../lib/format';
import type { LocationSummary } from '../../domains/locations/hooks';
import type { ProposalType, QuoteRequest } from '../../domains/proposals/types';

export interface DraftOption {
  id: string;
  start_date: string;
  duration_weeks: string;
  net_rate: string;
}

export interface DraftItem {
  id: string;
  location: LocationSummary;
  spots: string;
  production_fee: string;
  options: DraftOption[];
}

export interface Draft {
  client_name: string;
  proposal_type: ProposalType;
  currency: string;
  payment_terms: string;
  combined_net_rate: string;
  items: DraftItem[];
}

let counter = 0;
export const newId = () => `d${Date.now().toString(36)}${(counter++).toString(36)}`;

export function emptyDraft(): Draft {
  return { client_name: '', proposal_type: 'separate', currency: 'AED', payment_terms: '100% upfront', combined_net_rate: '', items: [] };
}

export function newOption(): DraftOption {
  return { id: newId(), start_date: firstOfNextMonthIso(), duration_weeks: '4', net_rate: '' };
}

export function newItem(location: LocationSummary): DraftItem {
  return { id: newId(), location, spots: '1', production_fee: '', options: [newOption()] };
}

/** Money as typed ("1,250,000", "AED 50000") is passed through; the SQL parses and validates it. */
const money = (s: string) => s.trim();

/**
 * The quote request for the draft. `forQuote` fills a placeholder client name so the live
 * totals work before the client is typed (totals do not depend on it); generation sends the
 * real one and lets the database refuse an empty name.
 */
export function toRequest(d: Draft, forQuote: boolean): QuoteRequest {
  const combined = d.proposal_type === 'combined';
  return {
    proposal_type: d.proposal_type,
    client_name: d.client_name.trim() || (forQuote ? 'Client' : ''),
    payment_terms: d.payment_terms.trim() || undefined,
    currency: d.currency,
    combined_net_rate: combined ? money(d.combined_net_rate) : undefined,
    items: d.items.map((item) => ({
      location: item.location.location_key,
      company: item.location.company,
      spots: item.location.display_type === 'digital' ? item.spots.trim() || '1' : undefined,
      production_fee: item.location.display_type === 'static' && item.production_fee.trim() ? money(item.production_fee) : undefined,
      options: (combined ? item.options.slice(0, 1) : item.options).map((o) => ({
        start_date: o.start_date,
        duration_weeks: o.duration_weeks.trim(),
        net_rate: combined ? undefined : money(o.net_rate),
      })),
    })),
  };
}

/** What is still missing before a quote can be asked for (saves a round trip per keystroke). */
export function missingForQuote(d: Draft): string | null {
  if (!d.items.length) return 'Add at least one location.';
  if (d.proposal_type === 'combined') {
    if (d.items.length < 2) return 'A combined proposal needs at least two locations.';
    if (!d.combined_net_rate.trim()) return 'Enter the combined net rate.';
  }
  for (const item of d.items) {
    const options = d.proposal_type === 'combined' ? item.options.slice(0, 1) : item.options;
    for (const o of options) {
      if (!o.start_date || !o.duration_weeks.trim()) return `Enter start date and duration for ${item.location.display_name}.`;
      if (d.proposal_type === 'separate' && !o.net_rate.trim()) return `Enter the net rate for ${item.location.display_name}.`;
    }
  }
  return null;
}
