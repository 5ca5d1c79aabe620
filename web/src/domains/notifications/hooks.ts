// The signed-in person's in-app notifications (booking-order events and the like): latest
// first, polled, and marked read through mark_notifications_read.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
import { isNotDeployed } from '../bookingOrders/hooks';
import { notificationKeys } from './keys';

export function useNotifications() {
  return useQuery({
    queryKey: notificationKeys.inbox(),
    refetchInterval: 30_000,
    retry: (n, e) => !isNotDeployed(e) && n < 2,
    queryFn: async () => {
      const { data: user } = await supabase().auth.getUser();
      return unwrap(await supabase().from('notifications')
        .select('id, kind, title, body, booking_order_id, read_at, created_at')
        .eq('recipient_id', user.user?.id ?? '')
        .order('created_at', { ascending: false })
        .limit(30));
    },
  });
}

export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[] | null) => unwrap(await supabase().rpc('mark_notifications_read', ids ? { notification_ids: ids } : {})),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
