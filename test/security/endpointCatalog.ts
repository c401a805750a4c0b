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

const workflowSpec = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../domains/workflow/api/generated/openapi.json', import.meta.url)),
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
};

/**
 * Every endpoint of the workflow API, read from its OpenAPI document (so a new one cannot be
 * missed), and the platform's tenant-scoped endpoints.
 */
export function tenantEndpoints(): Endpoint[] {
  const fromSpec: Endpoint[] = Object.entries(workflowSpec.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const scopes = (operation.security ?? []).flatMap((r) => Object.values(r).flat());
      const permission = scopes[0] as Permission;
      if (!permissions.includes(permission)) {
        throw new Error(`${method} ${path} declares no known permission`);
      }
      const key = `${method.toUpperCase()} ${path}`;
      return {
        method: method.toUpperCase() as Endpoint['method'],
        path,
        permission,
        ...(key in bodies ? { body: bodies[key] } : {}),
      };
    }),
  );
  const platform: Endpoint[] = [
    { method: 'GET', path: '/v1/secrets', permission: 'secret:read' },
    { method: 'GET', path: '/v1/secrets/{name}', permission: 'secret:read' },
    { method: 'PUT', path: '/v1/secrets/{name}', permission: 'secret:write', body: { value: 'v' } },
    { method: 'DELETE', path: '/v1/secrets/{name}', permission: 'secret:write' },
    { method: 'GET', path: '/v1/api-keys', permission: 'apikey:manage' },
    {
      method: 'POST',
      path: '/v1/api-keys',
      permission: 'apikey:manage',
      body: { name: 'matrix', roles: ['viewer'] },
    },
    { method: 'DELETE', path: '/v1/api-keys/{keyId}', permission: 'apikey:manage' },
    { method: 'GET', path: '/v1/tenants/{accountId}', permission: 'tenant:read' },
    { method: 'GET', path: '/v1/tenants/{accountId}/usage', permission: 'tenant:read' },
  ];
  return [...fromSpec, ...platform];
}

export function fill(path: string, ids: ResourceIds): string {
  return path.replace(/\{(\w+)\}/g, (_, name: keyof ResourceIds) => encodeURIComponent(ids[name]));
}
