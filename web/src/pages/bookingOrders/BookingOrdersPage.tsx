// Booking orders: what waits for me (coordinator / head of sales), every order I can read, the
// document upload (/booking-orders/new, for people who submit orders), and one order's detail
// with its actions, changes, documents and timeline (/booking-orders/:id).
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Alert, Badge, EmptyState, ErrorAlert, Loading, PageHeader, TabPanel, Tabs } from '../../components/ui';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { isNotDeployed, useBookingOrders, usePendingBookingOrders } from '../../domains/bookingOrders/hooks';
import { useUserNames } from '../../domains/admin/hooks';
import { useAccess } from '../../domains/session/access';
import { formatDateTime } from '../../lib/format';
import { BookingOrderDetail } from './BookingOrderDetail';
import { StatusBadge } from './StatusBadge';
import { UploadPanel } from './UploadPanel';

type Tab = 'queue' | 'all' | 'new';

const money = (amount: number | null, currency: string) =>
  amount == null ? '—' : `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

function NotAvailable() {
  return (
    <Alert tone="info" title="Booking orders are not available yet">
      The booking-order workflow has not been deployed on this platform yet.
    </Alert>
  );
}

function Queue() {
  const pending = usePendingBookingOrders();
  const companyName = useCompanyNames();
  if (pending.error && isNotDeployed(pending.error)) return <NotAvailable />;
  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting for you</h2>
      <ErrorAlert error={pending.error} title="The queue could not be loaded" onRetry={() => void pending.refetch()} />
      {pending.isLoading ? <Loading /> : null}
      {pending.data && pending.data.length === 0 ? <EmptyState title="Nothing waits for you">Booking orders that need your review appear here.</EmptyState> : null}
      {pending.data && pending.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="bo-queue">
            <thead><tr><th scope="col">Client</th><th scope="col">Stage</th><th scope="col">Company</th><th scope="col" className="num">Gross</th><th scope="col">Submitted by</th><th scope="col">Since</th><th scope="col"><span className="visually-hidden">Open</span></th></tr></thead>
            <tbody>
              {pending.data.map((b) => (
                <tr key={b.booking_order_id}>
                  <td><strong>{b.client_name ?? '—'}</strong><div className="small faint">{b.brand_campaign ?? ''} {b.bo_number ? `· ${b.bo_number}` : ''}</div>
                    {b.needs_review ? <Badge tone="warning">needs review</Badge> : null}</td>
                  <td><StatusBadge stage={b.stage} status={b.status} /></td>
                  <td className="small">{companyName(b.company)}</td>
                  <td className="num">{money(b.gross_amount, b.currency)}</td>
                  <td className="small">{b.owner_name ?? '—'}</td>
                  <td className="small">{formatDateTime(b.status_changed_at ?? b.submitted_at)}</td>
                  <td><Link className="btn btn-sm" to={`/booking-orders/${b.booking_order_id}`} aria-label={`Review the booking order of ${b.client_name ?? 'unknown client'}`}>Review</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function AllOrders() {
  const { company } = useCurrentCompany();
  const orders = useBookingOrders(company);
  const companyName = useCompanyNames();
  const userName = useUserNames((orders.data ?? []).map((o) => o.owner_id));
  if (orders.error && isNotDeployed(orders.error)) return <NotAvailable />;
  return (
    <section className="card" aria-labelledby="all-title">
      <h2 id="all-title">Booking orders</h2>
      <ErrorAlert error={orders.error} title="Booking orders could not be loaded" onRetry={() => void orders.refetch()} />
      {orders.isLoading ? <Loading /> : null}
      {orders.data && orders.data.length === 0 ? <EmptyState title="No booking orders">Orders you submit, review or receive appear here.</EmptyState> : null}
      {orders.data && orders.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="bo-list">
            <thead><tr><th scope="col">Reference</th><th scope="col">Client</th><th scope="col">Status</th><th scope="col">Company</th><th scope="col" className="num">Gross</th><th scope="col">Owner</th><th scope="col">Submitted</th></tr></thead>
            <tbody>
              {orders.data.map((o) => (
                <tr key={o.id}>
                  <td><Link to={`/booking-orders/${o.id}`}>{o.bo_ref ?? o.bo_number ?? 'Draft'}</Link></td>
                  <td><strong>{o.client_name ?? '—'}</strong><div className="small faint">{o.brand_campaign ?? ''}</div></td>
                  <td><StatusBadge stage={o.stage} status={o.status} /></td>
                  <td className="small">{companyName(o.company)}</td>
                  <td className="num">{money(o.gross_amount, o.currency)}</td>
                  <td className="small">{userName(o.owner_id)}</td>
                  <td className="small">{formatDateTime(o.submitted_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export default function BookingOrdersPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { has } = useAccess();
  const canUpload = has('sales:booking_orders:create');
  const sub = location.pathname.replace(/\/$/, '').split('/')[2];
  const detail = sub && sub !== 'all' && sub !== 'new';
  const tab: Tab = sub === 'all' ? 'all' : sub === 'new' ? 'new' : 'queue';
  const tabs: { id: Tab; label: string }[] = [{ id: 'queue', label: 'Waiting for me' }, { id: 'all', label: 'All I can see' }];
  if (canUpload) tabs.push({ id: 'new', label: 'Upload' });
  return (
    <>
      <PageHeader title="Booking orders" description="Review and approve booking orders: coordinator, then head of sales, then finance." />
      {!detail ? (
        <>
          <Tabs<Tab> label="Booking order views" value={tab} onChange={(t) => navigate(t === 'queue' ? '/booking-orders' : `/booking-orders/${t}`)} tabs={tabs} />
        </>
      ) : null}
      <TabPanel id={detail ? 'detail' : tab}>
        <Routes>
          <Route index element={<Queue />} />
          <Route path="all" element={<AllOrders />} />
          <Route path="new" element={canUpload ? <UploadPanel /> : (
            <Alert tone="warning" title="No access to uploads">Submitting booking orders needs the booking-order create permission.</Alert>
          )} />
          <Route path=":id" element={<BookingOrderDetail />} />
        </Routes>
      </TabPanel>
    </>
  );
}
