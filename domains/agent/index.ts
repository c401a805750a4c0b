// The agent domain's public surface, for the host (infra/runtime) to wire.
export { createAgentApiRouter } from './api/index.js';
export type { AgentApiDeps } from './api/index.js';
export { connectorMigrations } from './connectors/connectorMigrations.js';
export {
  ConnectorCatalogStore,
  connectorStreamId,
  uploadedDocumentUri,
} from './connectors/connectorCatalogStore.js';
export type { ConnectorCatalogDeps, ConnectorChange } from './connectors/connectorCatalogStore.js';
export type {
  CatalogOperation,
  ConnectorCatalog,
  OperationParameter,
} from './connectors/catalogOperation.js';
export type {
  ConnectorDetails,
  ConnectorImportReport,
  ConnectorSummary,
  OperationBrief,
  OperationSearchResult,
} from './connectors/connectorViews.js';
export type { ConnectorCredentialInput, ConnectorImport } from './connectors/connectorInput.js';
export type { MockResponse } from './connectors/mockResponse.js';
export { maxDocumentBytes } from './connectors/openApiDocument.js';
export { readConnectorDocument } from './connectors/connectorDocument.js';
export type { ConnectorDocument } from './connectors/connectorDocument.js';
export type { ConnectorDocumentReader } from './connectors/ports/connectorDocumentReader.js';
export type { OpenApiDocumentFetcher } from './connectors/ports/openApiDocumentFetcher.js';
export type { ConnectorCredentials } from './connectors/ports/connectorCredentials.js';
export type { OperationIndex } from './connectors/ports/operationIndex.js';
export { operationSearchText } from './connectors/operationRetrieval.js';
export type { OperationKey } from './connectors/operationRetrieval.js';
// Other concerns of the domain list their exports here too, by name.
export type { CallerCredentials, WorkflowPublisher } from './drafts/draftApproval.js';
export { approveDraft, diffDrafts } from './drafts/draftApproval.js';
export { DraftStore, draftStreamId } from './drafts/draftStore.js';
export type { Draft, NewDraft, DraftRequest } from './drafts/draftStore.js';
export { draftMigrations } from './drafts/draftMigrations.js';
export { AgentConfigs, agentConfigMigrations } from './agents/agentConfigs.js';
export type { StoredAgent } from './agents/agentConfigs.js';
export { agentConfigSchema, defaultAgentId } from './agents/agentConfig.js';
export type { AgentConfig } from './agents/agentConfig.js';
export { AgentReplies } from './replies/agentReplies.js';
export type { AgentRepliesDeps } from './replies/agentReplies.js';
export type { AgentReplyStreamEvent } from './replies/replyStreamEvents.js';
export type {
  ReplyChunk,
  ReplyRequest,
  ReplyTurn,
  TenantSecretNames,
} from './replies/replyTypes.js';
export { createModelRouter } from './llm/modelRouter.js';
export type { ModelRouter } from './llm/modelRouter.js';
export { authorReply } from './generation/workflowAuthor.js';
export { checkDraft } from './generation/draftValidation.js';
export { summarizeDraft } from './generation/draftSummary.js';
export {
  conversationOwnerMigrations,
  conversationOwnersProjection,
} from './drafts/conversationOwners.js';
export { simulateDraft } from './drafts/draftSimulation.js';
export type {
  SimulationFixture,
  SimulationTrace,
  WorkflowSimulation,
} from './drafts/draftSimulation.js';
export { AgentMemory } from './memory/agentMemory.js';
export type { AgentMemoryDeps } from './memory/agentMemory.js';
export type { VectorStore } from './memory/vectorStore.js';
export { createModelSummarizer, summaryInstructionStart } from './memory/modelSummarizer.js';
export { defaultContextTokens } from './agents/agentConfig.js';
export { memoryNotConfiguredMessage } from './api/memoriesController.js';
