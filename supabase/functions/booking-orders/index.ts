// Booking orders from documents (POST /booking-orders: upload → classification → extraction →
// create_booking_order) and coordinator edits in natural language (POST /booking-orders/<id>/
// edit). Contract: README.md beside this file. The work is in _shared/booking_orders. Probes:
// GET /booking-orders/health and /ready (_shared/probes.ts; the LLM provider is one check).
import {
  createBookingOrdersHandler,
  reasoningEffortFromEnv,
} from '../_shared/booking_orders/mod.ts';
import { projectEnv } from '../_shared/env.ts';
import { providerFromEnv } from '../_shared/llm/mod.ts';
import { llmCheck, withProbes } from '../_shared/probes.ts';

const { supabaseUrl, anonKey, serviceRoleKey } = projectEnv();

Deno.serve(withProbes(
  'booking-orders',
  createBookingOrdersHandler({
    supabaseUrl,
    anonKey,
    serviceRoleKey,
    provider: providerFromEnv(),
    reasoningEffort: reasoningEffortFromEnv(),
  }),
  { llm: llmCheck },
));
