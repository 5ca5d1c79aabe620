// The agent loop against the real OpenAI and Gemini SDKs talking to local fake servers.
import assert from 'node:assert/strict';
import { GeminiChatProvider } from '../llm/gemini.ts';
import { OpenAiChatProvider } from '../llm/openai.ts';
import { instantRetries } from '../llm/testing/events.ts';
import { startFakeGemini } from '../llm/testing/fake_gemini.ts';
import { type OpenAiTurn, startFakeOpenAi } from '../llm/testing/fake_openai.ts';
import type { FakeServer } from '../llm/testing/fake_http.ts';
import { HISTORY_LIMIT } from './history.ts';
import { EMPTY_REPLY_TEXT, runTurn } from './loop.ts';
import { callerWith, harness, recordingTool } from './testing/harness.ts';
import { ALL_TOOLS } from './tools/registry.ts';

const usage = { prompt_tokens: 100, completion_tokens: 20 };

function openAi(server: FakeServer) {
  return new OpenAiChatProvider({
    apiKey: 'test',
    model: 'gpt-5.1',
    baseUrl: server.url,
    retry: instantRetries(),
  });
}

async function withOpenAi(turns: OpenAiTurn[], run: (server: FakeServer) => Promise<void>) {
  const server = startFakeOpenAi(turns);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

const input = (conversationId: string, text = 'Details of the Dubai Gateway and JBR please') => ({
  requestId: 'req-1',
  conversationId,
  text,
  attachments: [],
});

/** Two tools that only finish once both have started: proof they run at the same time. */
function parallelPair() {
  let started = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrive = (args: any) => {
    if (++started === 2) open();
    return { location: args.location, free: true };
  };
  const a = recordingTool('location_details', 'sales:proposals:read', arrive, gate);
  const b = recordingTool('location_photos', 'sales:proposals:read', arrive, gate);
  return [a, b] as const;
}

Deno.test('openai: both tool calls of one answer run (in parallel), results go back, answer streams', async () => {
  const [details, photos] = parallelPair();
  await withOpenAi([
    {
      text: ['Checking both.'],
      toolCalls: [
        { id: 'call_a', name: 'location_details', arguments: { location: 'dubai_gateway' } },
        { id: 'call_b', name: 'location_photos', arguments: { location: 'jumeirah_beach_screen' } },
      ],
      usage,
    },
    { text: ['Both ', 'are free.'], usage },
  ], async (server) => {
    const h = await harness(openAi(server), [details, photos]);
    const result = await runTurn(h.deps, input(h.conversationId));

    assert.deepEqual(details.calls, [{ location: 'dubai_gateway' }]);
    assert.deepEqual(photos.calls, [{ location: 'jumeirah_beach_screen' }]);
    assert.equal(result.toolCalls, 2);
    assert.equal(result.rounds, 2);

    // The second request carries both results, answering both call ids.
    const second = server.requests[1].body.messages;
    const toolMessages = second.filter((m: any) => m.role === 'tool');
    assert.deepEqual(toolMessages.map((m: any) => m.tool_call_id), ['call_a', 'call_b']);
    assert.deepEqual(JSON.parse(toolMessages[0].content), {
      ok: true,
      location: 'dubai_gateway',
      free: true,
    });
    const assistant = second.find((m: any) => m.role === 'assistant');
    assert.deepEqual(assistant.tool_calls.map((c: any) => c.id), ['call_a', 'call_b']);

    assert.deepEqual(h.channel.events.map((e) => e.type), [
      'session',
      'text',
      'tool_started',
      'tool_started',
      'tool_finished',
      'tool_finished',
      'text',
      'text',
      'done',
    ]);
    assert.equal(h.channel.of('text').map((e) => e.delta).join(''), 'Checking both.Both are free.');
    const done = h.channel.of('done')[0];
    assert.equal(done.message_id, result.assistantMessageId);

    const stored = h.store.of(h.conversationId);
    assert.deepEqual(stored.map((m) => m.role), ['user', 'assistant', 'tool', 'tool', 'assistant']);
    assert.equal(stored[4].content, 'Both are free.');
    assert.equal(stored[4].id, result.assistantMessageId);
    assert.ok(stored.slice(1).every((m) => m.parent_id === stored[0].id));
    assert.equal(h.costs.length, 2);
    assert.equal(h.costs[0].info.callType, 'main_llm');
  });
});

Deno.test('gemini: two function calls in one answer both run and both results go back', async () => {
  const [details, photos] = parallelPair();
  const server = startFakeGemini([
    {
      functionCalls: [
        { name: 'location_details', args: { location: 'dubai_gateway' } },
        { name: 'location_photos', args: { location: 'marina_mega_screen' } },
      ],
      usage: { promptTokenCount: 80, candidatesTokenCount: 12 },
    },
    { text: ['Done.'], usage: { promptTokenCount: 120, candidatesTokenCount: 3 } },
  ]);
  try {
    const provider = new GeminiChatProvider({
      apiKey: 'test',
      model: 'gemini-2.5-flash',
      baseUrl: server.url,
      retry: instantRetries(),
    });
    const h = await harness(provider, [details, photos]);
    await runTurn(h.deps, input(h.conversationId));
    assert.equal(details.calls.length, 1);
    assert.equal(photos.calls.length, 1);
    const contents = server.requests[1].body.contents;
    const responses = contents.flatMap((c: any) => c.parts).filter((p: any) => p.functionResponse);
    assert.deepEqual(responses.map((p: any) => p.functionResponse.name), [
      'location_details',
      'location_photos',
    ]);
    assert.equal(h.channel.of('text').map((e) => e.delta).join(''), 'Done.');
    assert.deepEqual(h.store.of(h.conversationId).map((m) => m.role), [
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
    ]);
  } finally {
    await server.close();
  }
});

Deno.test('a sales user is not offered admin tools, and a call to one anyway is refused', async () => {
  await withOpenAi([
    {
      toolCalls: [{
        id: 'call_x',
        name: 'delete_location',
        arguments: { company: 'backlite_dubai', location_key: 'dubai_gateway', confirm: true },
      }],
      usage,
    },
    { text: ['I cannot delete locations.'], usage },
  ], async (server) => {
    const h = await harness(openAi(server), ALL_TOOLS);
    await runTurn(h.deps, input(h.conversationId, 'Delete the Dubai Gateway'));

    const offered: string[] = server.requests[0].body.tools.map((t: any) => t.function.name);
    assert.ok(offered.includes('get_separate_proposals'));
    assert.ok(offered.includes('search_locations'));
    for (const admin of ['add_location', 'delete_location']) {
      assert.ok(!offered.includes(admin), `${admin} must not be offered to a sales user`);
    }
    const finished = h.channel.of('tool_finished')[0];
    assert.equal(finished.ok, false);
    const result = JSON.parse(
      server.requests[1].body.messages.find((m: any) => m.role === 'tool').content,
    );
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'forbidden');
    assert.match(result.error.message, /assets:locations:delete/);
  });
});

