// Structured output through both adapters and their real SDKs, against the fake servers: the
// JSON-schema format on the wire, the parsed object, and every way the answer can be unusable.
import assert from 'node:assert/strict';
import { GeminiChatProvider } from './gemini.ts';
import { OpenAiChatProvider } from './openai.ts';
import { parseJsonObject } from './structured.ts';
import { instantRetries } from './testing/events.ts';
import { startFakeGemini } from './testing/fake_gemini.ts';
import { type OpenAiTurn, startFakeOpenAi } from './testing/fake_openai.ts';
import type { ResponseFormat, StructuredRequest } from './types.ts';

const format: ResponseFormat = {
  name: 'document_classification',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'company'],
    properties: {
      kind: { type: 'string', enum: ['BOOKING_ORDER', 'ARTWORK', 'OTHER'] },
      company: { type: ['string', 'null'], enum: ['backlite_dubai', 'viola', null] },
    },
  },
};
const request: StructuredRequest = {
  system: 'Classify.',
  messages: [{ role: 'user', content: 'A purchase order for two billboards.' }],
  format,
  reasoningEffort: 'low',
};
const usage = { prompt_tokens: 300, completion_tokens: 20 };

async function withOpenAi(
  turns: OpenAiTurn[],
  run: (provider: OpenAiChatProvider, requests: any[]) => Promise<void>,
  model = 'gpt-5.1',
) {
  const server = startFakeOpenAi(turns);
  try {
    await run(
      new OpenAiChatProvider({
        apiKey: 'sk-test',
        model,
        baseUrl: server.url,
        retry: instantRetries(),
      }),
      server.requests,
    );
  } finally {
    await server.close();
  }
}

Deno.test('structured (OpenAI): strict json_schema on the wire, the object back, usage kept', async () => {
  await withOpenAi([{
    json: { kind: 'BOOKING_ORDER', company: 'viola' },
    format: 'document_classification',
    usage,
  }], async (provider, requests) => {
    const result = await provider.structured(request);
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.value, { kind: 'BOOKING_ORDER', company: 'viola' });
    assert.equal(result.usage?.usage.input, 300);
    const body = requests[0].body;
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'document_classification', schema: format.schema, strict: true },
    });
    assert.equal(body.reasoning_effort, 'low');
    assert.equal(body.tools, undefined);
  });
});

Deno.test('structured (OpenAI): models without reasoning effort are not sent one', async () => {
  await withOpenAi([{ json: { kind: 'OTHER', company: null } }], async (provider, requests) => {
    const result = await provider.structured(request);
    assert.equal(result.ok, true);
    assert.equal('reasoning_effort' in requests[0].body, false);
  }, 'gpt-4.1');
});

Deno.test('structured (OpenAI): broken JSON is invalid_json, with the text and the usage', async () => {
  await withOpenAi([{ json: '{"kind": "BOOKING_ORD', usage }], async (provider) => {
    const result = await provider.structured(request);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'invalid_json');
    assert.match(!result.ok ? result.error.message : '', /not valid JSON/);
    assert.equal(result.text, '{"kind": "BOOKING_ORD');
    assert.equal(result.usage?.usage.output, 20, 'the tokens were spent all the same');
  });
});

Deno.test('structured (OpenAI): a cut-off answer is truncated, a provider error keeps its code', async () => {
  await withOpenAi([
    { json: '{"kind": "OTHER"', finishReason: 'length', usage },
    { status: 400, message: 'Invalid schema for response_format' },
  ], async (provider) => {
    const cut = await provider.structured(request);
    assert.equal(!cut.ok && cut.error.code, 'truncated');
    const refused = await provider.structured(request);
    assert.equal(!refused.ok && refused.error.code, 'request_rejected');
    assert.match(!refused.ok ? refused.error.message : '', /Invalid schema/);
  });
});

Deno.test('structured: the fake refuses a json turn for a request that is not structured', async () => {
  await withOpenAi([{ json: { kind: 'OTHER' } }], async (provider) => {
    const events = [];
    for await (const e of provider.stream({ messages: [{ role: 'user', content: 'hi' }] })) {
      events.push(e);
    }
    const error = events.find((e) => e.type === 'error');
    assert.match(JSON.stringify(error), /expected a structured-output request/);
  });
});

Deno.test('structured (Gemini): responseMimeType + responseSchema, nullable enum translated', async () => {
  const server = startFakeGemini([{
    json: { kind: 'ARTWORK', company: null },
    usage: { promptTokenCount: 250, candidatesTokenCount: 12 },
  }]);
  try {
    const provider = new GeminiChatProvider({
      apiKey: 'g-test',
      model: 'gemini-2.5-flash',
      baseUrl: server.url,
      retry: instantRetries(),
    });
    const result = await provider.structured(request);
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.value, { kind: 'ARTWORK', company: null });
    const config = server.requests[0].body.generationConfig;
    assert.equal(config.responseMimeType, 'application/json');
    assert.deepEqual(config.responseSchema.properties.company, {
      type: 'string',
      nullable: true,
      enum: ['backlite_dubai', 'viola'],
    });
    assert.equal(result.usage?.usage.input, 250);
  } finally {
    await server.close();
  }
});

Deno.test('parseJsonObject: objects only; a code fence around the JSON is tolerated', () => {
  assert.deepEqual(parseJsonObject('```json\n{"a": 1}\n```'), { ok: true, value: { a: 1 } });
  assert.equal(parseJsonObject('[1, 2]').ok, false);
  assert.equal(parseJsonObject('   ').ok, false);
  assert.equal(parseJsonObject('{"a": 1').ok, false);
});
