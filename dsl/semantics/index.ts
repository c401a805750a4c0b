/** AWP's semantic rules for Serverless Workflow 1.0 documents that passed the official schema. */
export { checkSemantics, defaultSemanticOptions, prepareSemanticChecks } from './checkSemantics.js';
export type { SemanticOptions } from './checkSemantics.js';
export { expressionBody, isRuntimeExpression } from './runtimeExpression.js';
