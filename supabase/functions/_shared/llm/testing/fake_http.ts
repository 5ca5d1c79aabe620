// HTTP plumbing shared by the fake OpenAI and Gemini servers: a real server on a free port
// that records every request, and Server-Sent-Events bodies that can break off mid-stream the
// way a dropped connection does.

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: any;
}

export interface FakeServer {
  /** Base URL to hand to the SDK. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Scripted turns not yet consumed. */
  remainingTurns(): number;
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1 and a free port (or `port`, for a process started elsewhere
 * that must know the address in advance); `handle` gets the parsed JSON body.
 */
export function serveRecorded(
  handle: (request: RecordedRequest) => Response | Promise<Response>,
  remainingTurns: () => number,
  basePath: string,
  port = 0,
): FakeServer {
  const requests: RecordedRequest[] = [];
  const server = Deno.serve(
    { hostname: '127.0.0.1', port, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      const text = await req.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Kept as text: the test will see what was sent.
      }
      const recorded: RecordedRequest = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        headers: Object.fromEntries(req.headers),
        body,
      };
      requests.push(recorded);
      return await handle(recorded);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}${basePath}`,
    requests,
    remainingTurns,
    close: () => server.shutdown(),
  };
}

/**
 * An SSE body of `data:` events. With `dropAfter`, the connection is cut (no terminating
 * chunk) after that many events have been flushed to the client.
 */
export function sseResponse(
  events: string[],
  options: { dropAfter?: number; headers?: Record<string, string> } = {},
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [index, event] of events.entries()) {
        if (options.dropAfter !== undefined && index === options.dropAfter) {
          // Let the events already queued reach the client, then break the connection.
          await new Promise((resolve) => setTimeout(resolve, 30));
          controller.error(
            new Error('fake provider: connection dropped on purpose by the test script'),
          );
          return;
        }
        controller.enqueue(encoder.encode(`data: ${event}\n\n`));
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...options.headers,
    },
  });
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Splits a string into pieces of `size` characters (at least one piece). */
export function chunked(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length ? pieces : [''];
}
