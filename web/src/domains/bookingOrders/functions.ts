// Calls to the booking-orders edge function (contract: supabase/functions/booking-orders/
// README.md): the document upload (multipart, through XMLHttpRequest for progress — the
// function reads the whole file before it answers, and reading it with the model can take a
// minute or more) and a coordinator's change in plain words. Errors arrive as
// {error: {code, message}}; they become ApiErrors with that code and the HTTP status, and
// uploadErrorTitle turns the code into a heading the person can act on.
import { ApiError, toApiError } from '../../lib/errors';
import { runtimeConfig, supabase } from '../../lib/supabase';

export interface UploadedBookingOrder {
  booking_order_id: string;
  company: string;
  classification: { kind: string; confidence: string };
  warnings: unknown[];
  missing_fields: unknown[];
}

export interface DescribedChange {
  action: 'edit' | 'view' | 'execute';
  message: string;
  booking_order_id: string;
}

/** Booking orders are read from these (the function sniffs the bytes again). */
export const BOOKING_ORDER_ACCEPT = '.pdf,.xlsx,.docx,.jpg,.jpeg,.png,.gif,.webp';
export const BOOKING_ORDER_MAX_BYTES = 200 * 1024 * 1024;
export const MAX_NOTES = 2000;

function functionError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return new ApiError({ message: e.message, code: typeof e.code === 'string' ? e.code : undefined, status });
  }
  return new ApiError({ message: `The booking-order service answered ${status}.`, status });
}

async function accessToken(): Promise<string> {
  const { data } = await supabase().auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new ApiError({ message: 'Your session has ended; sign in again.', code: 'no_session' });
  return token;
}

export async function uploadBookingOrder(input: {
  file: File;
  company?: string | null;
  notes?: string | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<UploadedBookingOrder> {
  const token = await accessToken();
  const cfg = runtimeConfig();
  const form = new FormData();
  form.append('file', input.file, input.file.name);
  if (input.company) form.append('company', input.company);
  if (input.notes?.trim()) form.append('notes', input.notes.trim());
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${cfg.supabaseUrl}/functions/v1/booking-orders`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('apikey', cfg.anonKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) input.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch { /* not JSON: reported by status below */ }
      if (xhr.status === 201 && body) resolve(body as UploadedBookingOrder);
      else reject(functionError(xhr.status, body));
    };
    xhr.onerror = () => reject(toApiError({ message: 'Failed to fetch' }));
    xhr.onabort = () => reject(new ApiError({ message: 'Upload cancelled', code: 'aborted' }));
    input.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

export async function describeBookingOrderChange(id: string, message: string): Promise<DescribedChange> {
  const token = await accessToken();
  const cfg = runtimeConfig();
  let r: Response;
  try {
    r = await fetch(`${cfg.supabaseUrl}/functions/v1/booking-orders/${encodeURIComponent(id)}/edit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, apikey: cfg.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    });
  } catch (e) {
    throw toApiError(e);
  }
  const body = await r.json().catch(() => null);
  if (!r.ok || !body) throw functionError(r.status, body);
  return body as DescribedChange;
}

/** A heading for each refusal of the upload; the function's own message goes below it. */
export function uploadErrorTitle(code: string | undefined, status: number | undefined): string {
  switch (code) {
    case 'not_a_booking_order': return 'This does not look like a booking order';
    case 'document_unreadable': return 'The document could not be read';
    case 'extraction_rejected': return 'The booking order could not be read correctly';
    case 'file_missing': case 'empty_file': return 'Choose a file first';
    case 'one_file_only': return 'Upload one booking order at a time';
    case 'file_too_large': return 'The file is too large';
    case 'file_type_not_allowed': case 'content_mismatch': case 'multipart_required': return 'This kind of file cannot be read';
    case 'bad_file_name': return 'The file name is not usable';
    case 'invalid_notes': return 'The notes are too long';
    case 'forbidden': return 'Your profile cannot submit booking orders';
    case 'company_not_allowed': return 'You cannot submit for that company';
    case 'user_inactive': case 'no_platform_user': case 'not_signed_in': return 'Your account cannot do this';
    case 'llm_not_configured': return 'Reading documents is not set up on this platform';
    case 'model_timeout': return 'Reading the document took too long';
    case 'model_output_invalid': case 'model_unavailable': return 'The assistant could not read the document just now';
    case 'network': return 'The platform cannot be reached';
    default: return status && status >= 500 ? 'The upload failed on our side' : 'The booking order was not created';
  }
}

export function changeErrorTitle(code: string | undefined): string {
  switch (code) {
    case 'not_editable': return 'This order cannot be changed at its stage';
    case 'not_coordinator': return 'Only a coordinator of this company can change the order';
    case 'edit_rejected': return 'The change was refused';
    case 'booking_order_not_found': return 'The order is not visible to you';
    case 'llm_not_configured': return 'Changes in plain words are not set up on this platform';
    default: return 'The change was not made';
  }
}
