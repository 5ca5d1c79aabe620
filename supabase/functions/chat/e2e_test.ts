// The chat function end to end through a running stack: gateway (verify_jwt) → chat function
// (real Deno process) → scripted fake OpenAI on FAKE_LLM_PORT → tools → RPCs under the user's
// RLS → render job → file event. Skipped (ignored) without SUPABASE_URL, SUPABASE_ANON_KEY and
// SUPABASE_DB_URL; the stack must have been started with OPENAI_API_KEY=test and
// OPENAI_BASE_URL=http://127.0.0.1:<FAKE_LLM_PORT>/v1 (FAKE_LLM_PORT default 54390).
import assert from 'node:assert/strict';
import { type OpenAiTurn, startFakeOpenAi } from '../_shared/llm/testing/fake_openai.ts';
import { tinyPdf } from '../_shared/files/testing/fixtures.ts';
import {
  chatTurn,
  DEMO,
  FAKE_LLM_PORT,
  functionsUrl,
  NO_STACK_REASON,
  ofType,
  signIn,
  sql,
  stack,
} from '../_shared/agent/testing/stack.ts';

const ignore = stack === null;
if (ignore) console.warn(`chat e2e tests ignored: ${NO_STACK_REASON}`);

const usage = { prompt_tokens: 900, completion_tokens: 40 };

async function withFakeLlm<T>(
  turns: OpenAiTurn[],
  run: (requests: any[]) => Promise<T>,
): Promise<T> {
  const server = startFakeOpenAi(turns, FAKE_LLM_PORT);
  try {
    return await run(server.requests);
  } finally {
    await server.close();
  }
}

function e2e(name: string, fn: () => Promise<void>) {
  Deno.test({ name: `e2e: ${name}`, ignore, fn, sanitizeResources: false, sanitizeOps: false });
}

/** Fails early, and clearly, when the stack's chat function is not pointed at the fake. */
function assertScripted(answer: Awaited<ReturnType<typeof chatTurn>>) {
  const error = ofType(answer.events, 'error')[0]?.error;
  if (error?.code === 'no_llm_configured' || error?.code === 'connection') {
    throw new Error(
      `the stack's chat function did not reach the fake LLM (${error.code}): start the stack with ` +
        `OPENAI_API_KEY=test OPENAI_BASE_URL=http://127.0.0.1:${FAKE_LLM_PORT}/v1`,
    );
  }
}

/**
 * Plays the renderer for the user's next proposal job if no renderer takes it within 3 s:
 * claim, store a PDF, complete. On a stack that runs the real renderer, the renderer wins.
 */
