// The booking-orders function's HTTP surface (contract: supabase/functions/booking-orders/
// README.md), kept out of index.ts so tests can drive it without a server:
//   POST /booking-orders             multipart: file, company?, notes? → 201 the new order
//   POST /booking-orders/<id>/edit   {message} → 200 {action, message, booking_order_id}
// Everything runs with supabase-js carrying the caller's JWT, so RLS and the SQL workflow
// decide; the service role only writes ai_costs rows.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { AccessError, loadCallerAccess } from '../agent/access.ts';
import { FileStoreError, storeUserFile } from '../files/store.ts';
import { receiveUpload } from '../files/upload.ts';
import { corsHeaders, errorResponse, json, jwtClaims } from '../http.ts';
import {
  type AiCallType,
  type ChatProvider,
  noLlmConfiguredMessage,
  type ReasoningEffort,
  recordAiCost,
  type UsageEvent,
} from '../llm/mod.ts';
import { isBookingOrderFile, unsupportedFileMessage } from './document.ts';
import { editByMessage } from './edit.ts';
import { BookingOrderError } from './errors.ts';
import { MAX_NOTES_CHARS, parseBookingOrder } from './pipeline.ts';

export const CREATE_PERMISSION = 'sales:booking_orders:create';
/** A whole upload → order run (classification, extraction, one correction) ends after this. */
export const PARSE_TIMEOUT_MS = 10 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

export interface BookingOrdersOptions {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** null: no model configured → 503 llm_not_configured. */
  provider: ChatProvider | null;
  reasoningEffort?: ReasoningEffort;
  uploadLimitBytes?: number;
  timeoutMs?: number;
}

/** BO_REASONING_EFFORT: low | medium | high (default medium). */
export function reasoningEffortFromEnv(
  env: { get(name: string): string | undefined } = Deno.env,
): ReasoningEffort {
  const value = env.get('BO_REASONING_EFFORT')?.trim().toLowerCase();
  return value === 'low' || value === 'high' ? value : 'medium';
}

export function createBookingOrdersHandler(
  options: BookingOrdersOptions,
): (req: Request) => Promise<Response> {
  const service = createClient(options.supabaseUrl, options.serviceRoleKey, CLIENT_OPTIONS);
  const callerClient = (authorization: string) =>
    createClient(options.supabaseUrl, options.anonKey, {
      ...CLIENT_OPTIONS,
      global: { headers: { Authorization: authorization } },
    });
  const costRecorder =
    (userId: string, workflow: 'bo_parsing' | 'bo_editing', context: string) =>
    async (usage: UsageEvent, callType: AiCallType, company: string | null) => {
      try {
        await recordAiCost(service, usage, { userId, callType, workflow, company, context });
      } catch (e) {
        console.error('recording the AI cost failed', (e as Error).message);
      }
    };

  async function upload(req: Request, userId: string, db: SupabaseClient): Promise<Response> {
    const caller = await loadCallerAccess(db, [CREATE_PERMISSION]);
    if (!caller.held.has(CREATE_PERMISSION)) {
      return errorResponse(
        403,
        'forbidden',
        `Submitting booking orders needs ${CREATE_PERMISSION}.`,
      );
    }
    const provider = options.provider;
    if (!provider) return errorResponse(503, 'llm_not_configured', noLlmConfiguredMessage());

    const received = await receiveUpload(req, options.uploadLimitBytes);
    if (received instanceof Response) return received;
    const { file, bytes, form } = received;
    if (!isBookingOrderFile(file.name)) {
      return errorResponse(415, 'file_type_not_allowed', unsupportedFileMessage(file.name));
    }
    const company = String(form.get('company') ?? '').trim() || null;
    const notes = String(form.get('notes') ?? '').trim() || null;
    if (notes && notes.length > MAX_NOTES_CHARS) {
      return errorResponse(400, 'invalid_notes', `notes: at most ${MAX_NOTES_CHARS} characters.`);
    }
    if (company && !caller.companies.includes(company)) {
      return errorResponse(
        403,
        'company_not_allowed',
        `You cannot submit booking orders for "${company}". Your companies: ${
          caller.companies.join(', ') || 'none'
        }.`,
      );
    }

    let stored;
    try {
      stored = await storeUserFile(db, {
        userId,
        fileName: file.name,
        bytes,
        mimeType: received.accepted.mime,
        documentType: 'other',
      });
    } catch (e) {
      if (e instanceof FileStoreError) return errorResponse(502, e.code, e.message);
      throw e;
    }
    const parsed = await parseBookingOrder({
      db,
      provider,
      companies: caller.companies,
      recordCost: costRecorder(userId, 'bo_parsing', 'booking-orders upload'),
      reasoningEffort: options.reasoningEffort,
      signal: AbortSignal.timeout(options.timeoutMs ?? PARSE_TIMEOUT_MS),
    }, {
      document: { id: stored.file_id, filename: file.name, bytes },
      company,
      notes,
    });
    return json({
      booking_order_id: parsed.order.id,
      company: parsed.company,
      classification: {
        kind: parsed.classification.kind,
        confidence: parsed.classification.confidence,
      },
      warnings: parsed.order.warnings ?? [],
      missing_fields: parsed.order.missing_fields ?? [],
    }, 201);
  }

  async function edit(
    req: Request,
    userId: string,
    db: SupabaseClient,
    id: string,
  ): Promise<Response> {
    const body = await req.json().catch(() => undefined) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return errorResponse(400, 'invalid_json', 'Send a JSON object {"message": "…"}.');
    }
    if (typeof body.message !== 'string' || !body.message.trim()) {
      return errorResponse(400, 'invalid_message', 'message must be a non-blank string.');
    }
    const provider = options.provider;
    if (!provider) return errorResponse(503, 'llm_not_configured', noLlmConfiguredMessage());
    const outcome = await editByMessage(
      {
        db,
        provider,
        recordCost: costRecorder(userId, 'bo_editing', 'booking-orders edit'),
        callType: 'bo_edit',
        signal: AbortSignal.timeout(options.timeoutMs ?? PARSE_TIMEOUT_MS),
      },
      id,
      body.message,
    );
    return json({ action: outcome.action, message: outcome.message, booking_order_id: id });
  }

  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
    const route = new URL(req.url).pathname.replace(/^\/booking-orders/, '').replace(/\/+$/, '');
    const editRoute = /^\/([^/]+)\/edit$/.exec(route);
    if (route !== '' && !editRoute) {
      return errorResponse(
        404,
        'not_found',
        'Routes: POST /booking-orders, POST /booking-orders/<id>/edit.',
      );
    }
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.');
    if (editRoute && !UUID.test(editRoute[1])) {
      return errorResponse(400, 'invalid_booking_order_id', 'The booking order id must be a UUID.');
    }
    const claims = jwtClaims(req);
    if (!claims || claims.role !== 'authenticated' || typeof claims.sub !== 'string') {
      return errorResponse(401, 'not_signed_in', "Sign in first: send the user's access token.");
    }
    const db = callerClient(req.headers.get('Authorization')!);
    try {
      return editRoute
        ? await edit(req, claims.sub, db, editRoute[1])
        : await upload(req, claims.sub, db);
    } catch (e) {
      if (e instanceof BookingOrderError) return errorResponse(e.status, e.code, e.message);
      if (e instanceof AccessError) return errorResponse(e.status, e.code, e.message);
      console.error('booking-orders request failed', e);
      return errorResponse(500, 'internal_error', 'Something went wrong on our side.');
    }
  };
}
