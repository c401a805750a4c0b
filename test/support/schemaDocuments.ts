import { parseWorkflowText } from '../../dsl/parse/parseWorkflowText.js';
import type { DslProblem } from '../../dsl/problems.js';
import { validateAgainstSchema } from '../../dsl/schema/validateAgainstSchema.js';

/** The schema stage's problems for a document that must parse. */
export function schemaProblemsOf(yaml: string): DslProblem[] {
  const parsed = parseWorkflowText(yaml);
  if (!parsed.ok) throw new Error(`does not parse: ${JSON.stringify(parsed.problems)}`);
  return validateAgainstSchema(parsed.document);
}

const header = `document:
  dsl: '1.0.0'
  namespace: test
  name: sample
  version: '1.0.0'
`;

/** A workflow with `rest` after its document header, which ends on line 5. */
export const sampleWorkflow = (rest: string): string => header + rest.replace(/^\n/, '');

/** A workflow whose `do` list starts on line 7 with `list`. */
export const sampleTasks = (list: string): string =>
  sampleWorkflow(`do:\n${list.replace(/^\n/, '')}`);
