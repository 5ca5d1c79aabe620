// The Gemini adapter against a local server speaking streamGenerateContent's SSE format,
// through the real `@google/generative-ai` SDK.
import assert from 'node:assert/strict';
import { GeminiChatProvider, toGeminiSchema } from './gemini.ts';
import { collect, instantRetries, ofType, textOf } from './testing/events.ts';
import { type GeminiTurn, startFakeGemini } from './testing/fake_gemini.ts';
import type { ChatRequest, ToolDefinition } from './types.ts';

const searchLocations: ToolDefinition = {
  name: 'search_locations',
  description: 'Find billboard locations.',
  parameters: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      start_date: { type: 'string', format: 'date' },
      limit: { type: ['integer', 'null'], default: 10 },
    },
    required: ['city', 'ghost'],
    additionalProperties: false,
  },
};
const getAvailability: ToolDefinition = {
  name: 'get_availability',
  description: 'Availability of a location.',
  parameters: { type: 'object', properties: { location_key: { type: 'string' } } },
};
const hello: ChatRequest = {
  system: 'You are the MMG sales assistant.',
  messages: [{ role: 'user', content: 'Hi' }],
};

async function withFake(
  turns: GeminiTurn[],
  run: (
    provider: GeminiChatProvider,
    server: ReturnType<typeof startFakeGemini>,
    sleeps: number[],
  ) => Promise<void>,
) {
  const server = startFakeGemini(turns);
  const retry = instantRetries();
  try {
    await run(
      new GeminiChatProvider({
        apiKey: 'AIza-test',
        model: 'gemini-2.5-flash',
        baseUrl: server.url,
        retry,
      }),
      server,
      retry.sleeps,
    );
  } finally {
    await server.close();
  }
}

Deno.test('gemini: text arrives as deltas in order, then usage, then done', async () => {
  await withFake([{
    text: ['The Dubai ', 'Gateway is ', 'available.'],
    usage: { promptTokenCount: 40, candidatesTokenCount: 9 },
  }], async (provider, server) => {
    const events = await collect(provider.stream({ ...hello, tools: [searchLocations] }));
    assert.deepEqual(ofType(events, 'text').map((e) => e.delta), [
      'The Dubai ',
      'Gateway is ',
      'available.',
    ]);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['usage', 'done']);
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'stop' });

    const request = server.requests[0];
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    assert.equal(request.search, '?alt=sse');
    assert.equal(request.headers['x-goog-api-key'], 'AIza-test');
    assert.deepEqual(request.body.systemInstruction, {
      role: 'system',
      parts: [{ text: 'You are the MMG sales assistant.' }],
    });
    assert.deepEqual(request.body.contents, [{ role: 'user', parts: [{ text: 'Hi' }] }]);
    assert.deepEqual(request.body.toolConfig, { functionCallingConfig: { mode: 'AUTO' } });
    assert.deepEqual(request.body.tools[0].functionDeclarations[0], {
      name: 'search_locations',
      description: 'Find billboard locations.',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          start_date: { type: 'string' },
          limit: { type: 'integer', nullable: true },
        },
        required: ['city'],
      },
    });
  });
});

Deno.test('gemini: two function calls in one answer both surface with their arguments', async () => {
  await withFake([{
    text: ['Let me check.'],
    functionCalls: [
      { name: 'search_locations', args: { city: 'Dubai', limit: 5 }, thoughtSignature: 'c2lnLTE=' },
      { name: 'get_availability', args: { location_key: 'dubai_gateway' } },
    ],
    usage: { promptTokenCount: 100, candidatesTokenCount: 30 },
  }], async (provider) => {
    const events = await collect(
      provider.stream({ ...hello, tools: [searchLocations, getAvailability] }),
    );
    const calls = ofType(events, 'tool_call').map((e) => e.call);
    assert.deepEqual(calls.map(({ name, arguments: args }) => ({ name, args })), [
      { name: 'search_locations', args: { city: 'Dubai', limit: 5 } },
      { name: 'get_availability', args: { location_key: 'dubai_gateway' } },
    ]);
    assert.notEqual(calls[0].id, calls[1].id);
    assert.deepEqual(calls[0].providerMetadata, { thoughtSignature: 'c2lnLTE=' });
    assert.deepEqual(events.map((e) => e.type), [
      'text',
      'tool_call',
      'tool_call',
      'usage',
      'done',
    ]);
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'tool_calls' });
  });
});

