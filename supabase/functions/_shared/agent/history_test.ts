import assert from 'node:assert/strict';
import { REPLAYED_TOOL_RESULT_CHARS, replayMessages } from './history.ts';
import type { StoredMessage } from './store.ts';

let n = 0;
function row(
  role: StoredMessage['role'],
  content: string,
  extra: Partial<StoredMessage> = {},
): StoredMessage {
  n++;
  return {
    id: `m${n}`,
    conversation_id: 'c',
    parent_id: null,
    role,
    content,
    attachments: [],
    metadata: {},
    created_at: new Date(Date.UTC(2026, 10, 22, 8, 0, n)).toISOString(),
    ...extra,
  };
}

const call = (id: string) => ({ id, name: 'location_details', arguments: { location: id } });

Deno.test('history: leading assistant and tool rows are dropped; the window starts at a user message', () => {
  const rows = [
    row('tool', '{"ok":true}', { metadata: { tool_call_id: 'old', tool_name: 'x' } }),
    row('assistant', 'old answer'),
    row('user', 'question'),
    row('assistant', 'answer'),
  ];
  assert.deepEqual(replayMessages(rows), [
    { role: 'user', content: 'question' },
    { role: 'assistant', content: 'answer' },
  ]);
});

Deno.test('history: tool calls are replayed with all their results, or not at all', () => {
  const rows = [
    row('user', 'two things'),
    row('assistant', 'checking', { metadata: { tool_calls: [call('a'), call('b')] } }),
    row('tool', '{"ok":true,"a":1}', {
      metadata: { tool_call_id: 'a', tool_name: 'location_details' },
    }),
    row('tool', '{"ok":true,"b":2}', {
      metadata: { tool_call_id: 'b', tool_name: 'location_details' },
    }),
    row('assistant', 'both fine'),
    row('user', 'again'),
    // A round whose results were never stored (cannot happen through the loop, but may through a
    // window edge): the call is dropped, its text kept.
    row('assistant', 'half', { metadata: { tool_calls: [call('c')] } }),
  ];
  assert.deepEqual(replayMessages(rows), [
    { role: 'user', content: 'two things' },
    { role: 'assistant', content: 'checking', toolCalls: [call('a'), call('b')] },
    { role: 'tool', toolCallId: 'a', name: 'location_details', content: '{"ok":true,"a":1}' },
    { role: 'tool', toolCallId: 'b', name: 'location_details', content: '{"ok":true,"b":2}' },
    { role: 'assistant', content: 'both fine' },
    { role: 'user', content: 'again' },
    { role: 'assistant', content: 'half' },
  ]);
});

Deno.test('history: older attachments become a note; long tool results are cut', () => {
  const long = 'x'.repeat(REPLAYED_TOOL_RESULT_CHARS + 50);
  const rows = [
    row('user', 'mockup please', {
      attachments: [{ filename: 'creative.png', mime_type: 'image/png' }, {
        filename: 'brief.pdf',
      }],
    }),
    row('assistant', '', { metadata: { tool_calls: [call('m')] } }),
    row('tool', long, { metadata: { tool_call_id: 'm', tool_name: 'generate_mockup' } }),
  ];
  const replayed = replayMessages(rows);
  assert.equal(
    replayed[0].content,
    'mockup please\n[Attached files: creative.png (image/png), brief.pdf]',
  );
  const tool = replayed[2] as { content: string };
  assert.equal(
    tool.content.length,
    REPLAYED_TOOL_RESULT_CHARS + '… [cut: 50 more characters]'.length,
  );
});

Deno.test('history: nothing to replay without a user message', () => {
  assert.deepEqual(replayMessages([row('assistant', 'hello')]), []);
});
