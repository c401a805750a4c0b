import type { DslProblem } from '../problems.js';
import { authenticationSitesOf } from './endpointSites.js';
import type { ExpressionSite } from './expressionSites.js';
import { problemAt } from './problemAt.js';
import { definedNames } from './resourceReferences.js';
import type { SemanticInput } from './semanticInput.js';
import { objectOrEmpty } from './valueShapes.js';

/** Authentication schemes that may take their credentials from a secret (`basic: { use: s }`). */
const secretSchemes = ['basic', 'bearer', 'certificate', 'digest', 'oauth2', 'oidc'] as const;

/** `$secrets` not followed by more identifier characters. */
const secretsArgument = /\$secrets(?![A-Za-z0-9_])/g;
/**
 * What may follow `$secrets` to pick one secret: `.name`, `."name"`, `["name"]`, `.["name"]`.
 * Sticky, so it is tried where `$secrets` ends without copying the rest of the expression.
 */
const secretAccess =
  /\s*\??\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\.?\s*\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\.\s*"((?:[^"\\]|\\.)*)")/y;

/** The secret names an expression reads literally; `$secrets[.x]` or `$secrets | keys` name none. */
export function secretNamesIn(expression: string): { uses: boolean; names: string[] } {
  const names = new Set<string>();
  let uses = false;
  for (const match of expression.matchAll(secretsArgument)) {
    uses = true;
    secretAccess.lastIndex = (match.index ?? 0) + match[0].length;
    const access = secretAccess.exec(expression);
    const raw = access?.[1] ?? access?.[2] ?? access?.[3];
    if (raw === undefined) continue;
    let name = raw;
    try {
      name = JSON.parse(`"${raw}"`) as string;
    } catch {
      // An invalid escape: jq rejects the expression and `expression-invalid` says so.
    }
    names.add(name);
  }
  return { uses, names: [...names] };
}

/**
 * Secrets are declared in `use.secrets` before use: in expressions (`$secrets.NAME`) and in
 * secret-based authentication (`basic: { use: NAME }`). The spec also says secrets "can only be
 * used in the input.from runtime expression" (dsl.md, Runtime expression arguments), while its own
 * table lists `$secrets` for every expression; use elsewhere is therefore a warning, not an error.
 */
export function checkSecretReferences(
  input: SemanticInput,
  expressions: readonly ExpressionSite[],
): DslProblem[] {
  const { document, workflow, hintBudget } = input;
  const declared = (() => {
    const secrets = objectOrEmpty(workflow.use).secrets;
    const names = Array.isArray(secrets)
      ? secrets.filter((s): s is string => typeof s === 'string')
      : [];
    return definedNames('secrets', names, hintBudget);
  })();
  const problems: DslProblem[] = [];
  for (const site of expressions) {
    const { uses, names } = secretNamesIn(site.expression);
    for (const name of names) {
      if (declared.has(name)) continue;
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'reference-unresolved',
          message: declared.notDefined('secret', name),
          path: site.path,
        }),
      );
    }
    if (uses && !site.inputFrom) {
      problems.push(
        problemAt(document, {
          severity: 'warning',
          code: 'secret-outside-input-from',
          message:
            '$secrets is read outside input.from; the spec allows secrets only in input.from, so they do not leak into outputs, the context or logs',
          path: site.path,
        }),
      );
    }
  }
  for (const site of authenticationSitesOf(input)) {
    for (const scheme of secretSchemes) {
      const secret = objectOrEmpty(site.policy[scheme]).use;
      if (typeof secret !== 'string' || declared.has(secret)) continue;
      problems.push(
        problemAt(document, {
          severity: 'error',
          code: 'reference-unresolved',
          message: `${declared.notDefined('secret', secret)} (${scheme} authentication takes its credentials from it)`,
          path: [...site.path, scheme, 'use'],
        }),
      );
    }
  }
  return problems;
}
