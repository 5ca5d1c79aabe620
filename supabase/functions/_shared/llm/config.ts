// Which model the platform talks to, from the environment (spec §4.7). Without an API key the
// chat answers with NO_LLM_CONFIGURED and the rest of the platform works as usual.
import { GeminiChatProvider } from './gemini.ts';
import { OpenAiChatProvider } from './openai.ts';
import type { RetryPolicy } from './retry.ts';
import type { ChatProvider, ProviderName } from './types.ts';

/** What the user is told when no provider key is set. */
export const NO_LLM_CONFIGURED = 'no LLM configured: set OPENAI_API_KEY or GOOGLE_API_KEY';

export const DEFAULT_MODELS: Readonly<Record<ProviderName, string>> = {
  openai: 'gpt-5.1',
  google: 'gemini-2.5-flash',
};

/**
 * Environment variables read:
 * - LLM_PROVIDER: openai | google (alias gemini). Unset: OpenAI when OPENAI_API_KEY is set,
 *   else Google when GOOGLE_API_KEY is set.
 * - LLM_MODEL: model of that provider; default gpt-5.1 / gemini-2.5-flash.
 * - OPENAI_API_KEY, OPENAI_BASE_URL (default https://api.openai.com/v1).
 * - GOOGLE_API_KEY, GOOGLE_BASE_URL (default https://generativelanguage.googleapis.com).
 */
export interface LlmConfig {
  provider: ProviderName;
  model: string;
  apiKey: string;
  baseUrl?: string;
}

export interface EnvSource {
  get(name: string): string | undefined;
}

/** The configured provider, or null when the chosen provider has no API key. */
export function llmConfigFromEnv(env: EnvSource = Deno.env): LlmConfig | null {
  const read = (name: string) => env.get(name)?.trim() || undefined;
  const keys: Record<ProviderName, string | undefined> = {
    openai: read('OPENAI_API_KEY'),
    google: read('GOOGLE_API_KEY'),
  };
  const chosen = read('LLM_PROVIDER')?.toLowerCase();
  let provider: ProviderName | undefined;
  if (chosen === 'openai') provider = 'openai';
  else if (chosen === 'google' || chosen === 'gemini') provider = 'google';
  else if (chosen) throw new Error(`LLM_PROVIDER must be openai or google, not "${chosen}"`);
  else provider = keys.openai ? 'openai' : keys.google ? 'google' : undefined;

  const apiKey = provider && keys[provider];
  if (!provider || !apiKey) return null;
  const baseUrl = read(provider === 'openai' ? 'OPENAI_BASE_URL' : 'GOOGLE_BASE_URL');
  return {
    provider,
    model: read('LLM_MODEL') ?? DEFAULT_MODELS[provider],
    apiKey,
    ...(baseUrl ? { baseUrl } : {}),
  };
}

export interface ProviderOptions {
  retry?: Partial<RetryPolicy>;
}

export function createProvider(config: LlmConfig, options: ProviderOptions = {}): ChatProvider {
  const settings = {
    apiKey: config.apiKey,
    model: config.model,
    baseUrl: config.baseUrl,
    ...options,
  };
  return config.provider === 'openai'
    ? new OpenAiChatProvider(settings)
    : new GeminiChatProvider(settings);
}

/** The provider the environment configures, or null: then answer with noLlmConfiguredMessage(). */
export function providerFromEnv(
  env: EnvSource = Deno.env,
  options: ProviderOptions = {},
): ChatProvider | null {
  const config = llmConfigFromEnv(env);
  return config ? createProvider(config, options) : null;
}

export function noLlmConfiguredMessage(): string {
  return NO_LLM_CONFIGURED;
}
