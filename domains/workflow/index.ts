export { WorkflowEngine } from './executions/runtime/workflowEngine.js';
export type { StartExecution, WorkflowEngineOptions } from './executions/runtime/workflowEngine.js';
export { executionIndexMigrations } from './executions/runtime/executionIndex.js';
export type { IndexedExecution } from './executions/runtime/executionIndex.js';
export type { ExecutionState, ExecutionStatus } from './executions/runtime/executionState.js';
export { defaultEngineLimits } from './executions/interpreter/executionHost.js';
export type { CloudEvent, EngineLimits } from './executions/interpreter/executionHost.js';
export type { WorkflowProblem } from './executions/interpreter/workflowError.js';
export { DocumentCatalog, formatProblem } from './definitions/documentCatalog.js';
export { staticSecretStore } from './definitions/staticSecrets.js';
export { ExpressionError } from './ports/expressionEngine.js';
export type { CompiledExpression, ExpressionEngine } from './ports/expressionEngine.js';
export { OutboundFailure } from './ports/outboundHttp.js';
export type { OutboundHttp } from './ports/outboundHttp.js';
export type { SecretStore } from './ports/secretStore.js';
export type { EngineLog } from './ports/engineLog.js';
export type { LoadedWorkflow, WorkflowDefinitions } from './ports/workflowDefinitions.js';
export { noFaults } from './ports/faultInjector.js';
export type { FaultInjector, FaultPoint } from './ports/faultInjector.js';
export { WorkflowRegistry } from './definitions/workflowRegistry.js';
export type { WorkflowDetails, WorkflowRegistryDeps } from './definitions/workflowRegistry.js';
export { workflowDecider } from './definitions/decide.js';
export type { WorkflowCommand } from './definitions/decide.js';
export { workflowReadModelMigrations, workflowsProjection } from './readModels/workflowSummary.js';
export type { WorkflowSummary } from './readModels/workflowSummary.js';
export { executionViewOf } from './queries/executionView.js';
export type { ExecutionView, TaskHistoryEntry } from './queries/executionView.js';
export { OutboundPolicies, outboundPolicyStreamId } from './policies/outboundPolicies.js';
export type { OutboundPoliciesDeps, OutboundPolicyView } from './policies/outboundPolicies.js';
export type {
  SimulatedCall,
  SimulatedResponse,
  SimulationRequest,
  SimulationResult,
  WorkflowSimulator,
} from './ports/workflowSimulator.js';