async function renderNextProposal(userId: string, since: Date, client: any, timeoutMs = 20_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [job] = await sql(
      `select id, status from public.render_jobs
       where owner_id = $1 and kind = 'proposal' and created_at >= $2
       order by created_at limit 1`,
      [userId, since.toISOString()],
    );
    if (job && job.status !== 'queued') return 'taken by the renderer';
    if (job && Date.now() - started > 3_000) {
      const [claim] = await sql(`select (public.claim_render_job($1, 60)).*`, [job.id]);
      if (!claim?.lease_token) return 'taken by the renderer';
      const path = `${userId}/e2e/${job.id}.pdf`;
      const upload = await client.storage.from('proposals').upload(path, tinyPdf('E2E proposal'), {
        contentType: 'application/pdf',
      });
      if (upload.error) throw new Error(`storing the test PDF failed: ${upload.error.message}`);
      await sql(
        `select public.complete_render_job($1, $2, jsonb_build_object('pdf_path', $3::text))`,
        [job.id, claim.lease_token, path],
      );
      return 'rendered by the test';
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'no job';
}

e2e(
  'a scripted turn calls get_separate_proposals → request_proposal → render job → file event',
  async () => {
    const rep = await signIn(DEMO.salesRep);
    const client = `E2E Client ${crypto.randomUUID().slice(0, 8)}`;
    const since = new Date(Date.now() - 1_000);
    await withFakeLlm([
      {
        text: ['On it.'],
        toolCalls: [{
          id: 'call_p',
          name: 'get_separate_proposals',
          arguments: {
            client_name: client,
            proposals: [{
              location: 'dubai_gateway',
              start_dates: ['2026-12-01'],
              durations: [4],
              net_rates: [1250000],
            }],
          },
        }],
        usage,
      },
      { text: ['Your proposal is ready.'], usage },
    ], async (requests) => {
      const [answer, rendered] = await Promise.all([
        chatTurn(rep, {
          message: `Proposal for ${client}: Dubai Gateway, 4 weeks from 1 Dec, 1.25m`,
        }),
        renderNextProposal(rep.userId, since, rep.client),
      ]);
      assertScripted(answer);
      assert.equal(answer.status, 200);
      assert.notEqual(rendered, 'no job');
      const types = answer.events.map((e) => e.type);
      assert.equal(types[0], 'session');
      assert.equal(types.at(-1), 'done');
      assert.ok(!types.includes('error'), JSON.stringify(answer.events));

      const [started] = ofType(answer.events, 'tool_started');
      assert.equal(started.name, 'get_separate_proposals');
      const [finished] = ofType(answer.events, 'tool_finished');
      assert.equal(finished.ok, true);
      const [file] = ofType(answer.events, 'file');
      assert.equal(file.file.kind, 'pdf');
      assert.equal(file.file.bucket, 'proposals');
      const download = await fetch(file.file.url);
      assert.equal(download.status, 200);
      assert.equal(new TextDecoder().decode((await download.bytes()).subarray(0, 5)), '%PDF-');

      // The model saw the tool result, including the quote computed in SQL.
      const toolResult = JSON.parse(
        requests[1].body.messages.find((m: any) => m.role === 'tool').content,
      );
      assert.equal(toolResult.ok, true);
      assert.equal(toolResult.status, 'ready');
      assert.equal(toolResult.quote.locations[0].name, 'The Dubai Gateway');

      const session = ofType(answer.events, 'session')[0];
      const [proposal] = await sql(
        `select p.status, j.status as job_status from public.proposals p
       join public.render_jobs j on (j.payload ->> 'proposal_id')::uuid = p.id
       where p.owner_id = $1 and p.client_name = $2`,
        [rep.userId, client],
      );
      assert.deepEqual(proposal, { status: 'ready', job_status: 'succeeded' });
      const messages = await sql(
        `select role, metadata ->> 'tool_name' as tool from public.messages
       where conversation_id = $1 order by created_at, (metadata ->> 'seq')::int`,
        [session.conversation_id],
      );
      assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant']);
      const costs = await sql(
        `select workflow, call_type, input_tokens, output_tokens from public.ai_costs
       where conversation_id = $1 order by occurred_at`,
        [session.conversation_id],
      );
      assert.deepEqual(
        costs.map((c) => [c.workflow, c.call_type, c.input_tokens, c.output_tokens]),
        [
          ['proposal_generation', 'main_llm', 900, 40],
          ['general_chat', 'main_llm', 900, 40],
        ],
      );
    });
  },
);

e2e("another user's conversation can be neither read nor continued", async () => {
  const [owner, other] = await Promise.all([signIn(DEMO.salesRep), signIn(DEMO.ukRep)]);
  await withFakeLlm([{ text: ['Hello Karim.'], usage }], async () => {
    const answer = await chatTurn(owner, { message: 'Private note: client X wants a discount' });
    assertScripted(answer);
    const { conversation_id } = ofType(answer.events, 'session')[0];

    const conversations = await other.client.from('conversations').select('id').eq(
      'id',
      conversation_id,
    );
    assert.deepEqual(conversations.data, []);
    const messages = await other.client.from('messages').select('content').eq(
      'conversation_id',
      conversation_id,
    );
    assert.deepEqual(messages.data, []);
    const rename = await other.client.from('conversations').update({ title: 'mine now' })
      .eq('id', conversation_id).select('id');
    assert.deepEqual(rename.data, []);
    const continued = await chatTurn(other, { message: 'What did they say?', conversation_id });
    assert.equal(continued.status, 404);
    assert.equal(continued.body?.error.code, 'conversation_not_found');

    // The owner sees it, and may rename and list it over plain REST.
    const mine = await owner.client.from('conversations').update({ title: 'Client X' })
      .eq('id', conversation_id).select('id,title');
    assert.deepEqual(mine.data, [{ id: conversation_id, title: 'Client X' }]);
    const listed = await owner.client.from('conversations').select('id')
      .eq('owner_id', owner.userId).order('last_message_at', { ascending: false }).limit(5);
    assert.ok(listed.data?.some((c) => c.id === conversation_id));

    // Deleting: not by the other user; by the owner, together with its messages.
    const theirs = await other.client.from('conversations').delete().eq('id', conversation_id)
      .select('id');
    assert.deepEqual(theirs.data, []);
    const deleted = await owner.client.from('conversations').delete().eq('id', conversation_id)
      .select('id');
    assert.deepEqual(deleted.data, [{ id: conversation_id }]);
    assert.deepEqual(
      await sql(`select 1 from public.messages where conversation_id = $1`, [conversation_id]),
      [],
    );
  });
});

e2e(
  'a sales user is offered no admin tools; an admin adds and deletes a location through chat',
  async () => {
    const [rep, admin] = await Promise.all([signIn(DEMO.salesRep), signIn(DEMO.admin)]);
    const key = `e2e_wall_${crypto.randomUUID().slice(0, 6)}`;
    await withFakeLlm([
      { text: ['Hi.'], usage },
      {
        toolCalls: [{
          id: 'add',
          name: 'add_location',
          arguments: {
            company: 'backlite_dubai',
            location_key: key,
            display_name: 'E2E Wall',
            display_type: 'static',
          },
        }],
        usage,
      },
      {
        toolCalls: [{
          id: 'del',
          name: 'delete_location',
          arguments: { company: 'backlite_dubai', location_key: key, confirm: true },
        }],
        usage,
      },
      { text: ['Added and removed.'], usage },
    ], async (requests) => {
      assertScripted(await chatTurn(rep, { message: 'hello' }));
      const repTools: string[] = requests[0].body.tools.map((t: any) => t.function.name);
      assert.ok(repTools.includes('get_separate_proposals'));
      assert.ok(!repTools.includes('add_location') && !repTools.includes('delete_location'));

      const answer = await chatTurn(admin, { message: `Add ${key} then delete it` });
      const adminTools: string[] = requests[1].body.tools.map((t: any) => t.function.name);
      assert.ok(adminTools.includes('add_location') && adminTools.includes('delete_location'));
      assert.deepEqual(ofType(answer.events, 'tool_finished').map((e) => [e.name, e.ok]), [
        ['add_location', true],
        ['delete_location', true],
      ]);
      const added = JSON.parse(
        requests[2].body.messages.find((m: any) => m.role === 'tool').content,
      );
      assert.equal(added.added.key, key);
      assert.deepEqual(
        await sql(`select 1 from backlite_dubai.locations where location_key = $1`, [key]),
        [],
      );
    });
  },
);

e2e('provider 500 → error event; the user message is stored and no assistant message', async () => {
  const rep = await signIn(DEMO.salesRep);
  await withFakeLlm([{ status: 500 }, { status: 500 }, { status: 500 }], async () => {
    const answer = await chatTurn(rep, { message: 'Will this fail?' });
    assert.deepEqual(answer.events.map((e) => e.type), ['session', 'error', 'done']);
    const error = ofType(answer.events, 'error')[0].error;
    assertScripted(answer);
    assert.equal(error.code, 'provider_error');
    const { conversation_id } = ofType(answer.events, 'session')[0];
    const rows = await sql(`select role, content from public.messages where conversation_id = $1`, [
      conversation_id,
    ]);
    assert.deepEqual(rows, [{ role: 'user', content: 'Will this fail?' }]);
  });
});

/** A raw HTTP/1.1 request whose Content-Length may lie; returns the status line's code. */
async function rawPost(
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<number> {
  const url = new URL(functionsUrl(path));
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    const head = [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close']
      .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`))
      .join('\r\n');
    await conn.write(new TextEncoder().encode(`${head}\r\n\r\n`));
    await conn.write(body).catch(() => 0);
    const buffer = new Uint8Array(1024);
    const n = await conn.read(buffer);
    return Number(
      /^HTTP\/1\.1 (\d{3})/.exec(new TextDecoder().decode(buffer.subarray(0, n ?? 0)))?.[1],
    );
  } finally {
    conn.close();
  }
}

e2e(
  'uploads: stored under the owner folder with a documents row; spoofed, disallowed and oversized refused',
  async () => {
    const [rep, other] = await Promise.all([signIn(DEMO.salesRep), signIn(DEMO.ukRep)]);
    const upload = (name: string, bytes: Uint8Array, type: string, who = rep) => {
      const form = new FormData();
      form.set('file', new File([bytes as BlobPart], name, { type }));
      return fetch(functionsUrl('chat/upload'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${who.token}`, apikey: stack!.anonKey },
        body: form,
      });
    };
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      13,
      73,
      72,
      68,
      82,
      ...crypto.getRandomValues(new Uint8Array(32)),
    ]);
    const ok = await upload('My Creative (final).png', png, 'image/png');
    assert.equal(ok.status, 201);
    const stored = await ok.json();
    assert.match(
      stored.path,
      new RegExp(`^${rep.userId}/\\d{4}/\\d{2}/\\d{2}/${stored.file_id}_My_Creative__final_.png$`),
    );
    assert.equal(stored.mime_type, 'image/png');
    const [row] = await sql(
      `select owner_id, bucket, sha256, size_bytes, document_type from public.documents where id = $1`,
      [stored.file_id],
    );
    assert.deepEqual(row, {
      owner_id: rep.userId,
      bucket: 'uploads',
      sha256: stored.sha256,
      size_bytes: String(png.length),
      document_type: 'creative',
    });
    const again = await upload('copy.png', png, 'image/png');
    assert.equal(again.status, 200);
    assert.equal((await again.json()).file_id, stored.file_id);

    const spoofed = await upload(
      'creative.png',
      new TextEncoder().encode('MZ\x90\x00 an executable'),
      'image/png',
    );
    assert.equal(spoofed.status, 415);
    assert.equal((await spoofed.json()).error.code, 'content_mismatch');
    const exe = await upload('tool.exe', png, 'application/octet-stream');
    assert.equal(exe.status, 415);
    assert.equal((await exe.json()).error.code, 'file_type_not_allowed');

    // A Content-Length far over the limit is refused before the body is read.
    const status = await rawPost('chat/upload', {
      Authorization: `Bearer ${rep.token}`,
      apikey: stack!.anonKey,
      'Content-Type': 'multipart/form-data; boundary=xyz',
      'Content-Length': String(300 * 1024 * 1024),
    }, new TextEncoder().encode('--xyz\r\n'));
    assert.equal(status, 413);

    // Someone else's file id cannot be attached.
    const foreign = await chatTurn(other, { message: 'use this', file_ids: [stored.file_id] });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body?.error.code, 'file_not_found');
  },
);

