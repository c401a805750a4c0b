import type { JsonPath } from '../model/taskLists.js';
import { taskKinds } from '../model/workflowModel.js';
import type { DslProblem } from '../problems.js';
import { authenticationSitesOf } from './endpointSites.js';
import { didYouMean, quotedList } from './nameHints.js';
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

/** `kind 'name' is not defined in use.section (did you mean …?); defined: …`. */
export function notDefinedMessage(
  kind: string,
  name: string,
  section: string,
  known: readonly string[],
): string {
  const defined =
    known.length === 0 ? `use.${section} defines none` : `defined: ${quotedList(known)}`;
  return `${kind} '${name}' is not defined in use.${section}${didYouMean(name, known)}; ${defined}`;
}

/**
 * Names that refer to the workflow's reusable components resolve: authentication policies by
 * `use`, functions by `call`, errors by `raise.error`, retry policies by `catch.retry`, timeouts
 * by `timeout`, catalogs by `name:version@catalog`, and extension targets are task kinds.
 * Secrets are checked by `checkSecretReferences`.
 */
export function checkResourceReferences(input: SemanticInput): DslProblem[] {
  const { document, workflow, index } = input;
  const use = objectOrEmpty(workflow.use);
  const problems: DslProblem[] = [];
  const unresolved = (message: string, path: JsonPath) =>
    problems.push(
      problemAt(document, { severity: 'error', code: 'reference-unresolved', message, path }),
    );
  const expect = (value: unknown, kind: string, section: string, path: JsonPath) => {
    const known = namesOf(use[section]);
    if (typeof value === 'string' && !known.includes(value)) {
      unresolved(notDefinedMessage(kind, value, section, known), path);
    }
  };

  for (const site of authenticationSitesOf(input)) {
    if (site.definition) continue;
    expect(site.policy.use, 'authentication policy', 'authentications', [...site.path, 'use']);
  }

  expect(workflow.timeout, 'timeout', 'timeouts', ['timeout']);
  const functions = namesOf(use.functions);
  const catalogs = namesOf(use.catalogs);
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
      if (catalog !== defaultCatalog && !catalogs.includes(catalog)) {
        unresolved(
          `${notDefinedMessage('catalog', catalog, 'catalogs', catalogs)} (call: ${call}; only the runtime's '${defaultCatalog}' catalog needs no definition)`,
          path,
        );
      }
    } else if (!functions.includes(call)) {
      unresolved(
        `call: '${call}' is neither a built-in call (${builtInCallKinds.join(', ')}) nor a function: ${notDefinedMessage('function', call, 'functions', functions)}`,
        path,
      );
    }
  }

  const extensions = Array.isArray(use.extensions) ? use.extensions : [];
  extensions.forEach((item, i) => {
    for (const [name, extension] of Object.entries(objectOrEmpty(item))) {
      const target = objectOrEmpty(extension).extend;
      if (typeof target === 'string' && !extensionTargets.includes(target)) {
        unresolved(
          `extension '${name}' extends '${target}', which is not a task kind${didYouMean(target, extensionTargets)}; expected one of ${extensionTargets.join(', ')}`,
          ['use', 'extensions', i, name, 'extend'],
        );
      }
    }
  });
  return problems;
}
