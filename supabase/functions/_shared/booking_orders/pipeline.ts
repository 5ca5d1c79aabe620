// Upload → booking order (spec §3.1–§3.4): classify the document, choose the company, extract
// the 19 fields with structured output, and submit them with public.create_booking_order under
// the caller's JWT — SQL validates, recalculates, warns and starts the workflow. Every model
// call is billed to the caller (ai_costs, workflow bo_parsing). Nothing is written unless the
// order is created: a refusal at any step leaves no booking-order row behind.
import type { SupabaseClient } from '@supabase/supabase-js';
import type {
  AiCallType,
  ChatMessage,
  ChatProvider,
  ReasoningEffort,
  StructuredResult,
  UsageEvent,
  UserContentPart,
} from '../llm/mod.ts';
import { type CompanyContext, loadCompanyContexts } from './context.ts';
import { documentParts, extensionOf, type SourceDocument } from './document.ts';
import { BookingOrderError, type DbError, plainWords } from './errors.ts';
import { normaliseExtraction } from './normalise.ts';
import { classificationPrompt, extractionPrompt } from './prompts.ts';
import {
  classificationFormat,
  type Confidence,
  CONFIDENCES,
  DOCUMENT_KINDS,
  type DocumentKind,
  extractionFormat,
} from './schema.ts';

export interface Classification {
  kind: DocumentKind;
  confidence: Confidence;
  /** One of the caller's companies, or null when the document does not show it. */
  company: string | null;
  reasoning: string;
}

export interface PipelineDeps {
  /** supabase-js with the caller's JWT. */
  db: SupabaseClient;
  provider: ChatProvider;
  /** The caller's leaf companies (my_context). */
  companies: string[];
  /** Stores the cost of one model call (service role); must not throw. */
  recordCost(usage: UsageEvent, callType: AiCallType, company: string | null): Promise<void>;
  /** Extraction effort; spec §3.2 asks for high, which can take minutes. */
  reasoningEffort?: ReasoningEffort;
  now?: () => Date;
  signal?: AbortSignal;
  /** Progress for the person ("Reading the booking order…"). */
  status?(message: string): Promise<void>;
}

export interface ParseRequest {
  document: SourceDocument;
  /** A company the person chose; otherwise the classifier's, then the default. */
  company?: string | null;
  notes?: string | null;
  /** Reuse a classification already made (chat pre-routing) instead of asking again. */
  classification?: Classification;
}

export interface ParsedBookingOrder {
  order: Record<string, any>;
  classification: Classification;
  company: string;
}

export const MAX_NOTES_CHARS = 2_000;

function todayIn(now: Date): string {
  return now.toLocaleDateString('en-CA', { timeZone: 'Asia/Dubai' });
}

function modelFailure(
  result: Extract<StructuredResult, { ok: false }>,
  what: string,
): BookingOrderError {
  if (result.error.code === 'invalid_json' || result.error.code === 'truncated') {
    return new BookingOrderError(
      502,
      'model_output_invalid',
      `The AI model's ${what} could not be used (${result.error.message}). Nothing was saved; ` +
        'please try again.',
    );
  }
  if (result.error.code === 'aborted') {
    return new BookingOrderError(
      504,
      'model_timeout',
      `The AI model took too long with the ${what}. Nothing was saved.`,
    );
  }
  return new BookingOrderError(
    502,
    'model_unavailable',
    `The AI model could not do the ${what} (${result.error.code}: ${result.error.message}). ` +
      'Nothing was saved; please try again in a moment.',
  );
}

function userMessage(
  parts: UserContentPart[],
  notes: string | null | undefined,
  ask: string,
): ChatMessage {
  const said = notes?.trim() ? `The person's message: "${notes.trim()}"\n\n` : '';
  return { role: 'user', content: [{ type: 'text', text: `${said}${ask}` }, ...parts] };
}

async function billed(
  deps: PipelineDeps,
  result: StructuredResult,
  callType: AiCallType,
  company: string | null,
): Promise<StructuredResult> {
  if (result.usage) await deps.recordCost(result.usage, callType, company);
  return result;
}

