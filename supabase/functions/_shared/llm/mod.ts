// The LLM layer the chat agent builds on: one provider interface (types.ts), OpenAI and Gemini
// adapters, configuration from the environment, and cost recording.
export type * from './types.ts';
export {
  createProvider,
  DEFAULT_MODELS,
  type EnvSource,
  type LlmConfig,
  llmConfigFromEnv,
  NO_LLM_CONFIGURED,
  noLlmConfiguredMessage,
  providerFromEnv,
  type ProviderOptions,
} from './config.ts';
export {
  type AiCallType,
  type AiCostContext,
  type AiCostRecord,
  type AiWorkflow,
  recordAiCost,
  type RpcClient,
} from './costs.ts';
export { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
export { completeStructured, parseJsonObject } from './structured.ts';
