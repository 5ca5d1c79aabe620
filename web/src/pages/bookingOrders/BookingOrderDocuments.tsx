// The order's rendered documents: the Excel workbook and the combined PDF (workbook + the
// original document, stamped once approved). The renderer writes them after each change the
// documents show; while a newer version is on its way the current files stay downloadable.
import { ErrorAlert, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useBookingOrderDocuments, useBookingOrderFileUrl } from '../../domains/bookingOrders/hooks';
import type { BookingOrder } from '../../domains/bookingOrders/types';
import { startDownload } from '../../lib/download';
import { formatDateTime } from '../../lib/format';

const fileName = (path: string) => path.split('/').pop() ?? path;

export function BookingOrderDocuments({ id, bo }: { id: string; bo: BookingOrder }) {
  const docs = useBookingOrderDocuments(id);
  const download = useBookingOrderFileUrl();
  const d = docs.data;
  const rendering = Boolean(d && d.documents_version > (d.documents_rendered_version ?? 0));
  const get = (path: string) => download.mutate({ path, filename: fileName(path) }, { onSuccess: startDownload });

  return (
    <div className="stack" aria-labelledby="bo-docs-title" role="group" data-testid="bo-documents">
      <h3 id="bo-docs-title" style={{ margin: 0 }}>Documents</h3>
      <ErrorAlert error={docs.error} title="The documents could not be looked up" onRetry={() => void docs.refetch()} />
      {d?.excel_path || d?.combined_pdf_path ? (
        <div className="row">
          {d.excel_path ? (
            <button type="button" className="btn btn-sm" disabled={download.isPending} onClick={() => get(d.excel_path!)}>
              <Icon name="download" /> Excel
            </button>
          ) : null}
          {d.combined_pdf_path ? (
            <button type="button" className="btn btn-sm" disabled={download.isPending} onClick={() => get(d.combined_pdf_path!)}>
              <Icon name="download" /> PDF{bo.status === 'approved' && !rendering ? ' (stamped)' : ''}
            </button>
          ) : null}
        </div>
      ) : null}
      {d?.documents_rendered_at ? <span className="small faint">Version {d.documents_rendered_version} · {formatDateTime(d.documents_rendered_at)}</span> : null}
      {rendering ? (
        <div className="row small muted" role="status"><Spinner label="Preparing" /> Preparing the documents for the latest version…</div>
      ) : null}
      {d && !d.excel_path && !d.combined_pdf_path && !rendering ? (
        <p className="small faint" style={{ margin: 0 }}>The workbook and PDF are prepared once the order has been submitted.</p>
      ) : null}
      <ErrorAlert error={download.error} title="Download failed" />
    </div>
  );
}
