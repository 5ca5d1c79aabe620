// The model's connection breaking during a chat turn (chat README, "Rounds and consistency"): a
// call that already streamed text to the person is never replayed — the turn ends with a clear
// error and nothing of the half answer is stored; a call that broke before any output is retried
// and the answer arrives once.
import assert from 'node:assert/strict';
import { sql } from '../contract/env.ts';
import { chatTurn, streamProblem } from '../load/chat.ts';
import { signIn, suffix } from '../support/render-jobs.ts';
import { dropEveryAttempt, dropFirstAttempt, replyPieces, replyTo, tagged } from '../support/scripted-model.ts';
import type { FaultCase } from './case.ts';

const textOf = (events: Array<{ type: string; delta?: string }>) => events.map((e) => (e.type === 'text' ? e.delta : '')).join('');

/** A new conversation's first turn, whose message asks the scripted model for `directive`. */
async function scriptedTurn(email: string, label: string, directive: string) {
  const rep = await signIn(email);
  const tag = `fault-${label}-${suffix()}`;
  const message = `${label} test ${tagged(tag)} ${directive}`;
  const turn = await chatTurn(rep.token, { message });
  assert.equal(turn.status, 200, `the stream was opened: ${JSON.stringify(turn.error)}`);
  const session = turn.events[0] as { conversation_id?: string };
  return { rep, tag, message, turn, conversationId: session.conversation_id ?? '' };
}

/** The messages of a conversation as (role, content) pairs, oldest first. */
const stored = (conversationId: string) =>
  sql<{ role: string; content: string }>('select role, content from public.messages where conversation_id = $1 order by created_at, id', [conversationId]);

export const modelDropsMidStream: FaultCase = {
  name: 'LLM connection dropped mid-stream (after two text pieces)',
  expected: 'the client sees the partial text, then error stream_interrupted and done; the user message is kept, no half answer stored; the next turn works',
  async run(stack) {
    const { rep, tag, message, turn, conversationId } = await scriptedTurn('uk.rep@mmg.demo', 'drop', dropEveryAttempt(3));
    const types = turn.events.map((e) => e.type);
    assert.deepEqual(types, ['session', 'text', 'text', 'error', 'done'], `events ${types.join(', ')}`);
    assert.equal(textOf(turn.events), replyPieces(tag).slice(0, 2).join(''), 'the pieces that came before the drop');
    const error = turn.events[3] as { error: { code: string; message: string } };
    assert.equal(error.error.code, 'stream_interrupted');
    assert.ok(error.error.message.length > 10 && !/\bat \w+ \(/.test(error.error.message), `a readable message: ${error.error.message}`);
    assert.equal((turn.events[4] as { message_id: string | null }).message_id, null, 'done names no stored answer');
    assert.equal((await stack.fakes.model()).attempts[tag], 1, 'a call that had streamed text is not retried');
    assert.deepEqual(await stored(conversationId), [{ role: 'user', content: message }], 'only the user message is stored');

    const nextTag = `fault-after-drop-${suffix()}`;
    const next = await chatTurn(rep.token, { message: `And now ${tagged(nextTag)}`, conversation_id: conversationId });
    assert.equal(next.status, 200);
    assert.equal(streamProblem(next.events, replyTo(nextTag)), undefined, 'the next turn of the conversation is answered');
    assert.equal((await stored(conversationId)).length, 3, 'user, user, answer');
    return `events ${types.join(' → ')}; "${error.error.message}"; stored: the user message only; the next turn answered in full`;
  },
};

export const modelDropsBeforeFirstToken: FaultCase = {
  name: 'LLM connection dropped before the first token',
  expected: 'retried; the answer streams once, complete, and is stored once',
  async run(stack) {
    const { tag, message, turn, conversationId } = await scriptedTurn('viola.rep@mmg.demo', 'retry', dropFirstAttempt);
    assert.equal(streamProblem(turn.events, replyTo(tag)), undefined);
    const attempts = (await stack.fakes.model()).attempts[tag];
    assert.equal(attempts, 2, 'the dropped call was retried once');
    assert.deepEqual(await stored(conversationId), [{ role: 'user', content: message }, { role: 'assistant', content: replyTo(tag) }]);
    return `${attempts} model calls, one complete answer streamed and stored`;
  },
};
