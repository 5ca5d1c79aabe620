// Live totals: exactly what public.quote_proposal answered (money formatted by the database).
import { Alert, Badge, Spinner } from '../../components/ui';
import { toApiError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import type { Quote } from '../../domains/proposals/types';

export function QuoteSummary({ quote, error, pending, missing }: { quote: Quote | undefined; error: unknown; pending: boolean; missing: string | null }) {
  if (missing) {
    return <p className="muted" data-testid="quote-missing">{missing}</p>;
  }
  const err = error ? toApiError(error) : null;
  return (
    <div className="stack" aria-live="polite" aria-busy={pending}>
      {err ? (
        <Alert tone="warning" title="The quote cannot be computed yet">
          <span data-testid="quote-error">{err.message}</span>
          {err.hint ? <div className="small muted">{err.hint}</div> : null}
        </Alert>
      ) : null}
      {quote ? (
        <div style={{ opacity: err ? 0.5 : 1 }}>
          {quote.package ? (
            <dl className="totals small" style={{ marginBottom: 12 }}>
              <dt>Combined net rate</dt><dd>{quote.package.net_rate.display}</dd>
              <dt>{quote.package.fee_label.replace(/:$/, '')}</dt><dd>{quote.package.total_fees.display}</dd>
            </dl>
          ) : (
            <ul className="stack small" style={{ listStyle: 'none', padding: 0, margin: '0 0 12px' }}>
              {quote.locations.map((l) => (
                <li key={`${l.company}/${l.location_key}`}>
                  <div className="row between"><strong>{l.display_name}</strong><Badge>{l.fee_label.replace(/:$/, '')} {l.fee.display}</Badge></div>
                  {l.options.map((o, i) => (
                    <div className="row between muted" key={i}>
                      <span>{formatDate(o.start_date)} · {o.duration_weeks} wk</span>
                      <span className="mono">{o.total?.display}</span>
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          )}
          <dl className="totals" data-testid="quote-totals">
            <dt>Municipality fee</dt><dd>{quote.municipality_fee.display}</dd>
            <dt>Subtotal</dt><dd data-testid="quote-subtotal">{quote.totals.subtotal.display}</dd>
            <dt>VAT {Math.round(Number(quote.vat_rate) * 100)}%</dt><dd data-testid="quote-vat">{quote.totals.vat.display}</dd>
            <dt>Total</dt><dd className="grand" data-testid="quote-total">{quote.totals.total.display}</dd>
          </dl>
          {quote.proposal_type === 'separate' && quote.locations.some((l) => l.options.length > 1) ? (
            <p className="small faint" style={{ marginTop: 8 }}>Totals add up the first option of each location.</p>
          ) : null}
          <p className="small faint" style={{ marginTop: 8 }}>Valid until {formatDate(quote.valid_until)}.</p>
        </div>
      ) : pending ? <span className="row muted"><Spinner /> Calculating…</span> : null}
    </div>
  );
}
