// Stage and status of a booking order as one badge.
import { Badge } from '../../components/ui';
import type { BookingOrderStage, BookingOrderStatus } from '../../domains/bookingOrders/types';

const STAGE = { coordinator: 'Coordinator', hos: 'Head of sales', finance: 'Finance' } as const;

export function StatusBadge({ stage, status }: { stage: BookingOrderStage; status: BookingOrderStatus }) {
  const tone = status === 'approved' ? 'success' : status === 'cancelled' || status === 'hos_rejected' ? 'danger' : status === 'editing' ? 'warning' : 'info';
  const label = status === 'approved' ? 'Approved' : `${STAGE[stage]} · ${status.replace('_', ' ')}`;
  return <Badge tone={tone}>{label}</Badge>;
}
