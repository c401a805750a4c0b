import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGrants, roles } from '../../contracts/index.js';
import type { Role } from '../../contracts/index.js';
import type { DevIssuer } from '../../infra/auth/devIssuer.js';
import { eventually } from '../support/eventually.js';
import { startTestPlatform } from '../support/testPlatform.js';
import { startFakeOpenAiServer } from '../support/fakeLlm/index.js';
import type { FakeOpenAiServer } from '../support/fakeLlm/index.js';
import type { TestPlatform } from '../support/testPlatform.js';
import { tenantEndpoints, urlOf } from './endpointCatalog.js';
import type { Endpoint, ResourceIds } from './endpointCatalog.js';

/**
 * Authorization over every tenant-scoped endpoint, on the real platform: the role matrix (each
 * role gets exactly what `contracts/permissions.ts` grants), tenant isolation (another
 * tenant's resources answer 404 and show nothing), and the audit trail of denials.
 */
let platform: TestPlatform;
let embeddings: FakeOpenAiServer;
let dev: DevIssuer;
const tokens = new Map<string, string>();

async function tokenFor(accountId: string, role: Role): Promise<string> {
  const key = `${accountId}/${role}`;
  const cached = tokens.get(key);
  if (cached) return cached;
  const token = await dev.sign({
    accountId,
    roles: [role],
    userId: `${role}-of-${accountId}`,
    ttlSeconds: 900,
  });
  tokens.set(key, token);
  return token;
}

