// One booking order: fields, figures, locations, warnings, the actions open to the viewer at
// this stage (approve, reject / cancel with a reason, resubmit), the coordinator's changes, the
// rendered Excel / PDF and the event timeline.
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, Badge, ErrorAlert, Field, Loading, Spinner } from '../../components/ui';
import { useCompanyNames } from '../../domains/companies/hooks';
import type { UploadedBookingOrder } from '../../domains/bookingOrders/functions';
import { useBookingOrder, useBookingOrderAction, useBookingOrderHistory, usePendingBookingOrders } from '../../domains/bookingOrders/hooks';
import type { BookingOrderAction } from '../../domains/bookingOrders/types';
import { formatDateTime, humanize } from '../../lib/format';
import { BookingOrderDocuments } from './BookingOrderDocuments';
import { BookingOrderEditor } from './BookingOrderEditor';
import { StatusBadge } from './StatusBadge';

const FIELD_LABELS: [string, string][] = [
  ['bo_number', 'BO number'], ['client', 'Client'], ['agency', 'Agency'], ['brand_campaign', 'Brand / campaign'],
  ['category', 'Category'], ['sales_person', 'Sales person'], ['payment_terms', 'Payment terms'], ['notes', 'Notes'],
];
const FIGURES: [string, string][] = [
  ['rental_total', 'Rental total'], ['municipality_fee', 'Municipality fee'], ['production_upload_fee', 'Production / upload fee'],
  ['net_pre_vat', 'Net before VAT'], ['vat_amount', 'VAT'], ['gross_amount', 'Gross'], ['sla_deduction', 'SLA deduction'], ['net_excl_sla', 'Net after SLA'],
];

