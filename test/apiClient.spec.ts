import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createAwpClient } from '../clients/typescript/index.js';
import type { AwpClient, AwpSchemas, Problem } from '../clients/typescript/index.js';
import type { Role } from '../contracts/index.js';
import { eventually } from './support/eventually.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * The typed client (`clients/typescript`, generated from the OpenAPI document) against a real
 * embedded platform over a real port: the calls a tenant and the operator make, their typed
 * answers, and errors as RFC 9457 problems.
 */
const adminToken = 'client-spec-admin-token-0123456789';
const accountId = 'client-co';
let platform: TestPlatform;

async function clientFor(roles: Role[], account = accountId): Promise<AwpClient> {
  if (!platform.devIssuer) throw new Error('the embedded platform trusts a development issuer');
  const token = await platform.devIssuer.sign({
    accountId: account,
    roles,
    userId: `${roles.join('+')}-of-${account}`,
    ttlSeconds: 900,
  });
  return createAwpClient({ baseUrl: platform.url, token });
}

const doubler = `
document: { dsl: '1.0.3', namespace: client, name: doubler, version: '1.0.0' }
do:
  - double:
      set:
        doubled: \${ .n * 2 }
`;

beforeAll(async () => {
  platform = await startTestPlatform('embedded', {
    AWP_ADMIN_TOKEN: adminToken,
    // Polling for read models spends requests: a budget no test here reaches.
    AWP_TIER_LIMITS: JSON.stringify({ free: { apiRequestsPerMinute: 100_000 } }),
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('a tenant through the typed client', () => {
  let owner: AwpClient;
  beforeAll(async () => {
    owner = await clientFor(['owner']);
  });

  it('creates a workflow, starts an execution and follows it to completion', async () => {
    const created = await owner.POST('/v1/workflows', { body: { document: doubler } });
    expectTypeOf(created.data).toEqualTypeOf<AwpSchemas['WorkflowDetails'] | undefined>();
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const workflowId = created.data?.workflowId ?? '';
    expect(created.response.headers.get('location')).toBe(`/v1/workflows/${workflowId}`);
    expect(created.data).toMatchObject({ namespace: 'client', name: 'doubler' });

    const started = await owner.POST('/v1/workflows/{workflowId}/executions', {
      params: { path: { workflowId } },
      body: { input: { n: 21 } },
    });
    expect(started.response.status).toBe(202);
    const executionId = started.data?.executionId ?? '';
    expect(started.data?.links.self).toBe(`/v1/executions/${executionId}`);

    const finished = await eventually(async () => {
      const { data } = await owner.GET('/v1/executions/{executionId}', {
        params: { path: { executionId } },
      });
      return data?.status === 'completed' ? data : undefined;
    });
    expectTypeOf(finished).toEqualTypeOf<AwpSchemas['ExecutionView']>();
    expect(finished.output).toEqual({ doubled: 42 });

    const listed = await owner.GET('/v1/executions', {
      params: { query: { workflowId, status: 'completed' } },
    });
    expect(listed.data?.items.map((item) => item.executionId)).toEqual([executionId]);
  });

  it('stores a secret and reads back its metadata, never its value', async () => {
    const written = await owner.PUT('/v1/secrets/{name}', {
      params: { path: { name: 'paymentKey' } },
      body: { value: 'sk_live_client' },
    });
    expect(written.response.status).toBe(201);
    expect(written.response.headers.get('cache-control')).toBe('no-store');
    expect(written.data).toMatchObject({ name: 'paymentKey', version: 1 });

    const { data } = await owner.GET('/v1/secrets');
    expectTypeOf(data).toEqualTypeOf<AwpSchemas['SecretList'] | undefined>();
    expect(data?.items).toContainEqual(expect.objectContaining({ name: 'paymentKey' }));
    expect(JSON.stringify(data)).not.toContain('sk_live_client');
  });

  it('creates an API key that acts for the account, and revokes it', async () => {
    const created = await owner.POST('/v1/api-keys', {
      body: { name: 'ci', roles: ['viewer'] },
    });
    expect(created.response.status).toBe(201);
    const { key = '', keyId = '' } = created.data ?? {};
    expect(key).toMatch(/^awp_[0-9a-f]{24}_/);

    const byKey = createAwpClient({ baseUrl: platform.url, token: key });
    expect((await byKey.GET('/v1/workflows')).response.status).toBe(200);

    const revoked = await owner.DELETE('/v1/api-keys/{keyId}', {
      params: { path: { keyId } },
    });
    expect(revoked.response.status).toBe(204);
    const refused = await eventually(async () => {
      const { error, response } = await byKey.GET('/v1/workflows');
      return response.status === 401 ? error : undefined;
    });
    expect(refused).toMatchObject({ status: 401, type: 'https://awp.dev/problems/unauthorized' });

    const { data } = await owner.GET('/v1/api-keys');
    const listed = data?.items.find((item) => item.keyId === keyId);
    expect(listed?.revokedAt).toEqual(expect.any(String));
  });

  it('reads its own tenant usage', async () => {
    const usage = await eventually(async () => {
      const { data } = await owner.GET('/v1/tenants/{accountId}/usage', {
        params: { path: { accountId } },
      });
      return (data?.resources.workflows.used ?? 0) >= 1 ? data : undefined;
    });
    expectTypeOf(usage).toEqualTypeOf<AwpSchemas['UsageReport']>();
    expect(usage).toMatchObject({
      accountId,
      tier: 'free',
      status: 'active',
      resources: { executionsPerMonth: { used: 1, limit: 1_000 } },
    });
  });
});

describe('errors through the typed client', () => {
  it('are problems: 403 naming the permission a role lacks', async () => {
    const viewer = await clientFor(['viewer']);
    const { data, error, response } = await viewer.POST('/v1/workflows', {
      body: { document: doubler },
    });
    expect(data).toBeUndefined();
    expectTypeOf(error).toEqualTypeOf<Problem | undefined>();
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(error).toMatchObject({
      type: 'https://awp.dev/problems/forbidden',
      status: 403,
      field: 'workflow:write',
    });
  });

  it('are problems: 404 for what does not exist, and for another tenant’s', async () => {
    const owner = await clientFor(['owner']);
    const missing = await owner.GET('/v1/workflows/{workflowId}', {
      params: { path: { workflowId: '01900000-0000-7000-8000-000000000000' } },
    });
    expect(missing.error).toMatchObject({ status: 404, title: 'Not found' });
    const foreign = await owner.GET('/v1/tenants/{accountId}', {
      params: { path: { accountId: 'someone-else' } },
    });
    expect(foreign.error).toMatchObject({
      status: 404,
      detail: "tenant 'someone-else' does not exist",
    });
  });

  it('are problems: 400 naming the field', async () => {
    const owner = await clientFor(['owner']);
    const { error } = await owner.POST('/v1/api-keys', { body: { name: 'x', roles: [] } });
    expect(error).toMatchObject({
      status: 400,
      field: 'roles',
      detail: "invalid key: 'roles' must name at least one role",
      errors: [{ field: 'roles', message: 'must name at least one role' }],
    });
  });

  it('are problems: 401 without a credential', async () => {
    const anonymous = createAwpClient({ baseUrl: platform.url });
    const { error } = await anonymous.GET('/v1/secrets');
    expect(error).toMatchObject({ status: 401 });
  });
});

describe('the operator through the typed client', () => {
  it('registers, suspends and reads a tenant with AWP_ADMIN_TOKEN', async () => {
    const operator = createAwpClient({ baseUrl: platform.url, token: adminToken });
    const created = await operator.POST('/v1/tenants', {
      body: { name: 'Typed Tavern', tier: 'pro' },
    });
    expect(created.response.status).toBe(201);
    const id = created.data?.accountId ?? '';
    expect(created.response.headers.get('location')).toBe(`/v1/tenants/${id}`);

    const suspended = await operator.POST('/v1/admin/tenants/{accountId}/suspend', {
      params: { path: { accountId: id } },
      body: { reason: 'invoice unpaid' },
    });
    expectTypeOf(suspended.data).toEqualTypeOf<AwpSchemas['TenantStanding'] | undefined>();
    expect(suspended.data).toMatchObject({ status: 'suspended', tier: 'pro', version: 2 });

    const read = await eventually(async () => {
      const { data } = await operator.GET('/v1/admin/tenants/{accountId}', {
        params: { path: { accountId: id } },
      });
      return data?.version === 2 ? data : undefined;
    });
    expect(read).toMatchObject({ name: 'Typed Tavern', suspendedReason: 'invoice unpaid' });
  });

  it('refuses a tenant’s credential on operator actions', async () => {
    const owner = await clientFor(['owner']);
    const { error } = await owner.GET('/v1/tenants', { params: { query: { limit: 10 } } });
    expect(error).toMatchObject({ status: 401 });
  });
});
