// Texts of the location and terms slides that derive from the quote: the specs table read
// back from the §1.7 description line, and the terms with the validity date written out.
import { formatValidityDate } from './dates.ts';
import type { Quote, QuoteLocation } from './quote.ts';

export type SpecRow = [label: string, value: string];

/**
 * Type, size and faces for every location; spots, spot length, share of voice and loop for
 * digital ones (§1.7: static locations never show them). The quote carries these only inside
 * `description`, whose parts §1.7 fixes, so they are read back from there.
 */
export function locationSpecs(location: QuoteLocation): SpecRow[] {
  const rows: SpecRow[] = [['Type', location.display_type === 'digital' ? 'Digital' : 'Static']];
  const digital = location.display_type === 'digital';
  for (const part of location.description.split(' - ').slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^Size \((.+)\)$/.exec(part))) rows.push(['Size', m[1]]);
    else if (part === 'Multiple Sizes') rows.push(['Size', 'Multiple sizes']);
    else if ((m = /^(\d+) faces?$/.exec(part))) rows.push(['Faces', m[1]]);
    else if (!digital) continue;
    else if ((m = /^(\d+) spots?$/.exec(part))) rows.push(['Spots', m[1]]);
    else if ((m = /^(\d+) Seconds$/.exec(part))) rows.push(['Spot length', `${m[1]} seconds`]);
    else if ((m = /^([\d.]+)% SOV$/.exec(part))) rows.push(['Share of voice', `${m[1]}%`]);
    else if ((m = /^(\d+) seconds loop$/.exec(part))) rows.push(['Loop', `${m[1]} seconds`]);
  }
  return rows;
}

/**
 * The T&C bullets of §1.6 from `quote.terms`, with the ISO validity date written as
 * "22nd of December, 2026". A quote whose terms do not mention the date gets the sentence.
 */
export function proposalTerms(quote: Quote): string[] {
  const validity = formatValidityDate(quote.valid_until);
  let mentioned = false;
  const terms = quote.terms.map((term) => {
    if (!term.includes(quote.valid_until)) return term;
    mentioned = true;
    return term.split(quote.valid_until).join(validity);
  });
  if (!mentioned) terms.push(`Proposal valid until ${validity}.`);
  return terms;
}
