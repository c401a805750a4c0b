import type { DslProblem } from '../problems.js';
import type { ExpressionCompiler } from './expressionCompiler.js';
import type { ExpressionSite } from './expressionSites.js';
import { shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';

/** The expression as a message quotes it: on one line, shortened. */
function quoted(expression: string): string {
  // Only the start is shown: flattening all of a long expression for every problem is waste.
  const flat = expression.trim().slice(0, 1_000).replace(/\s+/g, ' ');
  return `'${shortened(flat, 60)}'`;
}

/**
 * Every runtime expression compiles as jq, with the arguments the spec provides and the
 * variables in scope where it sits, so an undefined `$var` or function is an error here rather
 * than a fault at run time.
 */
export async function checkExpressions(
  { document }: SemanticInput,
  sites: readonly ExpressionSite[],
  compiler: ExpressionCompiler,
): Promise<DslProblem[]> {
  const problems: DslProblem[] = [];
  const compiled = sites.filter((site) => site.expression.trim() !== '');
  for (const site of sites) {
    if (site.expression.trim() !== '') continue;
    problems.push(
      problemAt(document, {
        severity: 'error',
        code: 'expression-invalid',
        message: 'the runtime expression is empty',
        path: site.path,
      }),
    );
  }
  const verdicts = await compiler.compile(compiled);
  compiled.forEach((site, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined || verdict.ok) return;
    problems.push(
      problemAt(document, {
        severity: verdict.unchecked ? 'warning' : 'error',
        code: verdict.unchecked ? 'expression-unchecked' : 'expression-invalid',
        message: verdict.unchecked
          ? `expression ${quoted(site.expression)} could not be checked: ${verdict.message}`
          : `expression ${quoted(site.expression)} does not compile: ${verdict.message}`,
        path: site.path,
      }),
    );
  });
  return problems;
}
