import assert from 'node:assert/strict';
import {
  llmConfigFromEnv,
  NO_LLM_CONFIGURED,
  noLlmConfiguredMessage,
  providerFromEnv,
} from './config.ts';
import { collect, textOf } from './testing/events.ts';
import { startFakeGemini } from './testing/fake_gemini.ts';
import { startFakeOpenAi } from './testing/fake_openai.ts';

const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });

Deno.test('without an API key there is no provider, and the user is told how to configure one', () => {
  assert.equal(providerFromEnv(env({})), null);
  assert.equal(providerFromEnv(env({ OPENAI_API_KEY: '  ', GOOGLE_API_KEY: '' })), null);
  assert.equal(providerFromEnv(env({ LLM_PROVIDER: 'google', OPENAI_API_KEY: 'sk-x' })), null);
  assert.equal(noLlmConfiguredMessage(), 'no LLM configured: set OPENAI_API_KEY or GOOGLE_API_KEY');
  assert.equal(NO_LLM_CONFIGURED, 'no LLM configured: set OPENAI_API_KEY or GOOGLE_API_KEY');
});

Deno.test('the provider follows the key that is set, with the default model of §4.7', () => {
  assert.deepEqual(llmConfigFromEnv(env({ OPENAI_API_KEY: 'sk-x' })), {
    provider: 'openai',
    model: 'gpt-5.1',
    apiKey: 'sk-x',
  });
  assert.deepEqual(llmConfigFromEnv(env({ GOOGLE_API_KEY: 'AIza' })), {
    provider: 'google',
    model: 'gemini-2.5-flash',
    apiKey: 'AIza',
  });
  assert.equal(
    llmConfigFromEnv(env({ OPENAI_API_KEY: 'sk-x', GOOGLE_API_KEY: 'AIza' }))?.provider,
    'openai',
  );
});

Deno.test('LLM_PROVIDER and LLM_MODEL choose explicitly; base URLs are read per provider', () => {
  assert.deepEqual(
    llmConfigFromEnv(env({
      LLM_PROVIDER: 'Gemini',
      LLM_MODEL: 'gemini-2.5-pro',
      OPENAI_API_KEY: 'sk-x',
      GOOGLE_API_KEY: 'AIza',
      GOOGLE_BASE_URL: 'http://127.0.0.1:9999',
      OPENAI_BASE_URL: 'http://ignored',
    })),
    {
      provider: 'google',
      model: 'gemini-2.5-pro',
      apiKey: 'AIza',
      baseUrl: 'http://127.0.0.1:9999',
    },
  );
  assert.equal(
    providerFromEnv(env({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-x' }))?.defaultModel,
    'gpt-5.1',
  );
  assert.throws(
    () => llmConfigFromEnv(env({ LLM_PROVIDER: 'anthropic', OPENAI_API_KEY: 'sk-x' })),
    /LLM_PROVIDER/,
  );
});

Deno.test('OPENAI_BASE_URL points the OpenAI provider at another server', async () => {
  const server = startFakeOpenAi([{ text: ['from the fake'] }]);
  try {
    const provider = providerFromEnv(env({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: server.url }));
    assert.equal(provider?.name, 'openai');
    assert.equal(
      textOf(await collect(provider!.stream({ messages: [{ role: 'user', content: 'hi' }] }))),
      'from the fake',
    );
  } finally {
    await server.close();
  }
});

Deno.test('GOOGLE_BASE_URL points the Gemini provider at another server', async () => {
  const server = startFakeGemini([{ text: ['from the fake'] }]);
  try {
    const provider = providerFromEnv(env({ GOOGLE_API_KEY: 'AIza', GOOGLE_BASE_URL: server.url }));
    assert.equal(provider?.name, 'google');
    assert.equal(
      textOf(await collect(provider!.stream({ messages: [{ role: 'user', content: 'hi' }] }))),
      'from the fake',
    );
  } finally {
    await server.close();
  }
});