export function BookingOrderDetail() {
  const { id = '' } = useParams();
  const order = useBookingOrder(id);
  const history = useBookingOrderHistory(id);
  const pending = usePendingBookingOrders();
  const act = useBookingOrderAction();
  const companyName = useCompanyNames();
  const [reasonFor, setReasonFor] = useState<'reject' | 'cancel' | null>(null);
  const [reason, setReason] = useState('');
  const uploaded = (useLocation().state as { uploaded?: UploadedBookingOrder & { file_name: string } } | null)?.uploaded;

  if (order.isLoading) return <Loading />;
  if (order.error) return <ErrorAlert error={order.error} title="This booking order cannot be shown" />;
  const bo = order.data!;
  const actions = (pending.data?.find((p) => p.booking_order_id === id)?.actions ?? []) as BookingOrderAction[];
  const run = (action: 'approve' | 'reject' | 'cancel' | 'resubmit', why?: string) =>
    act.mutate({ id, stage: bo.stage, action, reason: why }, { onSuccess: () => { setReasonFor(null); setReason(''); void order.refetch(); void history.refetch(); } });
  const warnings = bo.warnings.map((w) => (typeof w === 'string' ? w : w.message ?? JSON.stringify(w)));

  return (
    <div className="split">
      <div className="stack" style={{ gap: 16 }}>
        {uploaded?.booking_order_id === id ? (
          <Alert tone="success" title="Booking order submitted">
            Read from {uploaded.file_name} ({humanize(uploaded.classification.kind.toLowerCase())}, {uploaded.classification.confidence} confidence)
            {' '}and sent to the coordinators of {companyName(uploaded.company)}.
          </Alert>
        ) : null}
        <section className="card" aria-labelledby="bo-title">
          <div className="card-title">
            <div>
              <h2 id="bo-title" style={{ marginBottom: 2 }}>{bo.fields.client ?? 'Unknown client'} · {bo.fields.brand_campaign ?? ''}</h2>
              <span className="small muted">{companyName(bo.company)} · submitted by {bo.owner_name ?? '—'} {bo.submitted_at ? `on ${formatDateTime(bo.submitted_at)}` : ''}</span>
            </div>
            <div className="stack" style={{ alignItems: 'flex-end', gap: 4 }}>
              <span data-testid="bo-status"><StatusBadge stage={bo.stage} status={bo.status} /></span>
              {bo.bo_ref ? <span className="mono small" data-testid="bo-ref">{bo.bo_ref}</span> : null}
            </div>
          </div>
          {bo.status_reason ? <Alert tone="warning" title="Reason">{bo.status_reason}</Alert> : null}
          {warnings.length || bo.missing_fields.length ? (
            <Alert tone="warning" title="Check before approving">
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {warnings.map((w, i) => <li key={i}>{w}</li>)}
                {bo.missing_fields.length ? <li>Missing: {bo.missing_fields.map(humanize).join(', ')}</li> : null}
              </ul>
            </Alert>
          ) : null}
          <dl className="totals" style={{ marginTop: 12 }}>
            {FIELD_LABELS.map(([k, label]) => (
              <FieldRow key={k} label={label} value={bo.fields[k] as string | null | undefined} />
            ))}
            <FieldRow label="BO date" value={bo.display.bo_date} />
            <FieldRow label="Currency" value={bo.currency} />
            <FieldRow label="SLA" value={bo.figures.sla_pct != null ? `${(Number(bo.figures.sla_pct) * 100).toFixed(1)}%` : null} />
          </dl>
        </section>
        <section className="card" aria-labelledby="bo-items-title">
          <h2 id="bo-items-title">Locations</h2>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">Location</th><th scope="col">Period</th><th scope="col">Duration</th><th scope="col" className="num">Net</th><th scope="col" className="num">After SLA</th></tr></thead>
              <tbody>
                {bo.items.map((i) => (
                  <tr key={i.position}>
                    <td>{i.name ?? i.asset ?? '—'}{i.location_key ? <div className="small faint mono">{i.location_key}</div> : null}</td>
                    <td className="small">{i.start_date_display ?? '—'} – {i.end_date_display ?? '—'}</td>
                    <td>{i.campaign_duration ?? '—'}</td>
                    <td className="num">{i.net_amount?.toLocaleString('en-US', { minimumFractionDigits: 2 }) ?? '—'}</td>
                    <td className="num">{i.post_sla_amount?.toLocaleString('en-US', { minimumFractionDigits: 2 }) ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {actions.includes('edit') ? <BookingOrderEditor bo={bo} /> : null}
        <section className="card" aria-labelledby="bo-history-title">
          <h2 id="bo-history-title">Timeline</h2>
          <ErrorAlert error={history.error} title="The history could not be loaded" />
          <ol className="stack" style={{ paddingLeft: 18, margin: 0 }} data-testid="bo-timeline">
            {(history.data ?? []).map((e) => (
              <li key={e.event_id}>
                <strong>{humanize(e.event_type)}</strong> <span className="muted">by {e.actor_name ?? 'the system'} · {formatDateTime(e.created_at)}</span>
                {e.reason ? <div className="small">“{e.reason}”</div> : null}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <aside className="card sticky" aria-labelledby="bo-money-title">
        <h2 id="bo-money-title">Figures</h2>
        <dl className="totals" data-testid="bo-figures">
          {FIGURES.map(([k, label]) => (bo.display[k] ? <FieldRow key={k} label={label} value={bo.display[k]} /> : null))}
        </dl>
        {bo.needs_review ? <p className="small" style={{ marginTop: 8 }}><Badge tone="warning">needs review</Badge> stated and computed figures differ.</p> : null}
        <hr style={{ border: 0, borderTop: '1px solid var(--border)', margin: '16px 0' }} />
        <ErrorAlert error={act.error} title="The action was refused" />
        {actions.length ? (
          <div className="stack">
            <div className="row">
              {actions.includes('approve') ? (
                <button type="button" className="btn btn-primary" disabled={act.isPending} onClick={() => run('approve')}>
                  {act.isPending ? <Spinner label="Approving" /> : null} {bo.stage === 'hos' ? 'Final approval' : 'Approve'}
                </button>
              ) : null}
              {actions.includes('resubmit') ? <button type="button" className="btn" disabled={act.isPending} onClick={() => run('resubmit')}>Resubmit</button> : null}
              {actions.includes('reject') ? <button type="button" className="btn" onClick={() => setReasonFor('reject')}>Reject…</button> : null}
              {actions.includes('cancel') ? <button type="button" className="btn btn-ghost" onClick={() => setReasonFor('cancel')}>Cancel order…</button> : null}
            </div>
            {reasonFor ? (
              <form className="stack" onSubmit={(e) => { e.preventDefault(); if (reason.trim()) run(reasonFor, reason.trim()); }}>
                <Field label={reasonFor === 'reject' ? 'Reason for rejecting' : 'Reason for cancelling'}>
                  {(fid) => <textarea id={fid} className="textarea" required value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />}
                </Field>
                <div className="row">
                  <button type="submit" className="btn btn-danger btn-sm" disabled={!reason.trim() || act.isPending}>{reasonFor === 'reject' ? 'Reject' : 'Cancel the order'}</button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => setReasonFor(null)}>Back</button>
                </div>
              </form>
            ) : null}
          </div>
        ) : (
          <p className="small muted">{bo.status === 'approved' ? `Approved${bo.approved_by_name ? ` by ${bo.approved_by_name}` : ''} ${formatDateTime(bo.approved_at)}.` : 'No action waits for you on this order.'}</p>
        )}
        <hr style={{ border: 0, borderTop: '1px solid var(--border)', margin: '16px 0' }} />
        <BookingOrderDocuments id={id} bo={bo} />
        <Link className="btn btn-ghost btn-sm" to="/booking-orders">Back to the queue</Link>
      </aside>
    </div>
  );
}

function FieldRow({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </>
  );
}
