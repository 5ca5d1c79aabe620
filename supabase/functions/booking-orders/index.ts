// Booking orders from documents (POST /booking-orders: upload → classification → extraction →
// create_booking_order) and coordinator edits in natural language (POST /booking-orders/<id>/
// edit). Contract: README.md beside this file. The work is in _shared/booking_orders. Probes:
// GET /booking-orders/health and /ready (_shared/probes.ts; the LLM provider is one check).
import {
  createBookingOrdersHandler,
  reasoningEffortFromEnv,
} from '../_shared/booking_orders/mod.ts';
import { providerFromEnv } from '../_shared/llm/mod.ts';
import { llmCheck, withProbes } from '../_shared/probes.ts';

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

Deno.serve(withProbes('booking-orders', createBookingOrdersHandler({
  supabaseUrl: required('SUPABASE_URL'),
  anonKey: required('SUPABASE_ANON_KEY'),
  serviceRoleKey: required('SUPABASE_SERVICE_ROLE_KEY'),
  provider: providerFromEnv(),
  reasoningEffort: reasoningEffortFromEnv(),
}), { llm: llmCheck }));
