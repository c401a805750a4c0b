export { LlmProviderError } from './llmProvider.js';
export type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatRole,
  EmbeddingsProvider,
  LlmFailureKind,
  LlmProvider,
  TokenUsage,
  ToolCall,
  ToolSpec,
} from './llmProvider.js';
export { unlimitedLlmBudget } from './llmBudget.js';
export type { LlmBudget } from './llmBudget.js';
export { modelPolicySchema, resolveModelPolicy } from './modelPolicy.js';
export type {
  ModelCandidate,
  ModelPolicy,
  PolicySource,
  ResolvedModelPolicy,
} from './modelPolicy.js';
export { costOf, estimatePromptTokens, estimateTokens, maxCostOf, priceOf } from './pricing.js';
export type { CallCost, ModelPrice, PriceTable } from './pricing.js';
export { CircuitOpenError, countsAgainstProvider } from './providerCircuits.js';
export type { CircuitOptions, CircuitStatus } from './providerCircuits.js';
export { createModelRouter, noModelConfiguredMessage } from './modelRouter.js';
export type {
  ModelRouter,
  ModelRouterOptions,
  ModelSwitch,
  RouteCall,
  RoutedAnswer,
  RoutedStream,
  SwitchReason,
} from './modelRouter.js';
export { collectAnswer } from './collectAnswer.js';
export type { CollectedAnswer } from './collectAnswer.js';
