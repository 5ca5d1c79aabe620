import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { OpenAiImageGenerator } from '../images.ts';
import { callerWith, SALES_USER_HELD } from '../testing/harness.ts';
import type { ToolContext } from '../types.ts';
import { mockupTools } from './mockups.ts';
import { executeToolCall } from './registry.ts';

function context(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    db: {} as SupabaseClient,
    caller: callerWith(SALES_USER_HELD),
    conversationId: 'c',
    attachments: [],
    settings: { renderWaitMs: 10, renderPollMs: 5, now: () => new Date() },
    images: null,
    signal: new AbortController().signal,
    status: () => Promise.resolve(),
    recordCost: () => Promise.resolve(),
    ...overrides,
  };
}

Deno.test('AI creative without an image model: a clear "not available" tool error', async () => {
  const outcome = await executeToolCall(
    { id: 'a', name: 'generate_ai_creative', arguments: { prompt: 'A bold red sneaker ad, 3:2' } },
    mockupTools,
    context(),
  );
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && outcome.error.code === 'not_available');
  assert.ok(!outcome.ok && /no image model is configured/.test(outcome.error.message));
});

Deno.test('mockup without any creative asks for one instead of calling the RPC', async () => {
  const outcome = await executeToolCall(
    { id: 'm', name: 'generate_mockup', arguments: { location: 'dubai_gateway' } },
    mockupTools,
    context(),
  );
  assert.ok(!outcome.ok && outcome.error.code === 'creative_required');
});

Deno.test('OpenAI image generator: size from the aspect ratio, PNG bytes and image usage back', async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  let body: any;
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    body = await req.json();
    return Response.json({
      created: 1,
      data: [{ b64_json: btoa(String.fromCharCode(...png)) }],
      usage: {
        input_tokens: 50,
        output_tokens: 1056,
        total_tokens: 1106,
        input_tokens_details: { image_tokens: 0, text_tokens: 50 },
      },
    });
  });
  try {
    const generator = new OpenAiImageGenerator(
      'test',
      'gpt-image-1',
      `http://127.0.0.1:${server.addr.port}/v1`,
    );
    const image = await generator.generate('A portrait poster', '2:3');
    assert.equal(body.size, '1024x1536');
    assert.equal(body.model, 'gpt-image-1');
    assert.deepEqual(image.bytes, png);
    assert.deepEqual(image.usage?.usage, {
      input: 50,
      cachedInput: 0,
      output: 1056,
      reasoning: 0,
      imageInput: 0,
      imageOutput: 1056,
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test('mockup: the images of the message go to request_mockup; the rendered image is linked', async () => {
  const rpcs: { fn: string; args: any }[] = [];
  const db = {
    rpc(fn: string, args: unknown) {
      rpcs.push({ fn, args });
      return Promise.resolve({ data: { mockup_id: 'm-1', job_id: 'j-1' }, error: null });
    },
    from() {
      const builder = {
        select: () => builder,
        eq: () => builder,
        maybeSingle: () =>
          Promise.resolve({
            data: {
              id: 'j-1',
              status: 'succeeded',
              progress: 100,
              error: null,
              result: { output_path: 'u-1/m-1.jpg' },
            },
            error: null,
          }),
      };
      return builder;
    },
    storage: {
      from: (bucket: string) => ({
        createSignedUrl: (path: string) =>
          Promise.resolve({ data: { signedUrl: `http://s/${bucket}/${path}` }, error: null }),
      }),
    },
  } as unknown as SupabaseClient;
  const outcome = await executeToolCall(
    {
      id: 'm',
      name: 'generate_mockup',
      arguments: { location: 'dubai_gateway', time_of_day: 'night' },
    },
    mockupTools,
    context({
      db,
      attachments: [
        {
          documentId: 'd1',
          bucket: 'uploads',
          path: 'u-1/2026/11/22/a_creative.png',
          filename: 'creative.png',
          mimeType: 'image/png',
          sizeBytes: 10,
          kind: 'image',
        },
        {
          documentId: 'd2',
          bucket: 'uploads',
          path: 'u-1/2026/11/22/b_brief.pdf',
          filename: 'brief.pdf',
          mimeType: 'application/pdf',
          sizeBytes: 10,
          kind: 'document',
        },
      ],
    }),
  );
  assert.deepEqual(rpcs, [{
    fn: 'request_mockup',
    args: {
      request: {
        location: 'dubai_gateway',
        creative_paths: ['u-1/2026/11/22/a_creative.png'],
        time_of_day: 'night',
      },
    },
  }]);
  assert.ok(outcome.ok);
  assert.deepEqual(outcome.files?.map((f) => [f.bucket, f.path, f.kind, f.url]), [
    ['mockups', 'u-1/m-1.jpg', 'image', 'http://s/mockups/u-1/m-1.jpg'],
  ]);
});
