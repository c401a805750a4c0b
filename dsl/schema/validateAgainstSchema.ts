import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import type { DslProblem } from '../problems.js';
import { describeFinding } from './describeFinding.js';
import { explainFailure } from './explainFailure.js';
import { schemaValidators } from './schemaValidators.js';

/**
 * Validates a parsed workflow against the official Serverless Workflow schema and says what is
 * wrong in the author's terms: one problem per mistake (not one per alternative the validator
 * tried), each at the line and column of the offending key or value, sorted by position.
 */
export function validateAgainstSchema(document: ParsedDocument): DslProblem[] {
  const validators = schemaValidators();
  const errors = validators.validateDocument(document.value);
  if (errors.length === 0) return [];
  const problems = explainFailure(validators, document.value, errors).map((finding) =>
    describeFinding(finding, document, validators.root),
  );
  return sortedDistinct(problems);
}

/**
 * Distinct problems in source order. An unknown property can be reported both by the alternative
 * that was meant and by the enclosing node; one report per key is enough.
 */
function sortedDistinct(problems: DslProblem[]): DslProblem[] {
  const seen = new Set<string>();
  const distinct = problems.filter((problem) => {
    const key =
      problem.code === 'schema-unknown-property'
        ? `${problem.code} ${problem.path}`
        : `${problem.code} ${problem.path} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct.sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      compare(a.code, b.code) ||
      compare(a.path, b.path) ||
      compare(a.message, b.message),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
