/** Real jq (1.8.2, compiled to WebAssembly) behind the workflow engine's `ExpressionEngine`. */
export { createJqExpressionEngine } from './jqExpressionEngine.js';
export type { JqExpressionEngine, JqExpressionEngineOptions } from './jqExpressionEngine.js';