e2e('attachments reach the model: an image as an image part, a PDF as its text', async () => {
  const rep = await signIn(DEMO.salesRep);
  const upload = async (name: string, bytes: Uint8Array, type: string) => {
    const form = new FormData();
    form.set('file', new File([bytes as BlobPart], name, { type }));
    const res = await fetch(functionsUrl('chat/upload'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${rep.token}`, apikey: stack!.anonKey },
      body: form,
    });
    assert.ok(res.status === 201 || res.status === 200, `upload of ${name}: ${res.status}`);
    return (await res.json()).file_id as string;
  };
  const png = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    13,
    73,
    72,
    68,
    82,
    ...crypto.getRandomValues(new Uint8Array(16)),
  ]);
  const marker = `BO-${crypto.randomUUID().slice(0, 6)}`;
  const [imageId, pdfId] = await Promise.all([
    upload('creative.png', png, 'image/png'),
    upload('booking order.pdf', tinyPdf(`Booking order ${marker}`), 'application/pdf'),
  ]);
  await withFakeLlm([{ text: ['Got both files.'], usage }], async (requests) => {
    const answer = await chatTurn(rep, {
      message: 'Here are the files',
      file_ids: [imageId, pdfId],
    });
    assertScripted(answer);
    const user = requests[0].body.messages.at(-1);
    assert.equal(user.role, 'user');
    const image = user.content.find((p: any) => p.type === 'image_url');
    assert.ok(image.image_url.url.startsWith('data:image/png;base64,'));
    const texts = user.content.filter((p: any) => p.type === 'text').map((p: any) => p.text).join(
      '\n',
    );
    assert.match(texts, new RegExp(`Booking order ${marker}`));
    assert.match(texts, /\[Attached PDF: booking order\.pdf/);

    const [stored] = await sql(
      `select attachments from public.messages where conversation_id = $1 and role = 'user'`,
      [ofType(answer.events, 'session')[0].conversation_id],
    );
    assert.deepEqual(stored.attachments.map((a: any) => a.document_id), [imageId, pdfId]);
  });
});
