// How the agent talks back to a person. Every request carries its own Channel object — web
// requests an SSE stream, Slack messages a Slack adapter — so concurrent requests can never
// answer through each other's channel (the original switched one global adapter, §11.22).

/**
 * The chat event protocol. On the web each event is one SSE message: `event: <type>` and
 * `data: <json>`; the stream always ends with `done` (after an `error`, too).
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

export interface Channel {
  readonly kind: 'web' | 'slack';
  send(event: ChatEvent): Promise<void>;
  /** Ends the conversation turn on this channel; further sends are ignored. */
  close(): Promise<void>;
  /** True once the person went away (browser closed the stream); work may stop early. */
  readonly closed: boolean;
}

const encoder = new TextEncoder();

export function encodeSse(event: ChatEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** A web channel: a Response whose body is the SSE stream, and the Channel writing to it. */
export function createSseChannel(keepAliveMs = 15_000): { channel: Channel; response: Response } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    closed = true;
    if (timer !== undefined) clearInterval(timer);
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // Comments keep proxies from closing an idle stream while a tool runs.
      timer = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
      }, keepAliveMs);
    },
    cancel() {
      stop();
    },
  });
  const channel: Channel = {
    kind: 'web',
    get closed() {
      return closed;
    },
    send(event) {
      if (!closed) controller.enqueue(encodeSse(event));
      return Promise.resolve();
    },
    close() {
      if (!closed) {
        stop();
        controller.close();
      }
      return Promise.resolve();
    },
  };
  const response = new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      'Access-Control-Allow-Origin': '*',
    },
  });
  return { channel, response };
}

/** Parses an SSE body back into events (tests, and any server-side consumer). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) yield JSON.parse(data) as ChatEvent;
    }
  }
}
