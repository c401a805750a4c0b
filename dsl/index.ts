/**
 * The single place that turns text into a checked Serverless Workflow 1.0 model, used by the
 * engine, the agent, the API and the CLI.
 */
export { validateWorkflow } from './validateWorkflow.js';
export type { ValidationOptions, ValidationReport } from './validateWorkflow.js';
export { defaultParseLimits, parseWorkflowText } from './parse/parseWorkflowText.js';
export type {
  ParseOptions,
  ParseResult,
  ParsedDocument,
  SourcePosition,
} from './parse/parseWorkflowText.js';
export { pointerOf, segmentsOf } from './problems.js';
export type { DslProblem, Severity } from './problems.js';
export { flowKeywords, runKinds, taskKindOf, taskKinds } from './model/workflowModel.js';
export type {
  Duration,
  Endpoint,
  FlowDirective,
  RunKind,
  Task,
  TaskKind,
  TaskList,
  WorkflowDefinition,
} from './model/workflowModel.js';
export { taskListsOf, tasksOf } from './model/taskLists.js';
export type { JsonPath, TaskEntry, TaskListEntry, TaskListRole } from './model/taskLists.js';
export { buildWorkflowGraph } from './graph/workflowGraph.js';
export type { WorkflowGraph } from './graph/workflowGraph.js';
export { toMermaid } from './graph/toMermaid.js';
export { listDependencies } from './dependencies/workflowDependencies.js';
export type { WorkflowDependencies } from './dependencies/workflowDependencies.js';
export { diffWorkflows, formatDiff } from './diff/diffWorkflows.js';
export type { WorkflowChange, WorkflowDiff } from './diff/diffWorkflows.js';
export { editorJsonSchema, editorSchemaModeline } from './editor/editorSchema.js';
export { completionsAt } from './editor/completionsAt.js';
export type { Completion } from './editor/completionsAt.js';
export type { CursorPosition } from './editor/cursorContext.js';
export { expressionBody, isRuntimeExpression } from './semantics/runtimeExpression.js';
export { measureIso } from './semantics/durations.js';
