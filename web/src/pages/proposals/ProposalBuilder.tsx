// The proposal builder: client, type, currency, locations with their options; live totals from
// the SQL quote; generate with progress and download.
import { useMemo, useState } from 'react';
import { ErrorAlert, Field, Segmented, Spinner } from '../../components/ui';
import { useAccess } from '../../domains/session/access';
import { useCurrencies, useQuote, useRequestProposal } from '../../domains/proposals/hooks';
import type { ProposalType } from '../../domains/proposals/types';
import { useDebounced } from '../../lib/hooks';
import { type Draft, emptyDraft, missingForQuote, newItem, toRequest } from './draft';
import { GenerationStatus } from './GenerationStatus';
import { LocationPicker } from './LocationPicker';
import { ProposalItemCard } from './ProposalItemCard';
import { QuoteSummary } from './QuoteSummary';

export function ProposalBuilder() {
  const { has } = useAccess();
  const canCreate = has('sales:proposals:create');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [generation, setGeneration] = useState<{ proposalId: string; jobId: string } | null>(null);
  const currencies = useCurrencies();
  const requestProposal = useRequestProposal();

  const missing = missingForQuote(draft);
  // Serialised so the debounce and the query key compare by value.
  const requestJson = missing ? null : JSON.stringify(toRequest(draft, true));
  const debouncedJson = useDebounced(requestJson, 300);
  const debouncedRequest = useMemo(() => (debouncedJson ? JSON.parse(debouncedJson) : null), [debouncedJson]);
  const quote = useQuote(debouncedRequest);
  const settling = requestJson !== debouncedJson || quote.isFetching;

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setGeneration(null);
  };

  const generate = () => {
    requestProposal.mutate(toRequest(draft, false), {
      onSuccess: (r) => setGeneration({ proposalId: r.proposal_id, jobId: r.job_id }),
    });
  };

  if (!canCreate) {
    return <p className="muted">Your profile can read proposals but not create them. See the History tab.</p>;
  }

  return (
    <div className="split">
      <div className="stack" style={{ gap: 16 }}>
        <section className="card" aria-labelledby="proposal-basics">
          <h2 id="proposal-basics">Client and terms</h2>
          <div className="grid grid-2">
            <Field label="Client name">
              {(id) => <input id={id} className="input" value={draft.client_name} maxLength={200} onChange={(e) => update({ client_name: e.target.value })} placeholder="e.g. Emirates NBD" />}
            </Field>
            <div className="field">
              <span className="label" id="ptype-label">Proposal type</span>
              <Segmented<ProposalType>
                label="Proposal type"
                value={draft.proposal_type}
                onChange={(v) => update({ proposal_type: v })}
                options={[{ value: 'separate', label: 'Separate' }, { value: 'combined', label: 'Combined package' }]}
              />
            </div>
            <Field label="Currency" hint="Money is entered in AED; other currencies are display conversions.">
              {(id, d) => (
                <select id={id} aria-describedby={d} className="select" value={draft.currency} onChange={(e) => update({ currency: e.target.value })}>
                  {(currencies.data ?? [{ code: 'AED', name: 'UAE dirham', symbol: 'AED' }]).map((c) => <option key={c.code} value={c.code}>{c.code} — {c.name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Payment terms">
              {(id) => <input id={id} className="input" value={draft.payment_terms} maxLength={500} onChange={(e) => update({ payment_terms: e.target.value })} />}
            </Field>
            {draft.proposal_type === 'combined' ? (
              <Field label="Combined net rate (AED)" hint="One rate for the whole package.">
                {(id, d) => <input id={id} aria-describedby={d} className="input" inputMode="decimal" value={draft.combined_net_rate} onChange={(e) => update({ combined_net_rate: e.target.value })} placeholder="e.g. 1,200,000" />}
              </Field>
            ) : null}
          </div>
        </section>

        <section className="card" aria-labelledby="proposal-locations">
          <div className="card-title"><h2 id="proposal-locations">Locations</h2><span className="muted small">{draft.items.length} selected</span></div>
          <LocationPicker
            picked={(l) => draft.items.some((i) => i.location.location_key === l.location_key && i.location.company === l.company)}
            onPick={(l) => update({ items: [...draft.items, newItem(l)] })}
          />
          <div style={{ marginTop: 16 }}>
            {draft.items.map((item, i) => (
              <ProposalItemCard
                key={item.id}
                item={item}
                index={i}
                proposalType={draft.proposal_type}
                onChange={(next) => update({ items: draft.items.map((x) => (x.id === item.id ? next : x)) })}
                onRemove={() => update({ items: draft.items.filter((x) => x.id !== item.id) })}
              />
            ))}
          </div>
        </section>
      </div>

      <aside className="card sticky" aria-labelledby="quote-title">
        <div className="card-title">
          <h2 id="quote-title">Quote</h2>
          {settling && !missing ? <Spinner label="Updating the quote" /> : null}
        </div>
        <QuoteSummary quote={missing ? undefined : quote.data} error={missing ? null : quote.error} pending={settling} missing={missing} />
        <hr style={{ border: 0, borderTop: '1px solid var(--border)', margin: '16px 0' }} />
        <div className="stack">
          <ErrorAlert error={requestProposal.error} title="The proposal could not be started" />
          <button
            type="button"
            className="btn btn-primary"
            onClick={generate}
            disabled={Boolean(missing) || !draft.client_name.trim() || Boolean(quote.error) || settling || requestProposal.isPending || Boolean(generation)}
          >
            {requestProposal.isPending ? <Spinner label="Starting" /> : null} Generate proposal
          </button>
          {!draft.client_name.trim() && !missing ? <span className="small faint">Enter the client name to generate.</span> : null}
          {generation ? <GenerationStatus proposalId={generation.proposalId} jobId={generation.jobId} /> : null}
          {generation ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => { setDraft(emptyDraft()); setGeneration(null); requestProposal.reset(); }}>
              Start a new proposal
            </button>
          ) : null}
        </div>
      </aside>
    </div>
  );
}
