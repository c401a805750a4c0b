import type { JsonPath } from '../model/taskLists.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';
import { isObject, objectOrEmpty } from './valueShapes.js';
import type { PlainObject } from './valueShapes.js';

/** An `endpoint` value (a URI template, an expression, or `{ uri, authentication }`). */
export interface EndpointSite {
  path: JsonPath;
  value: unknown;
}

/** An authentication policy: a top-level definition, or one given inline or by `use`. */
export interface AuthenticationSite {
  path: JsonPath;
  policy: PlainObject;
  /** Defined in `use.authentications` (where `use` may not name another policy). */
  definition: boolean;
}

/** Where the schema puts endpoints in a task, by the fields that lead to them. */
function taskEndpointPaths(task: PlainObject): JsonPath[] {
  const paths: JsonPath[] = [
    ['input', 'schema', 'resource', 'endpoint'],
    ['output', 'schema', 'resource', 'endpoint'],
    ['export', 'schema', 'resource', 'endpoint'],
  ];
  if ('run' in task) paths.push(['run', 'script', 'source', 'endpoint']);
  switch (task.call) {
    case 'http':
      paths.push(['with', 'endpoint']);
      break;
    case 'openapi':
    case 'asyncapi':
      paths.push(['with', 'document', 'endpoint']);
      break;
    case 'grpc':
      paths.push(['with', 'proto', 'endpoint']);
      break;
    case 'a2a':
      paths.push(['with', 'agentCard', 'endpoint'], ['with', 'server']);
      break;
    case 'mcp':
      paths.push(['with', 'transport', 'http', 'endpoint']);
      break;
  }
  return paths;
}

/** Authentication written directly in a call's arguments rather than in an endpoint. */
function taskAuthenticationPaths(task: PlainObject): JsonPath[] {
  switch (task.call) {
    case 'openapi':
    case 'asyncapi':
      return [['with', 'authentication']];
    case 'grpc':
      return [['with', 'service', 'authentication']];
    default:
      return [];
  }
}

const valueAt = (root: unknown, path: JsonPath): unknown =>
  path.reduce<unknown>((node, segment) => objectOrEmpty(node)[segment], root);

// Three rules read the endpoints of the same input.
const endpointsByInput = new WeakMap<SemanticInput, EndpointSite[]>();

/** Every endpoint of the document: tasks (anywhere), workflow schemas and catalogs. */
export function endpointSitesOf(input: SemanticInput): EndpointSite[] {
  const known = endpointsByInput.get(input);
  if (known !== undefined) return known;
  const { workflow, index } = input;
  const sites: EndpointSite[] = [];
  const add = (root: unknown, base: JsonPath, relative: JsonPath) => {
    const value = valueAt(root, relative);
    if (value !== undefined) sites.push({ path: [...base, ...relative], value });
  };
  add(workflow, [], ['input', 'schema', 'resource', 'endpoint']);
  add(workflow, [], ['output', 'schema', 'resource', 'endpoint']);
  for (const name of Object.keys(objectOrEmpty(objectOrEmpty(workflow.use).catalogs))) {
    add(workflow, [], ['use', 'catalogs', name, 'endpoint']);
  }
  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    for (const relative of taskEndpointPaths(task)) add(task, entry.path, relative);
  }
  endpointsByInput.set(input, sites);
  return sites;
}

/** Every authentication policy: definitions, endpoint ones and call-argument ones. */
export function authenticationSitesOf(input: SemanticInput): AuthenticationSite[] {
  const sites: AuthenticationSite[] = [];
  const definitions = objectOrEmpty(objectOrEmpty(input.workflow.use).authentications);
  for (const [name, policy] of Object.entries(definitions)) {
    if (isObject(policy)) {
      sites.push({ path: ['use', 'authentications', name], policy, definition: true });
    }
  }
  for (const endpoint of endpointSitesOf(input)) {
    const policy = objectOrEmpty(endpoint.value).authentication;
    if (isObject(policy)) {
      sites.push({ path: [...endpoint.path, 'authentication'], policy, definition: false });
    }
  }
  for (const entry of input.index.tasks) {
    const task = fieldsOf(entry);
    for (const relative of taskAuthenticationPaths(task)) {
      const policy = valueAt(task, relative);
      if (isObject(policy))
        sites.push({ path: [...entry.path, ...relative], policy, definition: false });
    }
  }
  return sites;
}
