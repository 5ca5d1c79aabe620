// Booking orders from documents and messages: classification and extraction of uploads
// (pipeline.ts), coordinator edits in natural language (edit.ts), the booking-orders function's
// HTTP surface (http.ts) and the chat pre-routing of a single attached file (chat.ts).
export { type CompanyContext, loadCompanyContexts } from './context.ts';
export {
  BOOKING_ORDER_EXTENSIONS,
  documentParts,
  isBookingOrderFile,
  loadSourceDocument,
  type SourceDocument,
} from './document.ts';
export {
  assertCoordinatorEdit,
  CORRECTION_STATUSES,
  EDITABLE_STATUSES,
  editByMessage,
  type EditDeps,
  type EditOutcome,
  loadOrder,
  orderSummary,
} from './edit.ts';
export { BookingOrderError, plainWords } from './errors.ts';
export { createBookingOrdersHandler, reasoningEffortFromEnv } from './http.ts';
export { campaignDuration, normaliseExtraction } from './normalise.ts';
export {
  assertBookingOrder,
  chooseCompany,
  type Classification,
  classifyDocument,
  parseBookingOrder,
  type ParsedBookingOrder,
  type PipelineDeps,
} from './pipeline.ts';
