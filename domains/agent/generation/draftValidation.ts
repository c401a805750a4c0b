import { validateWorkflow } from '../../../dsl/index.js';
import type { DslProblem, WorkflowDefinition } from '../../../dsl/index.js';
import { checkGrounding } from './groundingRules.js';
import type { GroundingContext } from './groundingRules.js';
import { findPlaceholders } from './placeholders.js';

export interface DraftCheck {
  /** No errors of any kind: the draft can be approved. */
  valid: boolean;
  /** Errors the model can repair (schema, semantics, grounding), positioned. */
  repairable: DslProblem[];
  /** Values only the user can give (`<<missing: …>>`): never sent back for repair. */
  openQuestions: { question: string; problem: DslProblem }[];
  warnings: DslProblem[];
  workflow?: WorkflowDefinition;
}

/**
 * Everything a generated document must pass before a user may approve it: the DSL's own
 * validation (`dsl/`), the grounding rules against the tenant's catalog and secrets, and no
 * open placeholders.
 */
export async function checkDraft(yaml: string, context: GroundingContext): Promise<DraftCheck> {
  const report = await validateWorkflow(yaml);
  if (!report.valid || !report.workflow || !report.document) {
    // A placeholder where a URI or a number belongs breaks the schema there; that error is
    // the open question itself, not something the model should "repair" by inventing a value.
    const openQuestions = report.document ? findPlaceholders(report.document) : [];
    const placeholderPaths = openQuestions.map((q) => q.problem.path);
    const coveredByPlaceholder = (problem: DslProblem) =>
      placeholderPaths.some((path) => path === problem.path || path.startsWith(`${problem.path}/`));
    return {
      valid: false,
      repairable: report.errors.filter((problem) => !coveredByPlaceholder(problem)),
      openQuestions,
      warnings: report.warnings,
    };
  }
  const repairable = checkGrounding(report.workflow, report.document, context);
  const openQuestions = findPlaceholders(report.document);
  return {
    valid: repairable.length === 0 && openQuestions.length === 0,
    repairable,
    openQuestions,
    warnings: report.warnings,
    workflow: report.workflow,
  };
}
