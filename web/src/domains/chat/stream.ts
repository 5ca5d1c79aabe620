// One chat turn over HTTP: POST /functions/v1/chat answers with Server-Sent Events in the
// platform's ChatEvent protocol. Errors before the stream starts come back as JSON.
import { ApiError } from '../../lib/errors';
import { runtimeConfig, supabase } from '../../lib/supabase';

/**
 * The ChatEvent protocol, as defined by supabase/functions/_shared/channel.ts (a Deno module
 * that does not type-check under the DOM library, so it is mirrored here; keep both in step).
 */
export type ChatEvent =
  | { type: 'session'; conversation_id: string; message_id: string; request_id: string }
  | { type: 'status'; message: string }
  | { type: 'text'; delta: string }
  | { type: 'tool_started'; call_id: string; name: string; arguments: unknown }
  | { type: 'tool_finished'; call_id: string; name: string; ok: boolean; summary: string }
  | { type: 'file'; file: { bucket: string; path: string; url: string; filename: string; title: string; kind: 'pdf' | 'pptx' | 'image' | 'xlsx' | 'other' } }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: 'done'; message_id: string | null };

export interface ChatTurnInput {
  message: string;
  conversation_id?: string;
  file_ids: string[];
}

/** Splits an SSE byte stream into events (`data:` lines joined; comments ignored). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) yield JSON.parse(data) as ChatEvent;
    }
  }
}

async function authHeaders(): Promise<Record<string, string>> {
  const { data } = await supabase().auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new ApiError({ message: 'Your session has ended; sign in again.', code: 'no_session' });
  return { authorization: `Bearer ${token}`, apikey: runtimeConfig().anonKey };
}

async function errorFrom(r: Response): Promise<ApiError> {
  let code = `http_${r.status}`;
  let message = `The chat service answered ${r.status}.`;
  try {
    const body = (await r.json()) as { error?: { code?: string; message?: string } | string; message?: string };
    if (typeof body.error === 'object' && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    } else if (typeof body.message === 'string') {
      message = body.message;
    }
  } catch { /* not JSON */ }
  return new ApiError({ message, code, status: r.status });
}

/** Runs one turn, calling onEvent for every event until `done` (or the stream ends). */
export async function runChatTurn(input: ChatTurnInput, onEvent: (e: ChatEvent) => void, signal?: AbortSignal): Promise<void> {
  const r = await fetch(`${runtimeConfig().supabaseUrl}/functions/v1/chat`, {
    method: 'POST',
    headers: { ...(await authHeaders()), 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(input),
    signal,
  });
  if (!r.ok || !r.body) throw await errorFrom(r);
  for await (const event of readEvents(r.body)) {
    onEvent(event);
    if (event.type === 'done') return;
  }
}

export interface UploadedChatFile {
  file_id: string;
  bucket: string;
  path: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  kind?: string;
  duplicate: boolean;
}

/** POST /functions/v1/chat/upload (multipart, field `file`) with upload progress. */
export async function uploadChatFile(file: File, onProgress?: (f: number) => void, signal?: AbortSignal): Promise<UploadedChatFile> {
  const headers = await authHeaders();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${runtimeConfig().supabaseUrl}/functions/v1/chat/upload`);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(body as UploadedChatFile);
      } else {
        const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
        reject(new ApiError({ message: err?.message ?? `Upload failed (${xhr.status})`, code: err?.code, status: xhr.status }));
      }
    };
    xhr.onerror = () => reject(new ApiError({ message: 'The server cannot be reached.', code: 'network' }));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
