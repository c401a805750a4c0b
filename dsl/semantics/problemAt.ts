import type { JsonPath } from '../model/taskLists.js';
import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import type { DslProblem, Severity } from '../problems.js';

export interface ProblemSpec {
  severity: Severity;
  code: string;
  message: string;
  path: JsonPath;
  /** Point at the mapping key (a task's name) rather than its value. Default 'value'. */
  at?: 'key' | 'value';
}

/** A problem located in the source text by its path. */
export function problemAt(document: ParsedDocument, spec: ProblemSpec): DslProblem {
  const { line, column } = document.positionOf(spec.path, spec.at ?? 'value');
  return {
    severity: spec.severity,
    code: spec.code,
    message: spec.message,
    path: pointerOf(spec.path),
    line,
    column,
  };
}
