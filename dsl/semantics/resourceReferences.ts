import { createNameHints } from '../model/nameHints.js';
import type { HintBudget, NameHints } from '../model/nameHints.js';
import type { JsonPath } from '../model/taskLists.js';
import { taskKinds } from '../model/workflowModel.js';
import type { DslProblem } from '../problems.js';
import { authenticationSitesOf } from './endpointSites.js';
import { didYouMean, maxQuotedName, quotedList, quotedName, shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';
import { namesOf, objectOrEmpty } from './valueShapes.js';

/** The call types the spec defines; any other `call` names a function. */
export const builtInCallKinds = ['asyncapi', 'grpc', 'http', 'openapi', 'a2a', 'mcp'] as const;

/** `extend` targets: the spec's list (`composite` is do and fork) plus every task kind. */
const extensionTargets: readonly string[] = [...taskKinds, 'composite', 'extension', 'all'];

/** `https://…`: a custom function published at a URI (dsl.md, "Using a Custom Function"). */
const functionUri = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** `name:version@catalog` (dsl.md, "Using Cataloged Functions"). */
const catalogReference = /^([^:@\s]+):([^@\s]+)@([^@\s]+)$/;
/** Runtimes may offer a catalog named `default` that needs no definition (dsl.md). */
const defaultCatalog = 'default';

/** The names one `use` section defines, read once for every reference to it. */
export interface DefinedNames {
  has(name: string): boolean;
  /** `kind 'name' is not defined in use.section (did you mean …?); defined: …`. */
  notDefined(kind: string, name: string): string;
}

export function definedNames(
  section: string,
  names: readonly string[],
  budget: HintBudget,
): DefinedNames {
  const known = new Set(names);
  // Made at the first unresolved name, then shared: the message of every problem quotes them.
  let hints: NameHints | undefined;
  let defined: string | undefined;
  return {
    has: (name) => known.has(name),
    notDefined(kind, name) {
      hints ??= createNameHints(names, budget);
      defined ??=
        names.length === 0 ? `use.${section} defines none` : `defined: ${quotedList(names)}`;
      return `${kind} ${quotedName(name)} is not defined in use.${section}${didYouMean(name, hints)}; ${defined}`;
    },
  };
}

/**
 * Names that refer to the workflow's reusable components resolve: authentication policies by
 * `use`, functions by `call`, errors by `raise.error`, retry policies by `catch.retry`, timeouts
 * by `timeout`, catalogs by `name:version@catalog`, and extension targets are task kinds.
 * Secrets are checked by `checkSecretReferences`.
 */
export function checkResourceReferences(input: SemanticInput): DslProblem[] {
  const { document, workflow, index, hintBudget } = input;
  const use = objectOrEmpty(workflow.use);
  const problems: DslProblem[] = [];
  const unresolved = (message: string, path: JsonPath) =>
    problems.push(
      problemAt(document, { severity: 'error', code: 'reference-unresolved', message, path }),
    );
  const sections = new Map<string, DefinedNames>();
  const section = (name: string): DefinedNames => {
    let found = sections.get(name);
    if (found === undefined) {
      found = definedNames(name, namesOf(use[name]), hintBudget);
      sections.set(name, found);
    }
    return found;
  };
  const expect = (value: unknown, kind: string, name: string, path: JsonPath) => {
    const defined = section(name);
    if (typeof value === 'string' && !defined.has(value)) {
      unresolved(defined.notDefined(kind, value), path);
    }
  };

  for (const site of authenticationSitesOf(input)) {
    if (site.definition) continue;
    expect(site.policy.use, 'authentication policy', 'authentications', [...site.path, 'use']);
  }

  expect(workflow.timeout, 'timeout', 'timeouts', ['timeout']);
  const functions = section('functions');
  const catalogs = section('catalogs');
  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    expect(task.timeout, 'timeout', 'timeouts', [...entry.path, 'timeout']);
    if (entry.kind === 'raise') {
      expect(objectOrEmpty(task.raise).error, 'error', 'errors', [...entry.path, 'raise', 'error']);
    }
    if (entry.kind === 'try') {
      expect(objectOrEmpty(task.catch).retry, 'retry policy', 'retries', [
        ...entry.path,
        'catch',
        'retry',
      ]);
    }
    if (entry.kind !== 'call' || typeof task.call !== 'string') continue;
    const call = task.call;
    const path = [...entry.path, 'call'];
    if ((builtInCallKinds as readonly string[]).includes(call) || functionUri.test(call)) continue;
    const cataloged = catalogReference.exec(call);
    if (cataloged !== null) {
      const catalog = cataloged[3] as string;
      if (catalog !== defaultCatalog && !catalogs.has(catalog)) {
        unresolved(
          `${catalogs.notDefined('catalog', catalog)} (call: ${shortened(call, maxQuotedName)}; only the runtime's '${defaultCatalog}' catalog needs no definition)`,
          path,
        );
      }
    } else if (!functions.has(call)) {
      unresolved(
        `call: ${quotedName(call)} is neither a built-in call (${builtInCallKinds.join(', ')}) nor a function: ${functions.notDefined('function', call)}`,
        path,
      );
    }
  }

  const extensions = Array.isArray(use.extensions) ? use.extensions : [];
  let kinds: NameHints | undefined;
  extensions.forEach((item, i) => {
    for (const [name, extension] of Object.entries(objectOrEmpty(item))) {
      const target = objectOrEmpty(extension).extend;
      if (typeof target === 'string' && !extensionTargets.includes(target)) {
        kinds ??= createNameHints(extensionTargets, hintBudget);
        unresolved(
          `extension ${quotedName(name)} extends ${quotedName(target)}, which is not a task kind${didYouMean(target, kinds)}; expected one of ${extensionTargets.join(', ')}`,
          ['use', 'extensions', i, name, 'extend'],
        );
      }
    }
  });
  return problems;
}
