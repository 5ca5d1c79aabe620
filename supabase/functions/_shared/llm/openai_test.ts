// The OpenAI adapter against a local server speaking the Chat Completions streaming format,
// through the real `openai` SDK.
import assert from 'node:assert/strict';
import { OpenAiChatProvider } from './openai.ts';
import { collect, instantRetries, ofType, textOf } from './testing/events.ts';
import { type OpenAiTurn, startFakeOpenAi } from './testing/fake_openai.ts';
import type { ChatRequest, ToolDefinition } from './types.ts';

const searchLocations: ToolDefinition = {
  name: 'search_locations',
  description: 'Find billboard locations.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, limit: { type: 'integer' } },
    required: ['city'],
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
  turns: OpenAiTurn[],
  run: (
    provider: OpenAiChatProvider,
    server: ReturnType<typeof startFakeOpenAi>,
    sleeps: number[],
  ) => Promise<void>,
) {
  const server = startFakeOpenAi(turns);
  const retry = instantRetries();
  try {
    await run(
      new OpenAiChatProvider({ apiKey: 'sk-test', model: 'gpt-5.1', baseUrl: server.url, retry }),
      server,
      retry.sleeps,
    );
  } finally {
    await server.close();
  }
}

Deno.test('openai: text arrives as deltas in order, then usage, then done', async () => {
  await withFake([{
    text: ['The Dubai ', 'Gateway is ', 'available.'],
    usage: { prompt_tokens: 40, completion_tokens: 9 },
  }], async (provider, server) => {
    const events = await collect(provider.stream({ ...hello, tools: [searchLocations] }));
    assert.deepEqual(ofType(events, 'text').map((e) => e.delta), [
      'The Dubai ',
      'Gateway is ',
      'available.',
    ]);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['usage', 'done']);
    assert.deepEqual(events.at(-1), { type: 'done', finishReason: 'stop' });

    const body = server.requests[0].body;
    assert.equal(body.model, 'gpt-5.1');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.tool_choice, 'auto');
    assert.equal(body.tools[0].function.name, 'search_locations');
    assert.deepEqual(body.messages[0], {
      role: 'system',
      content: 'You are the MMG sales assistant.',
    });
    assert.equal(server.requests[0].headers['authorization'], 'Bearer sk-test');
  });
});

