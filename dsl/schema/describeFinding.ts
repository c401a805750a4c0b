import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import type { DslProblem } from '../problems.js';
import { describeNoAlternative, describeSeveralAlternatives } from './describeAlternatives.js';
import { describeKeyword } from './describeKeyword.js';
import type { Finding } from './explainFailure.js';
import { dottedPath } from './locationNames.js';
import { problemSite } from './problemSite.js';
import type { SchemaNode } from './schemaNodes.js';
import { listOf, quoted } from './sentenceParts.js';

/**
 * The problem a workflow author is shown for one finding: a sentence naming the place as they
 * think of it (task 'checkStock': 'with.endpoint'), a stable code, and the position of the key
 * (unknown or incomplete things) or value (wrong values) in the source.
 */
export function describeFinding(
  finding: Finding,
  document: ParsedDocument,
  schema: SchemaNode,
): DslProblem {
  const site = problemSite(finding, document, schema);
  const { location, subject, report } = site;
  switch (finding.kind) {
    case 'required': {
      const missing = listOf(finding.missing.map(quoted), 'and');
      return report('schema-required', `${subject} is missing ${missing}`, { target: 'key' });
    }
    case 'unknown-property': {
      const name = dottedPath([...location.rest, finding.name]);
      const hint =
        finding.suggestion === undefined ? '' : ` (did you mean '${finding.suggestion}'?)`;
      return report(
        'schema-unknown-property',
        `${location.owner}: unknown property '${name}'${hint}`,
        {
          at: [...finding.at, finding.name],
          target: 'key',
        },
      );
    }
    case 'no-alternative':
      return describeNoAlternative(finding, site);
    case 'several-alternatives':
      return describeSeveralAlternatives(finding, site);
    case 'keyword':
      return describeKeyword(finding, site);
    case 'unexplained':
      return report('schema-invalid', `${subject} ${finding.message}`);
  }
}
