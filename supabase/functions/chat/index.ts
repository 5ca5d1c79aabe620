// The chat agent over HTTP. POST /chat {message, conversation_id?, file_ids?} answers with a
// Server-Sent-Events stream (protocol: README.md beside this file); POST /chat/upload stores
// one file for later messages. Conversations are listed, renamed and deleted with plain REST
// on public.conversations (owner-only RLS). The work is in _shared/agent. Probes: GET
// /chat/health and /chat/ready (_shared/probes.ts; the LLM provider is one of the checks).
import { createChatHandler, imageGeneratorFromEnv, settingsFromEnv } from '../_shared/agent/mod.ts';
import { providerFromEnv } from '../_shared/llm/mod.ts';
import { llmCheck, withProbes } from '../_shared/probes.ts';

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

Deno.serve(withProbes('chat', createChatHandler({
  supabaseUrl: required('SUPABASE_URL'),
  anonKey: required('SUPABASE_ANON_KEY'),
  serviceRoleKey: required('SUPABASE_SERVICE_ROLE_KEY'),
  provider: providerFromEnv(),
  images: imageGeneratorFromEnv(),
  settings: settingsFromEnv(),
}), { llm: llmCheck }));