Deno.test('openai: two tool calls in one answer both surface with their arguments parsed', async () => {
  await withFake([{
    text: ['Let me check.'],
    toolCalls: [
      { id: 'call_a', name: 'search_locations', arguments: { city: 'Dubai', limit: 5 } },
      { id: 'call_b', name: 'get_availability', arguments: { location_key: 'dubai_gateway' } },
    ],
    argumentFragmentSize: 3,
    usage: { prompt_tokens: 100, completion_tokens: 30 },
  }], async (provider) => {
    const events = await collect(
      provider.stream({ ...hello, tools: [searchLocations, getAvailability] }),
    );
    assert.deepEqual(ofType(events, 'tool_call').map((e) => e.call), [
      { id: 'call_a', name: 'search_locations', arguments: { city: 'Dubai', limit: 5 } },
      { id: 'call_b', name: 'get_availability', arguments: { location_key: 'dubai_gateway' } },
    ]);
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

Deno.test('openai: usage is normalised so reasoning tokens are counted once', async () => {
  await withFake([{
    text: ['ok'],
    usage: {
      prompt_tokens: 12000,
      completion_tokens: 1100,
      prompt_tokens_details: { cached_tokens: 2000 },
      completion_tokens_details: { reasoning_tokens: 300 },
    },
  }], async (provider) => {
    const [usage] = ofType(await collect(provider.stream(hello)), 'usage');
    assert.deepEqual(usage, {
      type: 'usage',
      provider: 'openai',
      model: 'gpt-5.1',
      usage: {
        input: 12000,
        cachedInput: 2000,
        output: 800,
        reasoning: 300,
        imageInput: 0,
        imageOutput: 0,
      },
    });
  });
});

Deno.test('openai: a 429 is retried once after the Retry-After delay, then the answer streams', async () => {
  await withFake([
    { status: 429, message: 'Rate limit reached', headers: { 'retry-after': '2' } },
    { text: ['Hello'], usage: { prompt_tokens: 5, completion_tokens: 1 } },
  ], async (provider, server, sleeps) => {
    const events = await collect(provider.stream(hello));
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(textOf(events), 'Hello');
    assert.equal(events.at(-1)?.type, 'done');
  });
});

Deno.test('openai: three 500s end in an error event after 3 attempts', async () => {
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

Deno.test('openai: backoff grows between attempts and stays within the policy', async () => {
  const server = startFakeOpenAi([{ status: 503 }, { status: 503 }, { status: 503 }]);
  const sleeps: number[] = [];
  const provider = new OpenAiChatProvider({
    apiKey: 'sk-test',
    model: 'gpt-5.1',
    baseUrl: server.url,
    retry: {
      baseDelayMs: 100,
      random: () => 1,
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    },
  });
  try {
    await collect(provider.stream(hello));
    assert.deepEqual(sleeps, [100, 200]);
  } finally {
    await server.close();
  }
});

Deno.test('openai: a connection dropped mid-stream is an error, not retried, text not repeated', async () => {
  await withFake([
    { text: ['Building ', 'your ', 'proposal', ' now'], dropAfterEvents: 3 },
    { text: ['Building ', 'your ', 'proposal', ' now'] },
  ], async (provider, server) => {
    const events = await collect(provider.stream(hello));
    assert.equal(textOf(events), 'Building your ');
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last.type === 'error' && last.error.code, 'stream_interrupted');
    assert.equal(server.requests.length, 1);
    assert.equal(ofType(events, 'done').length, 0);
  });
});

Deno.test('openai: a stream cut before any token is retried', async () => {
  await withFake(
    [{ text: ['lost'], dropAfterEvents: 0 }, { text: ['Hello'] }],
    async (provider, server) => {
      const events = await collect(provider.stream(hello));
      assert.equal(server.requests.length, 2);
      assert.equal(textOf(events), 'Hello');
      assert.equal(events.at(-1)?.type, 'done');
    },
  );
});

Deno.test('openai: invalid JSON tool arguments end in an error naming the tool, usage still reported', async () => {
  await withFake([{
    toolCalls: [
      { name: 'search_locations', arguments: { city: 'Dubai' } },
      { name: 'get_availability', arguments: '{"location_key": "dubai_gat' },
    ],
    usage: { prompt_tokens: 50, completion_tokens: 20 },
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

Deno.test('openai: a client error (401) is not retried', async () => {
  await withFake(
    [{ status: 401, message: 'Incorrect API key provided' }, { text: ['x'] }],
    async (provider, server) => {
      const [error] = ofType(await collect(provider.stream(hello)), 'error');
      assert.equal(error.error.code, 'request_rejected');
      assert.equal(error.error.attempts, 1);
      assert.equal(server.requests.length, 1);
    },
  );
});

Deno.test('openai: a Retry-After longer than the policy allows is not waited out', async () => {
  await withFake(
    [{ status: 429, headers: { 'retry-after': '120' } }, { text: ['x'] }],
    async (provider, server, sleeps) => {
      const [error] = ofType(await collect(provider.stream(hello)), 'error');
      assert.equal(error.error.code, 'rate_limited');
      assert.match(error.error.message, /retry in 120 s/);
      assert.deepEqual(sleeps, []);
      assert.equal(server.requests.length, 1);
    },
  );
});

Deno.test('openai: an unreachable server is retried, then reported as a connection error', async () => {
  const server = startFakeOpenAi([]);
  const url = server.url;
  await server.close();
  const provider = new OpenAiChatProvider({
    apiKey: 'sk-test',
    model: 'gpt-5.1',
    baseUrl: url,
    retry: instantRetries(),
  });
  const [error] = ofType(await collect(provider.stream(hello)), 'error');
  assert.equal(error.error.code, 'connection');
  assert.equal(error.error.attempts, 3);
});

Deno.test('openai: aborting the signal ends the stream with an aborted error', async () => {
  await withFake([{ text: ['one ', 'two ', 'three'], dropAfterEvents: 2 }], async (provider) => {
    const controller = new AbortController();
    const events = [];
    for await (const event of provider.stream(hello, controller.signal)) {
      events.push(event);
      if (event.type === 'text') controller.abort();
    }
    const last = events.at(-1);
    assert.equal(last?.type === 'error' && last.error.code, 'aborted');
  });
});

Deno.test('openai: history with tool calls, tool results and images goes out in the wire shape', async () => {
  await withFake([{ text: ['Done.'] }], async (provider, server) => {
    await collect(provider.stream({
      model: 'gpt-4.1',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Put this creative on the Gateway' },
            { type: 'image', mimeType: 'image/png', base64: 'iVBORw0KGgo=' },
            { type: 'image', url: 'https://storage.example/creative.jpg' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'search_locations', arguments: { city: 'Dubai' } }],
        },
        {
          role: 'tool',
          toolCallId: 'call_1',
          name: 'search_locations',
          content: '{"locations":[]}',
        },
      ],
      tools: [searchLocations],
      toolChoice: 'required',
      maxOutputTokens: 500,
      cacheKey: 'conversation-1',
    }));
    const body = server.requests[0].body;
    assert.equal(body.model, 'gpt-4.1');
    assert.equal(body.tool_choice, 'required');
    assert.equal(body.max_completion_tokens, 500);
    assert.equal(body.prompt_cache_key, 'conversation-1');
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Put this creative on the Gateway' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://storage.example/creative.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{
          id: 'call_1',
          type: 'function',
          function: { name: 'search_locations', arguments: '{"city":"Dubai"}' },
        }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"locations":[]}' },
    ]);
  });
});
