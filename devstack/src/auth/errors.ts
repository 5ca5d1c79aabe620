// GoTrue's error body: supabase-js reads `error_code`/`msg` (current GoTrue) and
// `error`/`error_description` (OAuth token endpoint), so both are sent.
import { HttpError } from '../http.ts';

export function authError(status: number, errorCode: string, msg: string, oauthError?: string): HttpError {
  const body: Record<string, unknown> = { code: status, error_code: errorCode, msg };
  if (oauthError) {
    body.error = oauthError;
    body.error_description = msg;
  }
  return new HttpError(status, body);
}
