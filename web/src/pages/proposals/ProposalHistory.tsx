// Proposals the user can see (own, team's as leader, company-wide as manager, shared), newest
// first, with search, type filter and downloads.
import { useState } from 'react';
import { Badge, EmptyState, ErrorAlert, Field, Loading, Segmented } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { proposalFilename, useDownloadProposalFile, useProposals } from '../../domains/proposals/hooks';
import type { ProposalType } from '../../domains/proposals/types';
import { useUserNames } from '../../domains/admin/hooks';
import { startDownload } from '../../lib/download';
import { formatAed, formatDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/hooks';

const STATUS_TONE = { ready: 'success', generating: 'info', failed: 'danger', draft: undefined } as const;

export function ProposalHistory() {
  const { company } = useCurrentCompany();
  const [search, setSearch] = useState('');
  const [type, setType] = useState<ProposalType | 'all'>('all');
  const debounced = useDebounced(search, 300);
  const proposals = useProposals({ search: debounced, type, company });
  const download = useDownloadProposalFile();
  const companyName = useCompanyNames();
  const userName = useUserNames((proposals.data ?? []).map((p) => p.owner_id));

  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-title">
        <h2 id="history-title">Proposal history</h2>
        <div className="row">
          <Field label="Search client">
            {(id) => <input id={id} className="input" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Client name" />}
          </Field>
          <div className="field">
            <span className="label">Type</span>
            <Segmented<ProposalType | 'all'> label="Proposal type" value={type} onChange={setType}
              options={[{ value: 'all', label: 'All' }, { value: 'separate', label: 'Separate' }, { value: 'combined', label: 'Combined' }]} />
          </div>
        </div>
      </div>
      <ErrorAlert error={proposals.error} title="Proposals could not be loaded" onRetry={() => void proposals.refetch()} />
      <ErrorAlert error={download.error} title="Download failed" />
      {proposals.isLoading ? <Loading /> : null}
      {proposals.data && proposals.data.length === 0 ? <EmptyState title="No proposals yet">Generated proposals appear here.</EmptyState> : null}
      {proposals.data && proposals.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="proposal-history">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Locations</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Total (AED)</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="visually-hidden">Downloads</span></th>
              </tr>
            </thead>
            <tbody>
              {proposals.data.map((p) => (
                <tr key={p.id}>
                  <td><strong>{p.client_name}</strong><div className="small faint">{companyName(p.company)}</div></td>
                  <td className="small">{p.locations.join(', ') || '—'}</td>
                  <td>{p.proposal_type}</td>
                  <td className="num">{formatAed(p.total_amount)}</td>
                  <td className="small">{userName(p.owner_id)}</td>
                  <td className="small">{formatDateTime(p.created_at)}</td>
                  <td><Badge tone={STATUS_TONE[p.status]}>{p.status}</Badge></td>
                  <td>
                    <div className="row" style={{ gap: 6, flexWrap: 'nowrap' }}>
                      {p.pdf_path ? (
                        <button type="button" className="btn btn-sm" aria-label={`Download the PDF of ${p.client_name}`}
                          onClick={() => download.mutate({ path: p.pdf_path!, filename: proposalFilename(p.client_name, p.created_at, 'pdf') }, { onSuccess: startDownload })}>
                          <Icon name="download" /> PDF
                        </button>
                      ) : null}
                      {p.pptx_path ? (
                        <button type="button" className="btn btn-sm btn-ghost" aria-label={`Download the PowerPoint of ${p.client_name}`}
                          onClick={() => download.mutate({ path: p.pptx_path!, filename: proposalFilename(p.client_name, p.created_at, 'pptx') }, { onSuccess: startDownload })}>
                          PPTX
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