/** Which kind of file it is, with which company (spec §3.1). */
export async function classifyDocument(
  deps: PipelineDeps,
  parts: UserContentPart[],
  notes?: string | null,
  contexts?: CompanyContext[],
): Promise<Classification> {
  const companies = contexts ?? await loadCompanyContexts(deps.db, deps.companies);
  const result = await billed(
    deps,
    await deps.provider.structured({
      system: classificationPrompt(companies),
      messages: [userMessage(parts, notes, 'Classify the attached file.')],
      format: classificationFormat(companies.map((c) => c.slug)),
      reasoningEffort: 'low',
    }, deps.signal),
    'classification',
    null,
  );
  if (!result.ok) throw modelFailure(result, 'classification');
  const value = result.value;
  const kind = DOCUMENT_KINDS.find((k) => k === value.kind);
  const confidence = CONFIDENCES.find((c) => c === value.confidence);
  if (!kind || !confidence) {
    throw new BookingOrderError(
      502,
      'model_output_invalid',
      'The AI model answered the classification outside the expected choices. Nothing was saved; please try again.',
    );
  }
  const company = typeof value.company === 'string' && deps.companies.includes(value.company)
    ? value.company
    : null;
  return { kind, confidence, company, reasoning: String(value.reasoning ?? '').slice(0, 500) };
}

/** Proceed only with a booking order the model is at least fairly sure of (spec §3.1). */
export function assertBookingOrder(classification: Classification, filename: string): void {
  if (classification.kind === 'BOOKING_ORDER' && classification.confidence !== 'low') return;
  const what = classification.kind === 'ARTWORK'
    ? 'artwork (a creative or design), not a booking order'
    : classification.kind === 'OTHER'
    ? 'neither a booking order nor artwork'
    : 'possibly a booking order, but the AI model is not confident enough';
  throw new BookingOrderError(
    422,
    'not_a_booking_order',
    `${filename} looks like ${what}` +
      `${classification.reasoning ? ` (${classification.reasoning.replace(/\.$/, '')})` : ''}. ` +
      'Nothing was submitted.',
  );
}

/**
 * The company of the order: the one the person chose, else the classifier's, else their only
 * company, else the first of their companies (spec §3.1's default, generalised beyond two
 * fixed companies).
 */
export function chooseCompany(
  companies: string[],
  chosen: string | null | undefined,
  classified: string | null,
): string {
  if (chosen) {
    if (!companies.includes(chosen)) {
      throw new BookingOrderError(
        403,
        'company_not_allowed',
        `You cannot submit booking orders for "${chosen}". Your companies: ${
          companies.join(', ') || 'none'
        }.`,
      );
    }
    return chosen;
  }
  if (classified && companies.includes(classified)) return classified;
  const sorted = [...companies].sort();
  if (!sorted.length) {
    throw new BookingOrderError(
      403,
      'company_not_allowed',
      'You have access to no company to submit booking orders for.',
    );
  }
  return sorted[0];
}

async function createOrder(
  db: SupabaseClient,
  company: string,
  data: Record<string, unknown>,
  documentId: string,
): Promise<{ order: Record<string, any> } | { error: DbError }> {
  const { data: order, error } = await db.rpc('create_booking_order', {
    company,
    data,
    source_document_id: documentId,
  });
  return error ? { error } : { order: order as Record<string, any> };
}

function dbFailure(error: DbError): BookingOrderError {
  if (error.code === '42501') return new BookingOrderError(403, 'forbidden', error.message);
  if (error.code === '22023') {
    return new BookingOrderError(422, 'extraction_rejected', plainWords(error.message));
  }
  return new BookingOrderError(
    502,
    'database_error',
    `Submitting the booking order failed: ${error.message}`,
  );
}

/**
 * The same file (uploads are de-duplicated by SHA-256, spec §3.10) already became a booking
 * order that is still alive: submitting it again would book the campaign twice.
 */
