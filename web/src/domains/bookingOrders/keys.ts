// Query keys of the booking-orders domain.
export const bookingOrderKeys = {
  all: ['booking-orders'] as const,
  pending: () => [...bookingOrderKeys.all, 'pending'] as const,
  list: (company: string | null) => [...bookingOrderKeys.all, 'list', company ?? 'all'] as const,
  detail: (id: string) => [...bookingOrderKeys.all, 'detail', id] as const,
  history: (id: string) => [...bookingOrderKeys.all, 'history', id] as const,
  documents: (id: string) => [...bookingOrderKeys.all, 'documents', id] as const,
};
