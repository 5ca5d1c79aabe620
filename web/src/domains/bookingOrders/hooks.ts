// Booking orders: the caller's queue (pending_booking_orders, with the actions open to them),
// the orders they can read, one order with its history, and the workflow actions — all SQL
// functions that check stage, role and company themselves.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isPermissionError, toApiError, unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
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