Deno.test('gemini: tool results go back as one content, thought signatures preserved', async () => {
  await withFake([{ text: ['Both are free.'] }], async (provider, server) => {
    await collect(provider.stream({
      tools: [searchLocations, getAvailability],
      messages: [
        { role: 'user', content: 'Is the Gateway free?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [
            {
              id: 'c1',
              name: 'search_locations',
              arguments: { city: 'Dubai' },
              providerMetadata: { thoughtSignature: 'c2ln' },
            },
            { id: 'c2', name: 'get_availability', arguments: { location_key: 'dubai_gateway' } },
          ],
        },
        {
          role: 'tool',
          toolCallId: 'c1',
          name: 'search_locations',
          content: '{"locations":["dubai_gateway"]}',
        },
        { role: 'tool', toolCallId: 'c2', name: 'get_availability', content: 'free all December' },
      ],
    }));
    assert.deepEqual(server.requests[0].body.contents, [
      { role: 'user', parts: [{ text: 'Is the Gateway free?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          {
            functionCall: { name: 'search_locations', args: { city: 'Dubai' } },
            thoughtSignature: 'c2ln',
          },
          { functionCall: { name: 'get_availability', args: { location_key: 'dubai_gateway' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'search_locations',
              response: { locations: ['dubai_gateway'] },
            },
          },
          {
            functionResponse: {
              name: 'get_availability',
              response: { result: 'free all December' },
            },
          },
        ],
      },
    ]);
  });
});

Deno.test('gemini: usage is normalised — thoughts become reasoning, cached and image tokens kept', async () => {
  await withFake([{
    text: ['ok'],
    usage: {
      promptTokenCount: 12000,
      cachedContentTokenCount: 2000,
      candidatesTokenCount: 800,
      thoughtsTokenCount: 300,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 10742 }, {
        modality: 'IMAGE',
        tokenCount: 1258,
      }],
    },
  }], async (provider) => {
    const [usage] = ofType(await collect(provider.stream(hello)), 'usage');
    assert.deepEqual(usage, {
      type: 'usage',
      provider: 'google',
      model: 'gemini-2.5-flash',
      usage: {
        input: 12000,
        cachedInput: 2000,
        output: 800,
        reasoning: 300,
        imageInput: 1258,
        imageOutput: 0,
      },
    });
  });
});

Deno.test('gemini: a 429 is retried once after the RetryInfo delay, then the answer streams', async () => {
  await withFake([
    { status: 429, message: 'Resource has been exhausted', retryDelay: '2s' },
    { text: ['Hello'], usage: { promptTokenCount: 5, candidatesTokenCount: 1 } },
  ], async (provider, server, sleeps) => {
    const events = await collect(provider.stream(hello));
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(textOf(events), 'Hello');
    assert.equal(events.at(-1)?.type, 'done');
  });
});

Deno.test('gemini: three 500s end in an error event after 3 attempts', async () => {
  await withFake(
    [{ status: 500 }, { status: 500 }, { status: 500 }, { text: ['never sent'] }],
    async (provider, server, sleeps) => {
      const events = await collect(provider.stream(hello));
      assert.equal(events.length, 1);
      const [error] = ofType(events, 'error');
      assert.equal(error.error.code, 'provider_error');
      assert.equal(error.error.status, 500);
      assert.equal(error.error.attempts, 3);
      assert.equal(server.requests.length, 3);
      assert.equal(server.remainingTurns(), 1);
      assert.equal(sleeps.length, 2);
    },
  );
});

Deno.test('gemini: a connection dropped mid-stream is an error, not retried, text not repeated', async () => {
  await withFake([
    {
      text: ['Building ', 'your ', 'proposal', ' now'],
      usage: { promptTokenCount: 70 },
      dropAfterEvents: 2,
    },
    { text: ['Building ', 'your ', 'proposal', ' now'] },
  ], async (provider, server) => {
    const events = await collect(provider.stream(hello));
    assert.equal(textOf(events), 'Building your ');
    assert.deepEqual(events.map((e) => e.type), ['text', 'text', 'usage', 'error']);
    const [error] = ofType(events, 'error');
    assert.equal(error.error.code, 'stream_interrupted');
    assert.equal(server.requests.length, 1);
  });
});

