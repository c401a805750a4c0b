import type { DslProblem } from '../problems.js';
import { switchCasesOf } from './flowGraph.js';
import type { SwitchCase } from './flowGraph.js';
import { quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';

/**
 * A switch has at most one default case (a case without `when`): cases are tried in order and a
 * default always matches, so a second default, and any case after the first, can never be chosen.
 * Each extra default is an error at its name.
 */
export function checkSwitchDefaults({ document, index }: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const entry of index.tasks) {
    if (entry.kind !== 'switch') continue;
    let first: SwitchCase | undefined;
    for (const c of switchCasesOf(entry)) {
      if (c.when !== undefined) continue;
      if (first === undefined) {
        first = c;
        continue;
      }
      const { line } = document.positionOf(first.path, 'key');
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'switch-default-duplicate',
          message: `switch ${quotedName(entry.name)}: case ${quotedName(c.name)} has no when, and neither has case ${quotedName(first.name)} (line ${line}); a switch has only one default case, and the first one always matches, so this one can never be chosen`,
          path: c.path,
          at: 'key',
        }),
      );
    }
  }
  return problems;
}
