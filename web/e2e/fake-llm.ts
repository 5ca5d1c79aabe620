// A small stand-in for OpenAI's streaming Chat Completions endpoint, so the browser tests see
// real streamed answers from the edge functions. The test stack points OPENAI_BASE_URL at
// FAKE_LLM_PORT (scripts/run-tests.ts). `answer` is either one text for every request (chat)
// or a function of the request — the booking-order function asks for structured output, and
// its `response_format.json_schema.name` (document_classification, booking_order_extraction,
// coordinator_response) says which form the model must fill. Every request body is kept so a
// test can check what the function sent.
import { createServer, type Server } from 'node:http';

export interface FakeLlmRequest {
  model?: string;
  stream?: boolean;
  messages?: unknown[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema?: unknown } };
}

export type FakeAnswer = string | ((request: FakeLlmRequest) => string);

/** The structured-output form a request asks for, or null for free text. */
export function formatName(request: FakeLlmRequest): string | null {
  return request.response_format?.json_schema?.name ?? null;
}

/** Everything the model was shown, as one string (text parts of every message). */
export function promptText(request: FakeLlmRequest): string {
  return JSON.stringify(request.messages ?? []);
}

export async function startFakeLlm(port: number, answer: FakeAnswer): Promise<{ close(): Promise<void>; requests: number; bodies: FakeLlmRequest[] }> {
  const state = { requests: 0, bodies: [] as FakeLlmRequest[] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      state.requests += 1;
      let request: FakeLlmRequest = {};
      try {
        request = JSON.parse(body || '{}') as FakeLlmRequest;
      } catch { /* answered below like any request */ }
      state.bodies.push(request);
      const model = request.model ?? 'gpt-test';
      let text: string;
      try {
        text = typeof answer === 'function' ? answer(request) : answer;
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake model: ${(e as Error).message}`, type: 'invalid_request_error' } }));
        return;
      }
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const word of text.split(/(?<= )/)) res.write(chunk({ content: word }, null));
      res.write(chunk({}, 'stop'));
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    get requests() {
      return state.requests;
    },
    get bodies() {
      return state.bodies;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
