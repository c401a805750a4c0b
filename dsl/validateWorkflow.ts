import type { WorkflowDefinition } from './model/workflowModel.js';
import { parseWorkflowText } from './parse/parseWorkflowText.js';
import type { ParseOptions, ParsedDocument } from './parse/parseWorkflowText.js';
import type { DslProblem } from './problems.js';
import { validateAgainstSchema } from './schema/validateAgainstSchema.js';
import { checkSemantics } from './semantics/checkSemantics.js';
import type { SemanticOptions } from './semantics/checkSemantics.js';

export interface ValidationOptions extends ParseOptions, SemanticOptions {}

export interface ValidationReport {
  /** No errors (warnings allowed). */
  valid: boolean;
  errors: DslProblem[];
  warnings: DslProblem[];
  /** The checked model, when valid: what the engine, the graph and the diff read. */
  workflow?: WorkflowDefinition;
  /** The parsed document with its source positions, when the text could be read at all. */
  document?: ParsedDocument;
  /** Where the time went, in milliseconds (the benchmark reports these). */
  timings: { parseMs: number; schemaMs: number; semanticMs: number };
}

// Plain code-unit order, not `localeCompare`: the order must not depend on the host's locale.
const byPosition = (a: DslProblem, b: DslProblem) =>
  a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The one way text becomes a checked workflow: parse (YAML or JSON, bounded), the official
 * schema, then AWP's semantic rules. Semantic rules run only on a schema-valid document, so
 * they can rely on its shape and an author fixes structure before meaning.
 */
export async function validateWorkflow(
  input: string | Uint8Array,
  options: ValidationOptions = {},
): Promise<ValidationReport> {
  const timings = { parseMs: 0, schemaMs: 0, semanticMs: 0 };
  let mark = performance.now();
  const lap = (step: keyof typeof timings) => {
    const now = performance.now();
    timings[step] = now - mark;
    mark = now;
  };
  const parsed = parseWorkflowText(input, options);
  lap('parseMs');
  if (!parsed.ok) return { valid: false, errors: parsed.problems, warnings: [], timings };
  const { document } = parsed;
  const schemaErrors = validateAgainstSchema(document);
  lap('schemaMs');
  if (schemaErrors.length > 0) {
    return { valid: false, errors: schemaErrors, warnings: parsed.warnings, document, timings };
  }
  const found = await checkSemantics(document, options);
  lap('semanticMs');
  const errors = found.filter((p) => p.severity === 'error').sort(byPosition);
  const warnings = [...parsed.warnings, ...found.filter((p) => p.severity === 'warning')].sort(
    byPosition,
  );
  const valid = errors.length === 0;
  return {
    valid,
    errors,
    warnings,
    document,
    timings,
    ...(valid ? { workflow: document.value as WorkflowDefinition } : {}),
  };
}