async function call(token: string | undefined, method: string, path: string, body?: unknown) {
  const controller = new AbortController();
  const response = await fetch(`${platform.url}${path}`, {
    method,
    signal: controller.signal,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // An event stream stays open; its status and headers are all a matrix needs.
  const text = response.headers.get('content-type')?.includes('text/event-stream')
    ? (controller.abort(), '')
    : await response.text();
  return { status: response.status, text, headers: response.headers };
}

const workflowDocument = (name: string, version = '1.0.0') => `
document: { dsl: '1.0.3', namespace: authz, name: ${name}, version: '${version}' }
do:
  - pause: { wait: { seconds: 30 } }
`;

/** An account with one of each resource, created by its owner. */
async function seedAccount(accountId: string): Promise<ResourceIds> {
  const owner = await tokenFor(accountId, 'owner');
  const created = await call(owner, 'POST', '/v1/workflows', {
    document: workflowDocument(`seed-${accountId}`),
  });
  expect(created.status, created.text).toBe(201);
  const { workflowId } = JSON.parse(created.text) as { workflowId: string };
  const started = await call(owner, 'POST', `/v1/workflows/${workflowId}/executions`, {
    input: {},
  });
  expect(started.status, started.text).toBe(202);
  const { executionId } = JSON.parse(started.text) as { executionId: string };
  expect(
    (
      await call(owner, 'PUT', `/v1/secrets/seed_${accountId.replace(/-/g, '_')}`, {
        value: 's3cr3t',
      })
    ).status,
  ).toBe(201);
  const key = await call(owner, 'POST', '/v1/api-keys', { name: 'seed', roles: ['viewer'] });
  expect(key.status, key.text).toBe(201);
  const { keyId } = JSON.parse(key.text) as { keyId: string };
  const { conversationId, messageId } = await seedConversation(owner, accountId);
  return {
    workflowId,
    version: '1.0.0',
    executionId,
    name: `seed_${accountId.replace(/-/g, '_')}`,
    keyId,
    accountId,
    conversationId,
    messageId,
  };
}

/**
 * A conversation with one message. No model provider is configured here, so the reply may fail
 * (503) once the message is recorded; the message's id is read back from the conversation.
 */
async function seedConversation(owner: string, accountId: string) {
  const started = await call(owner, 'POST', '/v1/conversations', { title: `seed-${accountId}` });
  expect(started.status, started.text).toBe(201);
  const { conversationId } = JSON.parse(started.text) as { conversationId: string };
  const posted = await call(owner, 'POST', `/v1/conversations/${conversationId}/messages`, {
    content: `seed-${accountId} needs an intake workflow`,
  });
  expect([201, 503], posted.text).toContain(posted.status);
  const details = await call(owner, 'GET', `/v1/conversations/${conversationId}`);
  const { messages } = JSON.parse(details.text) as { messages: Array<{ messageId: string }> };
  return { conversationId, messageId: messages[0]?.messageId ?? '' };
}

beforeAll(async () => {
  // Embeddings from the fake vendor, so the memory endpoints answer for real.
  embeddings = await startFakeOpenAiServer();
  // Generous request budgets: the matrix sends a few hundred requests in a minute.
  platform = await startTestPlatform('embedded', {
    AWP_TIER_LIMITS: JSON.stringify({ free: { apiRequestsPerMinute: 100_000 } }),
    AWP_EMBEDDINGS_PROVIDER: 'openai',
    AWP_EMBEDDINGS_BASE_URL: embeddings.baseUrl,
    AWP_EMBEDDINGS_API_KEY: embeddings.apiKey,
    AWP_EMBEDDINGS_MODEL: 'fake-embeddings',
    AWP_EMBEDDINGS_DIMENSIONS: '8',
  });
  if (!platform.devIssuer) throw new Error('the embedded platform trusts a development issuer');
  dev = platform.devIssuer;
});
afterAll(async () => {
  await platform?.stop();
  await embeddings?.close();
});

describe('the role matrix', () => {
  let ids: ResourceIds;
  beforeAll(async () => {
    ids = await seedAccount('matrix-co');
  });

  const endpoints = tenantEndpoints();
  it.each(roles)('grants %s exactly the permissions of the matrix', async (role) => {
    const token = await tokenFor('matrix-co', role);
    const outcomes: string[] = [];
    for (const endpoint of endpoints) {
      const response = await call(
        token,
        endpoint.method,
        urlOf(endpoint, ids),
        bodyFor(endpoint, ids),
      );
      const granted = roleGrants(role, endpoint.permission);
      const where = `${role}: ${endpoint.method} ${endpoint.path} (${endpoint.permission}) → ${response.status} ${response.text.slice(0, 200)}`;
      if (granted) {
        expect([401, 403], where).not.toContain(response.status);
      } else {
        expect(response.status, where).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.text, where).toContain(endpoint.permission);
      }
      outcomes.push(where);
    }
    expect(outcomes).toHaveLength(endpoints.length);
  });

  it('asks for credentials on every endpoint: 401 without any', async () => {
    for (const endpoint of endpoints) {
      const response = await call(
        undefined,
        endpoint.method,
        urlOf(endpoint, ids),
        bodyFor(endpoint, ids),
      );
      expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(401);
    }
  });

  it('records each denial as an AuthEvent naming the permission', async () => {
    const viewer = await tokenFor('matrix-co', 'viewer');
    expect((await call(viewer, 'PUT', '/v1/outbound-policy', { allowHosts: [] })).status).toBe(403);
    const entry = await eventually(async () => {
      const log = await call(
        undefined,
        'GET',
        '/v1/admin/events?type=AuthEvent&account=matrix-co&limit=1000',
      );
      const { events } = JSON.parse(log.text) as {
        events: Array<{ actor: { id: string }; data: Record<string, unknown> }>;
      };
      return events.find(
        (e) =>
          e.data.outcome === 'forbidden' &&
          e.data.permission === 'policy:write' &&
          e.actor.id === 'viewer-of-matrix-co',
      );
    });
    expect(entry).toMatchObject({
      actor: { id: 'viewer-of-matrix-co' },
      data: { method: 'oidc', roles: ['viewer'] },
    });
    expect(JSON.stringify(entry)).not.toContain(viewer);
  });
});

describe('tenant isolation', () => {
  let a: ResourceIds;
  beforeAll(async () => {
    a = await seedAccount('tenant-a');
  });

  // A PUT of a secret or an agent names the caller's own: B writing `seed_tenant_a` makes B's.
  const writesOwn = (endpoint: Endpoint) =>
    endpoint.method === 'PUT' &&
    (endpoint.path === '/v1/secrets/{name}' || endpoint.path === '/v1/agents/{agentId}');
  const withIds = tenantEndpoints().filter(
    (endpoint) => endpoint.path.includes('{') && !writesOwn(endpoint),
  );
  const lists = tenantEndpoints().filter(
    (endpoint) => endpoint.method === 'GET' && !endpoint.path.includes('{'),
  );

  it("answers 404 to tenant B on every one of tenant A's resources, and leaks nothing", async () => {
    const b = await tokenFor('tenant-b', 'owner');
    for (const endpoint of withIds) {
      const response = await call(b, endpoint.method, urlOf(endpoint, a), bodyFor(endpoint, a));
      const where = `${endpoint.method} ${endpoint.path} → ${response.status} ${response.text.slice(0, 200)}`;
      expect(response.status, where).toBe(404);
      expect(response.text, where).not.toContain('s3cr3t');
      expect(response.text, where).not.toContain('seed-tenant-a');
    }
    // And nothing of A changed: its execution still waits, its secret and key are there.
    const owner = await tokenFor('tenant-a', 'owner');
    const execution = await call(owner, 'GET', `/v1/executions/${a.executionId}`);
    expect(JSON.parse(execution.text)).toMatchObject({ status: 'waiting' });
    expect(JSON.parse((await call(owner, 'GET', `/v1/secrets/${a.name}`)).text)).toMatchObject({
      version: 1,
      updatedBy: { id: 'owner-of-tenant-a' },
    });
    const keys = JSON.parse((await call(owner, 'GET', '/v1/api-keys')).text) as {
      items: Array<{ keyId: string; revokedAt: string | null }>;
    };
    expect(keys.items.find((k) => k.keyId === a.keyId)?.revokedAt).toBeNull();
  });

  it("lists none of tenant A's resources to tenant B", async () => {
    const b = await tokenFor('tenant-b', 'owner');
    for (const endpoint of lists) {
      const response = await call(b, 'GET', `${endpoint.path}${endpoint.query ?? ''}`);
      const where = `${endpoint.path} → ${response.status}`;
      expect(response.status, where).toBe(200);
      for (const id of [
        a.workflowId,
        a.executionId,
        a.name,
        a.keyId,
        a.conversationId,
        'seed-tenant-a',
      ]) {
        expect(response.text, where).not.toContain(id);
      }
    }
  });
});

describe('API keys', () => {
  it('authenticate as their account and roles, are shown once, and stop working when revoked', async () => {
    const owner = await tokenFor('keys-co', 'owner');
    const created = await call(owner, 'POST', '/v1/api-keys', { name: 'ci', roles: ['operator'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { key, keyId } = JSON.parse(created.text) as { key: string; keyId: string };
    expect(key).toMatch(/^awp_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);

    expect((await call(key, 'GET', '/v1/executions')).status).toBe(200);
    expect(
      (await call(key, 'POST', '/v1/workflows', { document: workflowDocument('by-key') })).status,
    ).toBe(403);
    const listed = await call(owner, 'GET', '/v1/api-keys');
    expect(listed.text).toContain(keyId);
    expect(listed.text).not.toContain(key.slice(30));

    const altered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect((await call(altered, 'GET', '/v1/executions')).status).toBe(401);
    expect((await call(owner, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(204);
    await eventually(async () =>
      (await call(key, 'GET', '/v1/executions')).status === 401 ? true : undefined,
    );
  });

  it('are never stronger than their creator: an admin cannot make an owner key', async () => {
    const admin = await tokenFor('keys-co', 'admin');
    const refused = await call(admin, 'POST', '/v1/api-keys', { name: 'x', roles: ['owner'] });
    expect(refused.status).toBe(403);
    const allowed = await call(admin, 'POST', '/v1/api-keys', { name: 'x', roles: ['admin'] });
    expect(allowed.status).toBe(201);
  });

  it('refuse malformed requests', async () => {
    const owner = await tokenFor('keys-co', 'owner');
    for (const body of [
      {},
      { name: '', roles: ['viewer'] },
      { name: 'x', roles: [] },
      { name: 'x', roles: ['root'] },
      { name: 'x'.repeat(101), roles: ['viewer'] },
      { name: 'x', roles: ['viewer'], extra: 1 },
    ]) {
      const response = await call(owner, 'POST', '/v1/api-keys', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(owner, 'DELETE', '/v1/api-keys/not-a-key-id')).status).toBe(400);
    expect((await call(owner, 'DELETE', '/v1/api-keys/0123456789abcdef01234567')).status).toBe(404);
  });
});

function bodyFor(endpoint: Endpoint, ids: ResourceIds): unknown {
  if (endpoint.path === '/v1/conversations/{conversationId}/branches') {
    return { fromMessageId: ids.messageId };
  }
  if (endpoint.path === '/v1/workflows/{workflowId}/versions') {
    return { document: workflowDocument(`seed-${ids.accountId}`, `1.0.${Date.now() % 100_000}`) };
  }
  return endpoint.body;
}
