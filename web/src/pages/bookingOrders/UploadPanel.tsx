// Upload a booking order document (PDF, Excel, Word or a photo of it): the booking-orders
// function classifies it, reads the fields and submits the order to the coordinators. Shows
// upload progress, then the reading step, then opens the new order.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Field, ProgressBar, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { BOOKING_ORDER_ACCEPT, BOOKING_ORDER_MAX_BYTES, MAX_NOTES, uploadErrorTitle } from '../../domains/bookingOrders/functions';
import { useUploadBookingOrder } from '../../domains/bookingOrders/hooks';
import { toApiError } from '../../lib/errors';
import { formatBytes } from '../../lib/format';

const EXTENSIONS = BOOKING_ORDER_ACCEPT.split(',').map((e) => e.slice(1));

export function UploadPanel() {
  const navigate = useNavigate();
  const { companies, company: current } = useCurrentCompany();
  const companyName = useCompanyNames();
  const [file, setFile] = useState<File | null>(null);
  const [company, setCompany] = useState<string>(companies.length > 1 ? '' : current ?? companies[0] ?? '');
  const [notes, setNotes] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState(0);
  const upload = useUploadBookingOrder();

  const choose = (f: File | undefined) => {
    setFileError(null);
    upload.reset();
    if (!f) return;
    const ext = /\.([a-z0-9]+)$/i.exec(f.name)?.[1]?.toLowerCase() ?? '';
    if (!EXTENSIONS.includes(ext)) {
      setFileError(`${f.name}: booking orders are read from PDF, Excel (.xlsx), Word (.docx) or image files.`);
      return;
    }
    if (f.size === 0) {
      setFileError(`${f.name} is empty.`);
      return;
    }
    if (f.size > BOOKING_ORDER_MAX_BYTES) {
      setFileError(`${f.name} is ${formatBytes(f.size)}; the limit is 200 MB.`);
      return;
    }
    setFile(f);
  };

  const submit = () => {
    if (!file) return;
    setProgress(0);
    upload.mutate({ file, company: company || null, notes, onProgress: setProgress }, {
      onSuccess: (r) => navigate(`/booking-orders/${r.booking_order_id}`, { state: { uploaded: { ...r, file_name: file.name } } }),
    });
  };

  const error = upload.error ? toApiError(upload.error) : null;
  const reading = upload.isPending && progress >= 1;

  return (
    <section className="card" aria-labelledby="bo-upload-title">
      <h2 id="bo-upload-title">Upload a booking order</h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        The assistant checks that the document is a booking order, reads its fields and submits it to the coordinators.
        Amounts, VAT and the SLA are recalculated by the platform.
      </p>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div
          className="dropzone"
          data-active={dragging}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => { e.preventDefault(); setDragging(false); choose(e.dataTransfer.files[0]); }}
        >
          {file ? (
            <p style={{ marginTop: 0 }}><strong>{file.name}</strong> <span className="faint">{formatBytes(file.size)}</span></p>
          ) : (
            <p style={{ marginTop: 0 }}>Drop the booking order here (PDF, Excel, Word or an image, up to 200 MB), or</p>
          )}
          <label className="btn">
            <Icon name="plus" /> {file ? 'Choose another file' : 'Choose a file'}
            <input className="visually-hidden" type="file" accept={BOOKING_ORDER_ACCEPT} aria-label="Booking order document"
              disabled={upload.isPending} onChange={(e) => { choose(e.target.files?.[0]); e.target.value = ''; }} />
          </label>
        </div>
        {fileError ? <Alert tone="error">{fileError}</Alert> : null}
        <div className="grid grid-2">
          {companies.length > 1 ? (
            <Field label="Company" hint="Leave it to the assistant when the document names the media owner.">
              {(id, d) => (
                <select id={id} aria-describedby={d} className="select" value={company} onChange={(e) => setCompany(e.target.value)} disabled={upload.isPending}>
                  <option value="">Recognise from the document</option>
                  {companies.map((c) => <option key={c} value={c}>{companyName(c)}</option>)}
                </select>
              )}
            </Field>
          ) : null}
          <Field label="Notes for the assistant" hint={`${notes.length} / ${MAX_NOTES} — values here override the document (e.g. “SLA is 5 %”).`}
            error={notes.length > MAX_NOTES ? `At most ${MAX_NOTES} characters.` : undefined}>
            {(id, d) => (
              <textarea id={id} aria-describedby={d} className="textarea" value={notes} maxLength={MAX_NOTES + 200}
                aria-invalid={notes.length > MAX_NOTES} onChange={(e) => setNotes(e.target.value)} disabled={upload.isPending} />
            )}
          </Field>
        </div>
        {upload.isPending && !reading ? <ProgressBar value={progress * 100} label="Uploading the document" /> : null}
        {reading ? (
          <div className="row muted" role="status"><Spinner label="Reading" /> Reading the booking order — this can take a minute.</div>
        ) : null}
        {error ? (
          <Alert tone="error" title={uploadErrorTitle(error.code, error.status)}>
            <span data-testid="bo-upload-error">{error.message}</span>
          </Alert>
        ) : null}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={!file || upload.isPending || notes.length > MAX_NOTES}>
            {upload.isPending ? <Spinner label="Working" /> : null} Read and submit
          </button>
        </div>
      </form>
    </section>
  );
}