async function assertNotSubmitted(db: SupabaseClient, document: SourceDocument): Promise<void> {
  const { data } = await db.from('documents').select('booking_order_id').eq('id', document.id)
    .maybeSingle();
  if (!data?.booking_order_id) return;
  const { data: order } = await db.from('booking_orders')
    .select('id,status,bo_ref,client_name')
    .eq('id', data.booking_order_id)
    .maybeSingle();
  if (!order || ['cancelled', 'superseded'].includes(order.status)) return;
  const which = `${order.bo_ref ?? order.id}${
    order.client_name ? ` for ${order.client_name}` : ''
  }`;
  throw new BookingOrderError(
    409,
    'duplicate_booking_order',
    `${document.filename} was already submitted as the booking order ${which} (${order.status}). ` +
      'Cancel that one first to submit the file again.',
  );
}

function documentType(filename: string): 'bo_pdf' | 'bo_excel' | 'bo_image' | 'other' {
  const extension = extensionOf(filename);
  if (extension === 'pdf') return 'bo_pdf';
  if (extension === 'xlsx') return 'bo_excel';
  if (['jpg', 'jpeg', 'png', 'gif', 'webp'].includes(extension)) return 'bo_image';
  return 'other';
}

/** The source file now is a booking order (documents.document_type); best effort. */
async function markAsBookingOrder(db: SupabaseClient, document: SourceDocument): Promise<void> {
  const type = documentType(document.filename);
  if (type === 'other') return;
  const { error } = await db.from('documents').update({ document_type: type }).eq(
    'id',
    document.id,
  );
  if (error) console.error('could not mark the file as a booking order', error.message);
}

/** The whole upload → booking-order chain; throws BookingOrderError. */
export async function parseBookingOrder(
  deps: PipelineDeps,
  request: ParseRequest,
): Promise<ParsedBookingOrder> {
  const notes = request.notes?.trim() || null;
  if (notes && notes.length > MAX_NOTES_CHARS) {
    throw new BookingOrderError(
      400,
      'invalid_notes',
      `notes: at most ${MAX_NOTES_CHARS} characters.`,
    );
  }
  if (request.company) chooseCompany(deps.companies, request.company, null);
  await assertNotSubmitted(deps.db, request.document);
  const parts = await documentParts(request.document);

  let classification = request.classification;
  if (!classification) {
    await deps.status?.('Classifying the document…');
    classification = await classifyDocument(deps, parts, notes);
  }
  assertBookingOrder(classification, request.document.filename);
  const company = chooseCompany(deps.companies, request.company, classification.company);

  await deps.status?.('Extracting the booking order…');
  const [context] = await loadCompanyContexts(deps.db, [company]);
  const messages: ChatMessage[] = [
    userMessage(parts, notes, 'Extract the booking order from the attached file.'),
  ];
  const system = extractionPrompt(context, todayIn(deps.now?.() ?? new Date()));
  const extract = async () => {
    const result = await billed(
      deps,
      await deps.provider.structured({
        system,
        messages,
        format: extractionFormat(),
        reasoningEffort: deps.reasoningEffort ?? 'medium',
      }, deps.signal),
      'parsing',
      company,
    );
    if (!result.ok) throw modelFailure(result, 'extraction');
    return result;
  };

  let answer = await extract();
  let data = normaliseExtraction(answer.value);
  let created = await createOrder(deps.db, company, data, request.document.id);
  // SQL refused a value (a percentage as 10 instead of 0.10, a date that does not exist): the
  // model gets one chance to correct its answer with the refusal in front of it.
  if ('error' in created && created.error.code === '22023') {
    await deps.status?.('Correcting the extraction…');
    messages.push(
      { role: 'assistant', content: answer.text },
      {
        role: 'user',
        content: `The platform refused that answer: ${created.error.message}` +
          `${
            created.error.hint ? ` (${created.error.hint})` : ''
          }. Answer again with the complete ` +
          'JSON, corrected.',
      },
    );
    answer = await extract();
    data = normaliseExtraction(answer.value);
    created = await createOrder(deps.db, company, data, request.document.id);
  }
  if ('error' in created) throw dbFailure(created.error);

  await markAsBookingOrder(deps.db, request.document);
  if (notes) {
    // The sales person's note travels with the order as a history note (visible to approvers).
    const { error } = await deps.db.from('booking_order_events').insert({
      booking_order_id: created.order.id,
      event_type: 'note',
      reason: notes,
      data: { source: 'upload' },
    });
    if (error) console.error('could not attach the upload note', error.message);
  }
  return { order: created.order, classification, company };
}
