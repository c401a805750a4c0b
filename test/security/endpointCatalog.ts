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
}

/** The ids an account's resources have, to fill the paths with. */
export interface ResourceIds {
  workflowId: string;
  version: string;
  executionId: string;
  name: string;
  keyId: string;
  accountId: string;
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
        },
      ];
    }),
  );
}

export function fill(path: string, ids: ResourceIds): string {
  return path.replace(/\{(\w+)\}/g, (_, name: keyof ResourceIds) => encodeURIComponent(ids[name]));
}