Deno.test('gemini: invalid JSON tool arguments end in an error naming the tool', async () => {
  await withFake([{
    functionCalls: [
      { name: 'search_locations', args: { city: 'Dubai' } },
      { name: 'get_availability', args: '{"location_key": "dubai_gat' },
    ],
    usage: { promptTokenCount: 50, candidatesTokenCount: 20 },
  }], async (provider, server) => {
    const events = await collect(
      provider.stream({ ...hello, tools: [searchLocations, getAvailability] }),
    );
    assert.deepEqual(events.map((e) => e.type), ['usage', 'error']);
    const [error] = ofType(events, 'error');
    assert.equal(error.error.code, 'invalid_tool_arguments');
    assert.equal(error.error.tool, 'get_availability');
    assert.match(error.error.message, /get_availability/);
    assert.equal(server.requests.length, 1);
  });
});

Deno.test('gemini: a malformed function call is reported as invalid tool arguments', async () => {
  await withFake(
    [{ finishReason: 'MALFORMED_FUNCTION_CALL', usage: { promptTokenCount: 50 } }],
    async (provider) => {
      const [error] = ofType(
        await collect(provider.stream({ ...hello, tools: [getAvailability] })),
        'error',
      );
      assert.equal(error.error.code, 'invalid_tool_arguments');
    },
  );
});

Deno.test('gemini: a safety stop is a done event with content_filter', async () => {
  await withFake([{ text: ['I can'], finishReason: 'SAFETY' }], async (provider) => {
    const events = await collect(provider.stream(hello));
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'content_filter' });
  });
});

Deno.test('gemini: image parts are sent inline; URLs are fetched first', async () => {
  const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const files = Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen: () => {} },
    () => new Response(image, { headers: { 'content-type': 'image/png' } }),
  );
  try {
    await withFake([{ text: ['Nice creative.'] }], async (provider, server) => {
      await collect(provider.stream({
        messages: [{
          role: 'user',
          content: [
            { type: 'text', text: 'Use these' },
            { type: 'image', mimeType: 'image/jpeg', base64: '/9j/4AAQ' },
            { type: 'image', url: `http://127.0.0.1:${files.addr.port}/creative.png?token=secret` },
          ],
        }],
      }));
      assert.deepEqual(server.requests[0].body.contents[0].parts, [
        { text: 'Use these' },
        { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
        { inlineData: { mimeType: 'image/png', data: btoa(String.fromCharCode(...image)) } },
      ]);
    });
  } finally {
    await files.shutdown();
  }
});

Deno.test('gemini: an image URL that cannot be fetched is an error without calling the model', async () => {
  const files = Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen: () => {} },
    () => new Response('gone', { status: 404 }),
  );
  try {
    await withFake([{ text: ['x'] }], async (provider, server) => {
      const events = await collect(provider.stream({
        messages: [{
          role: 'user',
          content: [{
            type: 'image',
            url: `http://127.0.0.1:${files.addr.port}/x.png?token=secret`,
          }],
        }],
      }));
      const [error] = ofType(events, 'error');
      assert.equal(error.error.code, 'request_rejected');
      assert.doesNotMatch(error.error.message, /secret/);
      assert.equal(server.requests.length, 0);
    });
  } finally {
    await files.shutdown();
  }
});

Deno.test('gemini: JSON Schema features Gemini lacks are translated or dropped', () => {
  assert.deepEqual(
    toGeminiSchema({
      type: 'object',
      properties: {
        size: { type: 'integer', enum: [1, 2, 4], description: 'Size in K' },
        ratio: { const: '3:2' },
        tags: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 3 },
        either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
      },
      additionalProperties: false,
    }),
    {
      type: 'object',
      properties: {
        size: { type: 'integer', description: 'Size in K One of: 1, 2, 4.' },
        ratio: { enum: ['3:2'] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
    },
  );
});
