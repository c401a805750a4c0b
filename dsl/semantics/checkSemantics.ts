import type { RunKind } from '../model/workflowModel.js';
import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import type { DslProblem } from '../problems.js';
import { checkCronSchedules } from './cronSchedules.js';
import { checkDurations } from './durations.js';
import { createExpressionCompiler } from './expressionCompiler.js';
import type { ExpressionCompiler } from './expressionCompiler.js';
import { checkExpressions } from './expressionProblems.js';
import { expressionSitesOf } from './expressionSites.js';
import { checkFlowLoops } from './flowLoops.js';
import { checkHttpMethods } from './httpMethods.js';
import { createWasmJqEngine } from './jqEngine.js';
import { checkResourceReferences } from './resourceReferences.js';
import { checkSecretReferences } from './secretReferences.js';
import { semanticInputOf } from './semanticInput.js';
import { checkSwitchDefaults } from './switchDefaults.js';
import { checkTaskNames } from './taskNames.js';
import { checkThenTargets } from './thenTargets.js';
import { checkUnreachableTasks } from './unreachableTasks.js';
import { checkUnsupportedFeatures } from './unsupportedFeatures.js';
import { checkUriTemplates } from './uriTemplates.js';
import { objectOrEmpty } from './valueShapes.js';

export interface SemanticOptions {
  /**
   * The `run` processes this platform allows. Default `['workflow']`: containers, scripts and
   * shells run code on the platform's hosts, so an operator enables them (AWP_DSL_ALLOW_RUN).
   */
  allowedRunKinds?: readonly RunKind[];
  /** The built-in call types the engine implements. Default `['http', 'openapi']`. */
  supportedCallKinds?: readonly string[];
}

export const defaultSemanticOptions: Readonly<Required<SemanticOptions>> = Object.freeze({
  allowedRunKinds: Object.freeze(['workflow'] as RunKind[]),
  supportedCallKinds: Object.freeze(['http', 'openapi']),
});

// One compiler (and jq engine) per process, so its cache serves every document checked.
let sharedCompiler: ExpressionCompiler | undefined;
const expressionCompiler = (): ExpressionCompiler =>
  (sharedCompiler ??= createExpressionCompiler({ engine: createWasmJqEngine() }));

/** A small workflow that goes through every rule, to warm their code up. */
const warmUpWorkflow = {
  document: { dsl: '1.0.0', namespace: 'awp', name: 'warm-up', version: '1.0.0' },
  use: {
    secrets: ['token'],
    functions: { fetch: { call: 'http', with: { method: 'get', endpoint: 'https://x.io/{id}' } } },
  },
  schedule: { cron: '0 * * * *' },
  input: { from: '${ . + {token: $secrets.token} }' },
  do: [
    { each: { for: { each: 'x', in: '${ .xs }' }, do: [{ put: { set: { y: '${ $x }' } } }] } },
    { guard: { try: [{ get: { call: 'fetch' } }], catch: { as: 'e', retry: { delay: 'PT1S' } } } },
    {
      route: { switch: [{ one: { when: '.a', then: 'pause' } }, { other: { then: 'continue' } }] },
    },
    { pause: { wait: { seconds: 1 }, output: { as: '.[0]' }, then: 'end' } },
  ],
};

/**
 * Loads jq and warms the rules up ahead of the first check (about 100 ms, once per process), for
 * a server that would rather pay it at startup than on its first request.
 */
export async function prepareSemanticChecks(): Promise<void> {
  const document: ParsedDocument = {
    value: warmUpWorkflow,
    positionOf: () => ({ line: 1, column: 1 }),
  };
  for (let i = 0; i < 20; i++) await checkSemantics(document);
}

// Plain code-unit order, not `localeCompare`: the order must not depend on the host's locale.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPosition = (a: DslProblem, b: DslProblem) =>
  a.line - b.line ||
  a.column - b.column ||
  compareText(a.code, b.code) ||
  compareText(a.message, b.message) ||
  compareText(a.path, b.path);

/**
 * AWP's semantic rules on a document that passed the official schema: what the schema cannot
 * say (names resolve, flow is sound, expressions compile, values parse, features are enabled).
 * Problems come sorted by position, then code.
 */
export async function checkSemantics(
  document: ParsedDocument,
  options: SemanticOptions = {},
): Promise<DslProblem[]> {
  const input = semanticInputOf(document);
  const problems: DslProblem[] = [
    ...checkTaskNames(input),
    ...checkThenTargets(input),
    ...checkSwitchDefaults(input),
    ...checkUnreachableTasks(input),
    ...checkFlowLoops(input),
    ...checkResourceReferences(input),
    ...checkDurations(input),
    ...checkCronSchedules(input),
    ...checkUriTemplates(input),
    ...checkHttpMethods(input),
    ...checkUnsupportedFeatures(input, {
      allowedRunKinds: options.allowedRunKinds ?? defaultSemanticOptions.allowedRunKinds,
      supportedCallKinds: options.supportedCallKinds ?? defaultSemanticOptions.supportedCallKinds,
    }),
  ];
  // Another expression language is refused above (`feature-unsupported`); its expressions are
  // not jq, so they are neither compiled nor searched for `$secrets`.
  const language = objectOrEmpty(input.workflow.evaluate).language;
  const sites = language === undefined || language === 'jq' ? expressionSitesOf(input) : [];
  problems.push(...checkSecretReferences(input, sites));
  try {
    problems.push(...(await checkExpressions(input, sites, expressionCompiler())));
  } catch (error) {
    problems.push({
      severity: 'warning',
      code: 'expression-unchecked',
      message: `runtime expressions were not checked: jq is unavailable (${error instanceof Error ? error.message : String(error)})`,
      path: '',
      line: 1,
      column: 1,
    });
  }
  return problems.sort(byPosition);
}
