import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import type { DslProblem } from '../problems.js';
import type { Finding } from './explainFailure.js';
import { valueAt } from './instancePaths.js';
import type { Segment } from './instancePaths.js';
import { nameLocation, subjectOf } from './locationNames.js';
import type { NamedLocation } from './locationNames.js';
import type { SchemaNode } from './schemaNodes.js';

/** What wording a finding needs: the offending value, its name, and how to place a problem. */
export interface ProblemSite {
  value: unknown;
  location: NamedLocation;
  /** `task 'x'` or `task 'x': 'with.endpoint'`, to start a sentence with. */
  subject: string;
  schema: SchemaNode;
  /**
   * The problem at the finding's path, or at `at`; positioned at the value, or at the key that
   * names it (`target: 'key'`, falling back to the value where there is no key).
   */
  report(
    code: string,
    message: string,
    options?: { at?: Segment[]; target?: 'key' | 'value' },
  ): DslProblem;
  /** 'key' for an object, list or empty value (pointed at by the name it has), else 'value'. */
  namedBy: 'key' | 'value';
}

/** The site of one finding in one document. */
export function problemSite(
  finding: Finding,
  document: ParsedDocument,
  schema: SchemaNode,
): ProblemSite {
  const value = valueAt(document.value, finding.at);
  const location = nameLocation(finding.at, document.value);
  return {
    value,
    location,
    subject: subjectOf(location),
    schema,
    namedBy: typeof value === 'object' ? 'key' : 'value',
    report(code, message, { at = finding.at, target = 'value' } = {}) {
      return {
        severity: 'error',
        code,
        message,
        path: pointerOf(at),
        ...document.positionOf(at, target),
      };
    },
  };
}