Deno.test('an admin is offered the inventory tools', async () => {
  await withOpenAi([{ text: ['Hello'], usage }], async (server) => {
    const h = await harness(openAi(server), ALL_TOOLS, {
      caller: callerWith(['sales:chat:use', 'assets:locations:create', 'assets:locations:delete'], {
        isAdmin: true,
      }),
    });
    await runTurn(h.deps, input(h.conversationId, 'Hi'));
    const offered: string[] = server.requests[0].body.tools.map((t: any) => t.function.name);
    assert.ok(offered.includes('add_location') && offered.includes('delete_location'));
    assert.match(server.requests[0].body.messages[0].content, /Inventory administration/);
  });
});

Deno.test('provider 500 → error event, user message kept, no assistant message stored', async () => {
  await withOpenAi([{ status: 500 }, { status: 500 }, { status: 500 }], async (server) => {
    const h = await harness(openAi(server), ALL_TOOLS);
    const result = await runTurn(h.deps, input(h.conversationId));
    assert.deepEqual(h.channel.events.map((e) => e.type), ['session', 'error', 'done']);
    const error = h.channel.of('error')[0].error;
    assert.equal(error.code, 'provider_error');
    assert.match(error.message, /after 3 attempts/);
    assert.equal(h.channel.of('done')[0].message_id, null);
    assert.deepEqual(h.store.of(h.conversationId).map((m) => m.role), ['user']);
    assert.equal(result.assistantMessageId, null);
    assert.equal(h.store.touched, 1);
  });
});

