import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { permissions } from '../../contracts/index.js';
import type { Permission } from '../../contracts/index.js';

/** One tenant-scoped endpoint, with a request that passes validation when the caller may call it. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `{workflowId}`, `{executionId}`, `{version}`, `{name}`, `{keyId}`, `{accountId}` are filled in. */
  path: string;
  permission: Permission;
  body?: unknown;
  /** A query string that makes the request valid (`?q=…` for a search). */
  query?: string;
}

/** The ids an account's resources have, to fill the paths with. */
export interface ResourceIds {
  workflowId: string;
  version: string;
  executionId: string;
  name: string;
  keyId: string;
  accountId: string;
  conversationId: string;
  messageId: string;
}

/** The one OpenAPI document of the whole API, as the gateway serves it at /openapi.json. */
const apiSpec = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../gateway/openapi/generated/openapi.json', import.meta.url)),
    'utf8',
  ),
) as {
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
};

const bodies: Record<string, unknown> = {
  'POST /v1/workflows': {
    document: `document: { dsl: '1.0.3', namespace: matrix, name: probe-${Date.now()}, version: '1.0.0' }
do:
  - nothing: { set: { ok: true } }
`,
  },
  'POST /v1/workflows/{workflowId}/versions': { document: '(replaced per test)' },
  'POST /v1/workflows/{workflowId}/executions': { input: {} },
  'POST /v1/executions/{executionId}/cancel': {},
  'POST /v1/executions/{executionId}/suspend': {},
  'POST /v1/executions/{executionId}/resume': {},
  'POST /v1/events': {
    specversion: '1.0',
    id: 'matrix-1',
    source: 'https://matrix.test',
    type: 'com.example.matrix',
  },
  'PUT /v1/outbound-policy': { allowHosts: [] },
  'PUT /v1/secrets/{name}': { value: 'v' },
  'POST /v1/api-keys': { name: 'matrix', roles: ['viewer'] },
  'POST /v1/conversations': { title: 'matrix probe' },
  'POST /v1/memories': { scope: 'tenant', kind: 'fact', text: 'matrix probe fact' },
  'PUT /v1/agents/{agentId}': { name: 'matrix agent' },
  'POST /v1/conversations/{conversationId}/messages': { content: 'matrix probe' },
  'PUT /v1/conversations/{conversationId}/messages/{messageId}': { content: 'matrix edit' },
  'POST /v1/conversations/{conversationId}/branches': { fromMessageId: '(replaced per test)' },
  'POST /v1/conversations/{conversationId}/end': {},
};

const queries: Record<string, string> = {
  'GET /v1/conversations/search': '?q=seed',
  'GET /v1/connectors/{connectorId}/operations/search': '?q=seed',
  'GET /v1/memories/search': '?q=seed',
};

/**
 * Every tenant-scoped endpoint of the API — each operation whose security is a `bearer`
 * permission — read from the OpenAPI document, so a new one cannot be missed. The operator's
 * (`operator` security) are not a tenant's: the tenant slice tests guard them.
 */
export function tenantEndpoints(): Endpoint[] {
  return Object.entries(apiSpec.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      const [[scheme, scopes = []] = []] = (operation.security ?? []).map(Object.entries).flat();
      if (scheme === 'operator') return [];
      const permission = scopes[0] as Permission;
      if (!permissions.includes(permission)) {
        throw new Error(`${method} ${path} declares no known permission`);
      }
      const key = `${method.toUpperCase()} ${path}`;
      return [
        {
          method: method.toUpperCase() as Endpoint['method'],
          path,
          permission,
          ...(key in bodies ? { body: bodies[key] } : {}),
          ...(key in queries ? { query: queries[key] } : {}),
        },
      ];
    }),
  );
}

export function fill(path: string, ids: ResourceIds): string {
  return path.replace(/\{(\w+)\}/g, (_, name: keyof ResourceIds) => encodeURIComponent(ids[name]));
}

/** The endpoint's path filled in, with its query string. */
export function urlOf(endpoint: Endpoint, ids: ResourceIds): string {
  return `${fill(endpoint.path, ids)}${endpoint.query ?? ''}`;
}
