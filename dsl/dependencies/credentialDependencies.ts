import { pointerOf } from '../problems.js';
import type { AuthenticationDependency, SecretDependency } from './dependencyModel.js';
import { createDependencyIndex, keyOf } from './dependencyIndex.js';
import type { DependencyTask } from './dependencyTasks.js';
import { createTextSet } from './textKeyedMap.js';
import type { TextSet } from './textKeyedMap.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** dsl-reference "Authentication": the schemes a policy may define. */
export const authenticationSchemes = [
  'basic',
  'bearer',
  'certificate',
  'digest',
  'oauth2',
  'oidc',
] as const;

/** RFC 6901 escaping of one key, without allocating for the usual key that needs none. */
const escapeSegment = (key: string): string =>
  key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;

/** `$secrets.name`, `$secrets."name"` and `$secrets["name"]` in a runtime expression. */
const secretReference =
  /\$secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\.\s*"([^"\\]+)"|\[\s*"([^"\\]+)"\s*\])/g;

/** Keys whose values are payload, where an `authentication` key is data, not a policy. */
const payloadKeys = new Set([
  'set',
  'body',
  'data',
  'metadata',
  'headers',
  'query',
  'arguments',
  'parameters',
  'environment',
  'payload',
]);

function schemeOf(policy: Record<string, unknown>): string | undefined {
  return authenticationSchemes.find((scheme) => scheme in policy);
}

/**
 * Secrets and authentication policies a workflow uses. Only names and schemes are read: the
 * values beside them (passwords, tokens, client secrets) are never copied.
 */
export function listCredentialDependencies(workflow: unknown, tasks: readonly DependencyTask[]) {
  const root = isObject(workflow) ? workflow : {};
  const use = isObject(root.use) ? root.use : {};
  const secrets = createDependencyIndex<SecretDependency>();
  const authentications = createDependencyIndex<AuthenticationDependency>();
  const declaredSecrets = createTextSet(
    (Array.isArray(use.secrets) ? use.secrets : []).filter((name) => typeof name === 'string'),
  );
  // Task bodies are found by identity, and only then their pointer compared: looking every
  // value's pointer up among the tasks' would hash pointers as long as the names above them.
  // One body may be shared by many tasks (a YAML alias), so each holds a set of sites.
  const sitesByBody = new Map<object, TextSet>();
  for (const task of tasks) {
    const sites = sitesByBody.get(task.body);
    if (sites === undefined) sitesByBody.set(task.body, createTextSet([task.site]));
    else sites.add(task.site);
  }
  const policies = isObject(use.authentications) ? use.authentications : {};

  const useSecret = (name: string, site: string) =>
    secrets.add(keyOf(name), () => ({ name, declared: declaredSecrets.has(name) }), site);
  /** A scheme may take its credentials from a secret: `basic: { use: mySecret }`. */
  const useSchemeSecret = (policy: Record<string, unknown>, scheme: string, site: string) => {
    const settings = policy[scheme];
    if (isObject(settings) && typeof settings.use === 'string') useSecret(settings.use, site);
  };
  const usePolicy = (name: string, site?: string) => {
    // Own keys only: a policy named `constructor` must not find Object's.
    const policy = Object.hasOwn(policies, name) ? policies[name] : undefined;
    const scheme = isObject(policy) ? schemeOf(policy) : undefined;
    authentications.add(
      keyOf('named', name),
      () =>
        isObject(policy)
          ? { name, ...(scheme === undefined ? {} : { scheme }), declared: true }
          : { name, declared: false },
      site,
    );
  };

  for (const name of declaredSecrets.values())
    secrets.add(keyOf(name), () => ({ name, declared: true }));
  for (const [name, policy] of Object.entries(policies)) {
    usePolicy(name);
    const scheme = isObject(policy) ? schemeOf(policy) : undefined;
    if (isObject(policy) && scheme !== undefined) {
      useSchemeSecret(policy, scheme, pointerOf(['use', 'authentications', name]));
    }
  }

  const visitPolicy = (value: unknown, site: string) => {
    if (typeof value === 'string') return usePolicy(value, site);
    if (!isObject(value)) return;
    if (typeof value.use === 'string') return usePolicy(value.use, site);
    const scheme = schemeOf(value);
    if (scheme === undefined) return;
    authentications.add(keyOf('inline', scheme), () => ({ scheme, declared: false }), site);
    useSchemeSecret(value, scheme, site);
  };

  /**
   * The walk carries each value's pointer and site rather than recomputing them per value: a
   * large workflow holds tens of thousands of strings, and a pointer can be as long as its keys.
   * A value's site is the innermost task it is in, else the workflow-level entry holding it: the
   * pointer's first `cut` segments (`/input/schema`, `/use/authentications/petStore`). No task
   * sits above that depth, so a pointer no deeper than `cut` is its own site either way.
   */
  const walk = (
    value: unknown,
    pointer: string,
    place: { site: string; depth: number; cut: number },
    inPayload: boolean,
  ) => {
    const childPlace = (child: string, key: string, item: unknown): typeof place => {
      const depth = place.depth + 1;
      const cut = depth === 1 ? (key === 'use' ? 3 : 2) : place.cut;
      const isTask = isObject(item) && (sitesByBody.get(item)?.has(child) ?? false);
      const site = isTask || depth <= cut ? child : place.site;
      return { site, depth, cut };
    };
    if (typeof value === 'string') {
      for (const match of value.matchAll(secretReference)) {
        useSecret((match[1] ?? match[2] ?? match[3]) as string, place.site);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const child = `${pointer}/${index}`;
        walk(item, child, childPlace(child, String(index), item), inPayload);
      });
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${escapeSegment(key)}`;
        const itemPlace = childPlace(child, key, item);
        // `use.authentications` holds the definitions themselves, read above.
        if (!inPayload && key === 'authentication') visitPolicy(item, itemPlace.site);
        walk(item, child, itemPlace, inPayload || payloadKeys.has(key));
      }
    }
  };
  walk(root, '', { site: '', depth: 0, cut: 2 }, false);
  return { secrets: secrets.items(), authentications: authentications.items() };
}
