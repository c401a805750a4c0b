import { pointerOf, segmentsOf } from '../problems.js';
import type { AuthenticationDependency, SecretDependency } from './dependencyModel.js';
import { createDependencyIndex, keyOf } from './dependencyIndex.js';
import { workflowSiteOf } from './dependencyTasks.js';

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
export function listCredentialDependencies(workflow: unknown, taskSites: ReadonlySet<string>) {
  const root = isObject(workflow) ? workflow : {};
  const use = isObject(root.use) ? root.use : {};
  const secrets = createDependencyIndex<SecretDependency>();
  const authentications = createDependencyIndex<AuthenticationDependency>();
  const declaredSecrets = new Set(
    (Array.isArray(use.secrets) ? use.secrets : []).filter((name) => typeof name === 'string'),
  );
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

  for (const name of declaredSecrets) secrets.add(keyOf(name), () => ({ name, declared: true }));
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

  // The walk carries the pointer and the innermost task it is in, rather than recomputing
  // them per value: a large workflow holds tens of thousands of strings.
  const walk = (value: unknown, pointer: string, task: string | undefined, inPayload: boolean) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(secretReference)) {
        const site = task ?? workflowSiteOf(segmentsOf(pointer));
        useSecret((match[1] ?? match[2] ?? match[3]) as string, site);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const child = `${pointer}/${index}`;
        walk(item, child, taskSites.has(child) ? child : task, inPayload);
      });
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const child = `${pointer}/${escapeSegment(key)}`;
        const childTask = taskSites.has(child) ? child : task;
        // `use.authentications` holds the definitions themselves, read above.
        if (!inPayload && key === 'authentication') {
          visitPolicy(item, childTask ?? workflowSiteOf(segmentsOf(child)));
        }
        walk(item, child, childTask, inPayload || payloadKeys.has(key));
      }
    }
  };
  walk(root, '', undefined, false);
  return { secrets: secrets.items(), authentications: authentications.items() };
}
