import { AwpError } from '../../../contracts/index.js';
import { validateWorkflow } from '../../../dsl/index.js';
import type { ValidationOptions, WorkflowDefinition } from '../../../dsl/index.js';

/**
 * A workflow text checked by `dsl/`, or a `validation` error whose violations carry each
 * problem's JSON pointer, line, column and code — what an editor needs to underline it.
 */
export async function validatedDocument(
  text: string,
  options: ValidationOptions = {},
): Promise<WorkflowDefinition> {
  const report = await validateWorkflow(text, options);
  if (report.valid && report.workflow) return report.workflow;
  const violations = report.errors.map((problem) => ({
    field: problem.path || '/',
    message: `${problem.line}:${problem.column} ${problem.message}`,
    line: problem.line,
    column: problem.column,
    code: problem.code,
  }));
  const first = violations[0];
  const summary =
    violations.length === 1 && first
      ? `the workflow is not valid: ${first.message}`
      : `the workflow is not valid: ${violations.length} problems, the first at ${first?.message ?? 'the document'}`;
  throw new AwpError('validation', summary, { field: 'document', violations });
}
