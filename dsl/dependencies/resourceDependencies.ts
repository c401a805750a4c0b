import { parseFunctionReference, resourceUri } from './callDependencies.js';
import type { ExternalResourceDependency } from './dependencyModel.js';
import { createDependencyIndex, definedFields, keyOf } from './dependencyIndex.js';
import { workflowSiteOf } from './dependencyTasks.js';
import type { DependencyTask } from './dependencyTasks.js';
import { isDynamicUri } from './endpoints.js';
import { createTextMap } from './textKeyedMap.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, key: string): Record<string, unknown> =>
  isObject(value) && isObject(value[key]) ? value[key] : {};
const nameOf = (resource: unknown): string | undefined =>
  isObject(resource) && typeof resource.name === 'string' ? resource.name : undefined;

/** Where input, output and export schemas may live, on the workflow and on every task. */
const schemaHolders = ['input', 'output', 'export'] as const;

/**
 * External resources a workflow loads (dsl-reference "External Resource"): schemas given by
 * `resource` rather than inline, scripts given by `source`, and the catalogs of `use.catalogs`,
 * used by the tasks calling `name:version@catalog`. Calls' own documents (OpenAPI, AsyncAPI,
 * proto, agent card) are listed with those calls.
 */
export function listResourceDependencies(
  workflow: Record<string, unknown>,
  tasks: readonly DependencyTask[],
): ExternalResourceDependency[] {
  const resources = createDependencyIndex<ExternalResourceDependency>();
  /** The URI is redacted and keyed once however many sites use it: it may be long. */
  const add = (
    kind: ExternalResourceDependency['kind'],
    resource: unknown,
    sites: ReadonlyArray<string | undefined>,
    name = nameOf(resource),
  ) => {
    const uri = resourceUri(resource);
    if (uri === undefined) return;
    const key = keyOf(kind, uri, name);
    const create = () => definedFields({ kind, uri, name, dynamic: isDynamicUri(uri) });
    for (const site of sites) resources.add(key, create, site);
  };
  /** A task's schemas are its own; the workflow's are sited at `/input/schema` and the like. */
  const addSchemas = (holder: Record<string, unknown>, site: string | undefined) => {
    for (const key of schemaHolders) {
      const resource = objectAt(objectAt(holder, key), 'schema').resource;
      add('schema', resource, [site ?? workflowSiteOf([key, 'schema'])]);
    }
  };

  addSchemas(workflow, undefined);
  const catalogUsers = createTextMap<string[]>();
  for (const task of tasks) {
    addSchemas(task.body, task.site);
    if (task.kind === 'run') add('script', objectAt(task.body.run, 'script').source, [task.site]);
    const reference = typeof task.body.call === 'string' ? task.body.call : '';
    const catalog = task.kind === 'call' ? parseFunctionReference(reference)?.catalog : undefined;
    if (catalog !== undefined) {
      const users = catalogUsers.get(catalog);
      if (users === undefined) catalogUsers.set(catalog, [task.site]);
      else users.push(task.site);
    }
  }
  const catalogs = objectAt(workflow.use, 'catalogs');
  for (const [name, catalog] of Object.entries(catalogs)) {
    add('catalog', catalog, [undefined, ...(catalogUsers.get(name) ?? [])], name);
  }
  return resources.items();
}