Deno.test('a failure in a later round keeps the completed round and stores no half answer', async () => {
  const tool = recordingTool('location_details', 'sales:proposals:read');
  await withOpenAi([
    { toolCalls: [{ id: 'c1', name: 'location_details', arguments: { location: 'x' } }], usage },
    { text: ['The Gateway is '], dropAfterEvents: 2 },
  ], async (server) => {
    const h = await harness(openAi(server), [tool]);
    await runTurn(h.deps, input(h.conversationId));
    const error = h.channel.of('error')[0].error;
    assert.equal(error.code, 'stream_interrupted');
    // The partial text reached the person but is not stored as an answer.
    assert.equal(h.channel.of('text').map((e) => e.delta).join(''), 'The Gateway is ');
    const stored = h.store.of(h.conversationId);
    assert.deepEqual(stored.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.equal(stored[1].content, '');
    assert.equal(h.channel.events.at(-1)?.type, 'done');
  });
});

Deno.test('invalid arguments are refused with a tool error the model reads; the handler never runs', async () => {
  const tool = recordingTool('location_details', 'sales:proposals:read');
  await withOpenAi([
    {
      toolCalls: [{ id: 'c1', name: 'location_details', arguments: { location: '', extra: 1 } }],
      usage,
    },
    {
      toolCalls: [{ id: 'c2', name: 'location_details', arguments: { location: 'dubai_gateway' } }],
      usage,
    },
    { text: ['Here it is.'], usage },
  ], async (server) => {
    const h = await harness(openAi(server), [tool]);
    await runTurn(h.deps, input(h.conversationId));
    assert.deepEqual(tool.calls, [{ location: 'dubai_gateway' }]);
    const firstResult = JSON.parse(
      server.requests[1].body.messages.find((m: any) => m.role === 'tool').content,
    );
    assert.equal(firstResult.ok, false);
    assert.equal(firstResult.error.code, 'invalid_arguments');
    assert.match(firstResult.error.message, /location must not be empty/);
    assert.match(firstResult.error.message, /extra is not a known argument/);
    assert.deepEqual(h.channel.of('tool_finished').map((e) => e.ok), [false, true]);
  });
});

Deno.test('history: only the newest 20 stored messages are replayed, starting at a user message', async () => {
  await withOpenAi([{ text: ['ok'], usage }], async (server) => {
    const h = await harness(openAi(server), []);
    // 15 exchanges = 30 messages, each "user i" / "answer i".
    for (let i = 1; i <= 15; i++) {
      await h.store.addMessages(h.conversationId, [{ role: 'user', content: `user ${i}` }]);
      await h.store.addMessages(h.conversationId, [{ role: 'assistant', content: `answer ${i}` }]);
    }
    await runTurn(h.deps, input(h.conversationId, 'newest'));
    const sent = server.requests[0].body.messages.filter((m: any) => m.role !== 'system');
    // The newest 20 rows are answer 6 … answer 15 plus "newest"; the leading answer is dropped.
    assert.equal(sent.length, HISTORY_LIMIT - 1);
    assert.deepEqual(sent[0], { role: 'user', content: 'user 7' });
    assert.deepEqual(sent.at(-1), { role: 'user', content: 'newest' });
    assert.ok(!sent.some((m: any) => m.content === 'user 6'));
  });
});

Deno.test('without a provider the turn answers no_llm_configured and still stores the message', async () => {
  const h = await harness(null, ALL_TOOLS);
  await runTurn(h.deps, input(h.conversationId, 'Hello?'));
  assert.deepEqual(h.channel.events.map((e) => e.type), ['session', 'error', 'done']);
  assert.deepEqual(h.channel.of('error')[0].error, {
    code: 'no_llm_configured',
    message: 'no LLM configured: set OPENAI_API_KEY or GOOGLE_API_KEY',
  });
  const stored = h.store.of(h.conversationId);
  assert.deepEqual(stored.map((m) => [m.role, m.content]), [['user', 'Hello?']]);
});

Deno.test('rounds are bounded: the last round may not call tools', async () => {
  const tool = recordingTool('location_details', 'sales:proposals:read');
  const call = (id: string) => ({
    toolCalls: [{ id, name: 'location_details', arguments: { location: 'x' } }],
    usage,
  });
  await withOpenAi([call('1'), call('2'), { text: ['Summary.'], usage }], async (server) => {
    const h = await harness(openAi(server), [tool], { maxRounds: 3 });
    const result = await runTurn(h.deps, input(h.conversationId));
    assert.equal(result.rounds, 3);
    assert.deepEqual(server.requests.map((r) => r.body.tool_choice), ['auto', 'auto', 'none']);
    assert.equal(tool.calls.length, 2);
  });
});

Deno.test('an empty final answer is replaced by the help text', async () => {
  await withOpenAi([{ text: [], usage }], async (server) => {
    const h = await harness(openAi(server), []);
    await runTurn(h.deps, input(h.conversationId, 'hm'));
    assert.equal(h.channel.of('text').map((e) => e.delta).join(''), EMPTY_REPLY_TEXT);
    assert.equal(h.store.of(h.conversationId).at(-1)?.content, EMPTY_REPLY_TEXT);
  });
});

Deno.test('costs: each model call is recorded, billed to the workflow of the tool it chose', async () => {
  const tool = {
    ...recordingTool('get_separate_proposals', 'sales:proposals:create'),
    workflow: 'proposal_generation' as const,
  };
  await withOpenAi([
    {
      toolCalls: [{ id: 'p', name: 'get_separate_proposals', arguments: { location: 'x' } }],
      usage,
    },
    {
      text: ['Ready.'],
      usage: {
        prompt_tokens: 12000,
        completion_tokens: 1100,
        completion_tokens_details: { reasoning_tokens: 300 },
      },
    },
  ], async (server) => {
    const h = await harness(openAi(server), [tool]);
    await runTurn(h.deps, input(h.conversationId));
    assert.deepEqual(h.costs.map((c) => c.info.workflow), ['proposal_generation', 'general_chat']);
    assert.deepEqual(h.costs[1].usage.usage, {
      input: 12000,
      cachedInput: 0,
      output: 800,
      reasoning: 300,
      imageInput: 0,
      imageOutput: 0,
    });
    assert.ok(h.costs.every((c) => c.info.conversationId === h.conversationId));
  });
});

Deno.test('the system prompt carries today in Dubai and the caller', async () => {
  await withOpenAi([{ text: ['ok'], usage }], async (server) => {
    const h = await harness(openAi(server), ALL_TOOLS, {
      settings: { renderWaitMs: 1, renderPollMs: 1, now: () => new Date('2026-11-22T21:30:00Z') },
    });
    await runTurn(h.deps, input(h.conversationId, 'hi'));
    const system = server.requests[0].body.messages[0].content as string;
    // 21:30 UTC is already Monday in Dubai (UTC+4).
    assert.match(system, /Monday, 23 November 2026 \(2026-11-23\)/);
    assert.match(system, /Karim Saleh/);
    assert.match(system, /backlite_dubai/);
    assert.match(system, /## Proposals/);
  });
});
