// The chat agent: the turn loop, its tools, history policy, prompt and HTTP surface.
export { AccessError, loadCallerAccess } from './access.ts';
export { attachmentParts, loadAttachments } from './attachments.ts';
export { type AgentCore, type AgentCoreOptions, type AgentTurn, createAgentCore } from './core.ts';
export { HISTORY_LIMIT, replayMessages } from './history.ts';
export { type ImageGenerator, imageGeneratorFromEnv } from './images.ts';
export {
  MAX_ROUNDS,
  type PreRoute,
  runTurn,
  type TurnDeps,
  type TurnInput,
  type TurnResult,
} from './loop.ts';
export { bookingOrderPreRoute } from './pre_route.ts';
export { systemPrompt, todayInDubai } from './prompt.ts';
export { validateAgainstSchema } from './schema.ts';
export { type ConversationStore, SupabaseConversationStore } from './store.ts';
export { ALL_TOOLS, executeToolCall, offeredTools, permissionsToCheck } from './tools/registry.ts';
export type * from './types.ts';
export { createChatHandler, parseChatBody, settingsFromEnv } from './web.ts';
