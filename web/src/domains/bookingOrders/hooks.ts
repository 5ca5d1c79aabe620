// Booking orders: the caller's queue (pending_booking_orders, with the actions open to them),
// the orders they can read, one order with its history, and the workflow actions — all SQL
// functions that check stage, role and company themselves; the document upload and changes in
// plain words go through the booking-orders function, and the rendered workbook / PDF are read
// from the order's own columns.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Json } from '../../lib/database.types';
import { isPermissionError, toApiError, unwrap, unwrapMaybe } from '../../lib/errors';
import { signedUrl } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import { describeBookingOrderChange, uploadBookingOrder } from './functions';
import { bookingOrderKeys } from './keys';
import type { BookingOrder, BookingOrderAction, BookingOrderStage } from './types';

/** True when the error says the booking-order API is not deployed on this database. */
export function isNotDeployed(e: unknown): boolean {
  const err = toApiError(e);
  return err.code === 'PGRST202' || err.code === '42883' || err.code === 'PGRST205' || err.code === '42P01';
}

export function usePendingBookingOrders() {
  return useQuery({
    queryKey: bookingOrderKeys.pending(),
    refetchInterval: 30_000,
    retry: (n, e) => !isNotDeployed(e) && !isPermissionError(e) && n < 2,
    queryFn: async () => unwrap(await supabase().rpc('pending_booking_orders')),
  });
}

export function useBookingOrders(company: string | null) {
  return useQuery({
    queryKey: bookingOrderKeys.list(company),
    retry: (n, e) => !isNotDeployed(e) && n < 2,
    queryFn: async () => {
      let q = supabase().from('booking_orders')
        .select('id, company, owner_id, stage, status, bo_ref, bo_number, client_name, brand_campaign, currency, gross_amount, needs_review, submitted_at, status_changed_at')
        .order('created_at', { ascending: false })
        .limit(200);
      if (company) q = q.eq('company', company);
      return unwrap(await q);
    },
  });
}

export function useBookingOrder(id: string) {
  return useQuery({
    queryKey: bookingOrderKeys.detail(id),
    retry: false,
    queryFn: async () => unwrap(await supabase().rpc('get_booking_order', { booking_order_id: id })) as unknown as BookingOrder,
  });
}

export function useBookingOrderHistory(id: string) {
  return useQuery({
    queryKey: bookingOrderKeys.history(id),
    retry: false,
    queryFn: async () => unwrap(await supabase().rpc('booking_order_history', { booking_order_id: id })),
  });
}

export interface ActionInput {
  id: string;
  stage: BookingOrderStage;
  action: Exclude<BookingOrderAction, 'edit'>;
  reason?: string;
}

export function useBookingOrderAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, stage, action, reason }: ActionInput) => {
      const db = supabase();
      const booking_order_id = id;
      if (action === 'approve') {
        return unwrap(stage === 'hos'
          ? await db.rpc('hos_approve_booking_order', { booking_order_id })
          : await db.rpc('coordinator_approve_booking_order', { booking_order_id }));
      }
      if (action === 'reject') {
        return unwrap(stage === 'hos'
          ? await db.rpc('hos_reject_booking_order', { booking_order_id, reason: reason ?? '' })
          : await db.rpc('coordinator_reject_booking_order', { booking_order_id, reason: reason ?? '' }));
      }
      if (action === 'resubmit') return unwrap(await db.rpc('resubmit_booking_order', { booking_order_id }));
      return unwrap(await db.rpc('cancel_booking_order', { booking_order_id, reason: reason ?? '' }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bookingOrderKeys.all }),
  });
}

/** A document upload read into a new order by the booking-orders function. */
export function useUploadBookingOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadBookingOrder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bookingOrderKeys.all }),
  });
}

/** The coordinator's structured edit: the patch goes to edit_booking_order as it is. */
export function useEditBookingOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: string; patch: Record<string, unknown> }) =>
      unwrap(await supabase().rpc('edit_booking_order', { booking_order_id: id, patch: patch as Json })) as unknown as BookingOrder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bookingOrderKeys.all }),
  });
}

/** The coordinator's change in plain words, through the function's model. */
export function useDescribeChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, message }: { id: string; message: string }) => describeBookingOrderChange(id, message),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bookingOrderKeys.all }),
  });
}

export interface BookingOrderDocuments {
  excel_path: string | null;
  combined_pdf_path: string | null;
  documents_version: number;
  documents_rendered_version: number | null;
  documents_rendered_at: string | null;
}

/**
 * The rendered workbook and combined PDF of an order (written by the render job). Polled while
 * a newer version is being rendered, so the buttons switch to the new files by themselves.
 */
export function useBookingOrderDocuments(id: string) {
  return useQuery({
    queryKey: bookingOrderKeys.documents(id),
    retry: false,
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && d.documents_version > (d.documents_rendered_version ?? 0) ? 3000 : false;
    },
    queryFn: async (): Promise<BookingOrderDocuments | null> => unwrapMaybe(await supabase().from('booking_orders')
      .select('excel_path, combined_pdf_path, documents_version, documents_rendered_version, documents_rendered_at')
      .eq('id', id).maybeSingle()),
  });
}

/** A signed download URL of one of the order's documents (bucket booking-orders). */
export function useBookingOrderFileUrl() {
  return useMutation({
    mutationFn: ({ path, filename }: { path: string; filename: string }) => signedUrl('booking-orders', path, { download: filename }),
  });
}
