// The chat agent over HTTP. POST /chat {message, conversation_id?, file_ids?} answers with a
// Server-Sent-Events stream (protocol: README.md beside this file); POST /chat/upload stores
// one file for later messages. Conversations are listed, renamed and deleted with plain REST
// on public.conversations (owner-only RLS). The work is in _shared/agent. Probes: GET
// /chat/health and /chat/ready (_shared/probes.ts; the LLM provider is one of the checks).
import { createChatHandler, imageGeneratorFromEnv, settingsFromEnv } from '../_shared/agent/mod.ts';
import { projectEnv } from '../_shared/env.ts';
import { providerFromEnv } from '../_shared/llm/mod.ts';
import { llmCheck, withProbes } from '../_shared/probes.ts';

const { supabaseUrl, anonKey, serviceRoleKey } = projectEnv();

Deno.serve(withProbes(
  'chat',
  createChatHandler({
    supabaseUrl,
    anonKey,
    serviceRoleKey,
    provider: providerFromEnv(),
    images: imageGeneratorFromEnv(),
    settings: settingsFromEnv(),
  }),
  { llm: llmCheck },
));
