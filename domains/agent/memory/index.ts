export {
  AgentMemory,
  defaultDuplicateSimilarity,
  maxMemoryChars,
  memoryStreamId,
} from './agentMemory.js';
export type {
  AgentMemoryDeps,
  MemoryInput,
  MemoryRequest,
  RecallOptions,
  RememberedMemory,
} from './agentMemory.js';
export { fitContextWindow, planContextWindow } from './contextWindow.js';
export type {
  ContextPlan,
  ContextWindow,
  ContextWindowOptions,
  Summarizer,
  SummaryRequest,
} from './contextWindow.js';
export { createModelSummarizer, summaryInstructionStart } from './modelSummarizer.js';
export { truncateToTokens } from './truncateToTokens.js';
export type { TokenEstimator } from './truncateToTokens.js';
export {
  checkPoint,
  checkSearch,
  checkVector,
  lastPointPerId,
  maxSearchLimit,
  searchesNothing,
} from './vectorStore.js';
export type { MemoryPoint, ScoredMemory, VectorSearchOptions, VectorStore } from './vectorStore.js';
