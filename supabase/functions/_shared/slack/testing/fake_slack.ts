// A local stand-in for Slack's Web API (and for interaction response_urls), for tests and the
// bench: Deno.serve on loopback, recording every call and answering `{ok: true, …}` the way
// Slack does. Point WebClient's slackApiUrl at `${fake.apiUrl}` (SLACK_API_URL).
//
//   POST /api/<method>     Web API methods (form-encoded or JSON, as WebClient sends them)
//   POST /upload/<file_id> the upload_url of files.getUploadURLExternal
//   POST /response/<name>  a response_url (see responseUrl())
//   GET  /files-pri/<id>/<name>  a file's url_private_download (see addFile()): the bytes with
//                          the bot token, Slack's sign-in page (HTML, 200) without it

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  token: string | null;
  at: number;
}

export interface FakeSlack {
  readonly origin: string;
  /** For SLACK_API_URL / WebClient slackApiUrl (ends with a slash). */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  /** Calls of one method (`chat.postMessage`, `response`, `upload`). */
  callsTo(method: string): RecordedCall[];
  /** A response_url served by the fake; its posts are recorded as method `response`. */
  responseUrl(name?: string): string;
  /** The next call of `method` answers `{ok: false, error}`. */
  failNext(method: string, error: string): void;
  /** Files that files.info knows. */
  files: Map<string, Record<string, unknown>>;
  /**
   * A file someone shared: files.info knows it and its url_private_download serves `bytes`.
   * Returns the Slack file object (for a message event's `files`).
   */
  addFile(
    file: { id: string; name: string; mimetype?: string },
    bytes: Uint8Array,
  ): Record<string, unknown>;
  /** Waits until `count` calls of `method` were recorded (default 5 s). */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  reset(): void;
  close(): Promise<void>;
}

function parseValue(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function readArgs(req: Request): Promise<Record<string, any>> {
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return await req.json().catch(() => ({}));
  if (type.includes('multipart/form-data')) {
    const form = await req.formData();
    const out: Record<string, any> = {};
    for (const [k, v] of form) {
      out[k] = typeof v === 'string' ? parseValue(v) : { filename: v.name, size: v.size };
    }
    return out;
  }
  const text = await req.text();
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = parseValue(v);
  return out;
}

export function startFakeSlack(options: { port?: number } = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, string[]>();
  const files = new Map<string, Record<string, unknown>>();
  const contents = new Map<string, Uint8Array>();
  let ts = 1_700_000_000;
  let seq = 0;
  let origin = '';
  const nextTs = () => `${++ts}.${String(++seq).padStart(6, '0')}`;

  function answer(method: string, args: Record<string, any>): Record<string, unknown> {
    const queued = failures.get(method);
    if (queued?.length) return { ok: false, error: queued.shift() };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: 'UBOT000001',
          bot_id: 'BBOT000001',
          team_id: 'TFAKE00001',
          user: 'mmg',
        };
      case 'chat.postMessage':
        return {
          ok: true,
          channel: args.channel,
          ts: nextTs(),
          message: { text: args.text, blocks: args.blocks },
        };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
        return { ok: true, view: { id: `V${String(++seq).padStart(9, '0')}`, ...args.view } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X').replace(/^U/, '')}` } };
      case 'files.info': {
        const file = files.get(String(args.file));
        return file ? { ok: true, file } : { ok: false, error: 'file_not_found' };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++seq).padStart(9, '0')}`;
        return { ok: true, upload_url: `${origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return {
          ok: true,
          files: (args.files ?? []).map((f: { id: string; title?: string }) => ({
            id: f.id,
            title: f.title,
          })),
        };
      case 'users.info':
        return {
          ok: true,
          user: { id: args.user, name: 'someone', real_name: 'Someone', profile: {} },
        };
      default:
        return { ok: true };
    }
  }

  const ac = new AbortController();
  let resolveListening!: (port: number) => void;
  const listening = new Promise<number>((r) => (resolveListening = r));
  const server = Deno.serve({
    hostname: '127.0.0.1',
    port: options.port ?? 0,
    signal: ac.signal,
    onListen: ({ port }) => resolveListening(port),
  }, async (req) => {
    const path = new URL(req.url).pathname;
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? null;
    if (path.startsWith('/api/')) {
      const method = path.slice(5);
      const args = await readArgs(req);
      if (!token && typeof args.token === 'string') delete args.token;
      calls.push({ method, args, token: token ?? null, at: Date.now() });
      return Response.json(answer(method, args));
    }
    if (req.method === 'GET' && path.startsWith('/files-pri/')) {
      const id = path.split('/')[2];
      calls.push({ method: 'file_download', args: { file_id: id }, token, at: Date.now() });
      const bytes = contents.get(id);
      if (!token?.startsWith('xox')) {
        // What Slack does for a private file without a token: its sign-in page.
        return new Response('<!DOCTYPE html><html><body>Sign in to Slack</body></html>', {
          headers: { 'content-type': 'text/html' },
        });
      }
      return bytes
        ? new Response(bytes.slice(), { headers: { 'content-type': 'application/octet-stream' } })
        : new Response('not found', { status: 404 });
    }
    if (path.startsWith('/upload/')) {
      let size = 0;
      let filename: string | null = null;
      if ((req.headers.get('content-type') ?? '').includes('multipart/form-data')) {
        for (const [, v] of await req.formData()) {
          if (typeof v !== 'string') {
            size += v.size;
            filename = v.name;
          }
        }
      } else {
        size = (await req.arrayBuffer()).byteLength;
      }
      calls.push({
        method: 'upload',
        args: { file_id: path.slice(8), size, filename },
        token,
        at: Date.now(),
      });
      return new Response('OK');
    }
    if (path.startsWith('/response/')) {
      calls.push({
        method: 'response',
        args: { name: path.slice(10), ...(await req.json().catch(() => ({}))) },
        token,
        at: Date.now(),
      });
      return new Response('ok');
    }
    return new Response('not found', { status: 404 });
  });

  return listening.then((port) => {
    origin = `http://127.0.0.1:${port}`;
    const fake: FakeSlack = {
      origin,
      apiUrl: `${origin}/api/`,
      calls,
      files,
      addFile(file, bytes) {
        const object = {
          filetype: file.name.split('.').pop(),
          title: file.name,
          size: bytes.length,
          ...file,
          url_private: `${origin}/files-pri/${file.id}/${encodeURIComponent(file.name)}`,
          url_private_download: `${origin}/files-pri/${file.id}/download/${
            encodeURIComponent(file.name)
          }`,
        };
        files.set(file.id, object);
        contents.set(file.id, bytes);
        return object;
      },
      callsTo: (method) => calls.filter((c) => c.method === method),
      responseUrl: (name = crypto.randomUUID()) => `${origin}/response/${name}`,
      failNext(method, error) {
        failures.set(method, [...(failures.get(method) ?? []), error]);
      },
      async waitFor(method, count = 1, timeoutMs = 5_000) {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const found = calls.filter((c) => c.method === method);
          if (found.length >= count) return found;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(
          `fake Slack: expected ${count} call(s) of ${method} within ${timeoutMs} ms, got ` +
            `${calls.filter((c) => c.method === method).length}; all calls: ${
              calls.map((c) => c.method).join(', ')
            }`,
        );
      },
      reset() {
        calls.length = 0;
        failures.clear();
        files.clear();
        contents.clear();
      },
      async close() {
        ac.abort();
        await server.finished;
      },
    };
    return fake;
  });
}
