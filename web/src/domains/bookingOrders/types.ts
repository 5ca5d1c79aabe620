// The booking order as public.get_booking_order returns it (jsonb, so typed here).
import type { Enums } from '../../lib/database.types';

export type BookingOrderStage = Enums<'booking_order_stage'>;
export type BookingOrderStatus = Enums<'booking_order_status'>;
export type BookingOrderAction = 'approve' | 'reject' | 'edit' | 'resubmit' | 'cancel';

export interface BookingOrderItem {
  position: number;
  name: string | null;
  asset: string | null;
  start_date_display: string | null;
  end_date_display: string | null;
  campaign_duration: string | null;
  net_amount: number | null;
  post_sla_amount: number | null;
  location_key: string | null;
}

export interface BookingOrderWarning {
  code?: string;
  message?: string;
  field?: string;
}

export interface BookingOrder {
  id: string;
  company: string;
  owner_id: string;
  owner_name: string | null;
  stage: BookingOrderStage;
  status: BookingOrderStatus;
  status_reason: string | null;
  bo_ref: string | null;
  revision_of_ref: string | null;
  currency: string;
  fields: Record<string, unknown> & { client?: string | null; brand_campaign?: string | null; bo_number?: string | null };
  figures: Record<string, number | null>;
  display: Record<string, string>;
  items: BookingOrderItem[];
  warnings: (BookingOrderWarning | string)[];
  missing_fields: string[];
  needs_review: boolean;
  submitted_at: string | null;
  approved_at: string | null;
  approved_by_name: string | null;
}
