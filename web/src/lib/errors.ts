// Turns the errors of every API (PostgREST, Storage, Auth, Functions, fetch) into one shape the
// screens can show: a sentence, and a hint when the database gave one.

export interface AppError {
  message: string;
  hint?: string;
  code?: string;
  status?: number;
}

export class ApiError extends Error implements AppError {
  hint?: string;
  code?: string;
  status?: number;
  constructor(e: AppError) {
    super(e.message);
    this.name = 'ApiError';
    this.hint = e.hint;
    this.code = e.code;
    this.status = e.status;
  }
}

const PERMISSION_CODES = new Set(['42501', 'PGRST301', '403']);

/** Normalises anything thrown by supabase-js or fetch into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (typeof e === 'object' && e !== null) {
    const o = e as Record<string, unknown>;
    const message = typeof o.message === 'string' && o.message ? o.message
      : typeof o.msg === 'string' ? o.msg
      : typeof o.error_description === 'string' ? o.error_description
      : typeof o.error === 'string' ? o.error
      : 'Something went wrong';
    const code = typeof o.code === 'string' ? o.code : typeof o.error_code === 'string' ? o.error_code : undefined;
    const hint = typeof o.hint === 'string' && o.hint ? o.hint : undefined;
    const status = typeof o.status === 'number' ? o.status : typeof o.statusCode === 'number' ? o.statusCode : undefined;
    if (message === 'Failed to fetch' || message.includes('NetworkError')) {
      return new ApiError({ message: 'The server cannot be reached. Check that the platform is running.', code: 'network' });
    }
    return new ApiError({ message, code, hint, status });
  }
  return new ApiError({ message: String(e) });
}

export function isPermissionError(e: unknown): boolean {
  const err = toApiError(e);
  return PERMISSION_CODES.has(err.code ?? '') || err.status === 403;
}

/** Unwraps a supabase-js `{data, error}` answer, throwing the error as an ApiError. */
export function unwrap<R extends { data: unknown; error: unknown }>(result: R): NonNullable<R['data']> {
  if (result.error) throw toApiError(result.error);
  return result.data as NonNullable<R['data']>;
}

/** Like unwrap, for answers that may legitimately be empty (maybeSingle). */
export function unwrapMaybe<R extends { data: unknown; error: unknown }>(result: R): R['data'] {
  if (result.error) throw toApiError(result.error);
  return result.data;
}
