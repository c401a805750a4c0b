import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acme, hourlong, startWorkflowApi } from './workflowApiHarness.js';
import type { WorkflowApiHarness } from './workflowApiHarness.js';

/**
 * Every endpoint of the workflow API against the ways a request goes wrong: no account, another
 * tenant's resource, an unknown id, malformed or oversized bodies, invalid parameters. Each
 * answer is RFC 9457 problem+json from the gateway's one table.
 */
let api: WorkflowApiHarness;
let workflowId: string;
let executionId: string;
const globex = 'globex';
const unknownId = '00000000-0000-7000-8000-000000000000';
const bodyLimitBytes = 4 * 1024;

beforeAll(async () => {
  api = await startWorkflowApi({ bodyLimitBytes });
  workflowId = await api.createWorkflow(hourlong('guarded'));
  executionId = await api.startExecution(workflowId);
  await api.executionWhen(executionId, 'waiting');
  await api.project();
});

afterAll(async () => {
  await api?.stop();
});

interface Endpoint {
  method: 'get' | 'post';
  path: (ids: { workflowId: string; executionId: string }) => string;
  body?: object;
}

const endpoints: Endpoint[] = [
  { method: 'post', path: () => '/v1/workflows', body: { document: hourlong('x') } },
  { method: 'get', path: () => '/v1/workflows' },
  { method: 'get', path: (i) => `/v1/workflows/${i.workflowId}` },
  {
    method: 'post',
    path: (i) => `/v1/workflows/${i.workflowId}/versions`,
    body: { document: 'x' },
  },
  { method: 'get', path: (i) => `/v1/workflows/${i.workflowId}/versions/1.0.0` },
  { method: 'post', path: (i) => `/v1/workflows/${i.workflowId}/executions`, body: { input: {} } },
  { method: 'get', path: () => '/v1/executions' },
  { method: 'get', path: (i) => `/v1/executions/${i.executionId}` },
  { method: 'get', path: (i) => `/v1/executions/${i.executionId}/events` },
  { method: 'post', path: (i) => `/v1/executions/${i.executionId}/cancel`, body: {} },
  { method: 'post', path: (i) => `/v1/executions/${i.executionId}/suspend`, body: {} },
  { method: 'post', path: (i) => `/v1/executions/${i.executionId}/resume`, body: {} },
  {
    method: 'post',
    path: () => '/v1/events',
    body: { specversion: '1.0', id: 'e', source: '/s', type: 't' },
  },
];
const withIds = endpoints.filter((e) =>
  e.path({ workflowId: 'W', executionId: 'E' }).match(/[WE]/),
);
const posts = endpoints.filter((e) => e.method === 'post');
const label = (e: Endpoint) =>
  `${e.method.toUpperCase()} ${e.path({ workflowId: '{id}', executionId: '{id}' })}`;

function send(endpoint: Endpoint, ids: { workflowId: string; executionId: string }) {
  const call = api.http[endpoint.method](endpoint.path(ids));
  return endpoint.body ? call.send(endpoint.body) : call;
}

const problem = /application\/problem\+json/;

describe('workflow API errors', () => {
  it.each(endpoints.map((e) => [label(e), e] as const))(
    '%s without an account answers 401',
    async (_, endpoint) => {
      const response = await send(endpoint, { workflowId, executionId }).expect(401);
      expect(response.headers['content-type']).toMatch(problem);
      expect(response.body.type).toBe('https://awp.dev/problems/unauthorized');
    },
  );

  it.each(withIds.map((e) => [label(e), e] as const))(
    '%s on another tenant’s resource answers 404 and shows nothing of it',
    async (_, endpoint) => {
      const response = await send(endpoint, { workflowId, executionId })
        .set('X-AWP-Account', globex)
        .expect(404);
      expect(response.headers['content-type']).toMatch(problem);
      expect(JSON.stringify(response.body)).not.toContain('guarded');
    },
  );

  it.each(withIds.map((e) => [label(e), e] as const))(
    '%s with an unknown id answers 404',
    async (_, endpoint) => {
      const response = await send(endpoint, { workflowId: unknownId, executionId: unknownId })
        .set('X-AWP-Account', acme)
        .expect(404);
      expect(response.body.type).toBe('https://awp.dev/problems/not_found');
    },
  );

  it.each(posts.map((e) => [label(e), e] as const))(
    '%s with malformed JSON answers 400',
    async (_, endpoint) => {
      const response = await api.http
        .post(endpoint.path({ workflowId, executionId }))
        .set('X-AWP-Account', acme)
        .set('content-type', 'application/json')
        .send('{"document": ')
        .expect(400);
      expect(response.headers['content-type']).toMatch(problem);
    },
  );

  it.each(posts.map((e) => [label(e), e] as const))(
    '%s with a body over the limit answers 413',
    async (_, endpoint) => {
      const response = await api.http
        .post(endpoint.path({ workflowId, executionId }))
        .set('X-AWP-Account', acme)
        .send({ document: 'x'.repeat(bodyLimitBytes + 1) })
        .expect(413);
      expect(response.body.type).toBe('https://awp.dev/problems/payload_too_large');
    },
  );

  it('lists nothing of another tenant', async () => {
    const workflows = await api.http.get('/v1/workflows').set('X-AWP-Account', globex).expect(200);
    expect(workflows.body).toEqual({ items: [], next: null });
    const executions = await api.http.get('/v1/executions').set('X-AWP-Account', globex);
    expect(executions.body).toEqual({ items: [], next: null });
  });

  it('names the field of each invalid parameter or body property', async () => {
    const limit = await api.http
      .get('/v1/workflows?limit=0')
      .set('X-AWP-Account', acme)
      .expect(400);
    expect(limit.body).toMatchObject({
      type: 'https://awp.dev/problems/validation',
      field: 'limit',
    });
    const status = await api.http.get('/v1/executions?status=sleeping').set('X-AWP-Account', acme);
    expect(status.body.field).toBe('status');
    const missing = await api.http
      .post('/v1/workflows')
      .set('X-AWP-Account', acme)
      .send({})
      .expect(400);
    expect(missing.body.errors).toEqual([{ field: 'document', message: 'is required' }]);
    const extra = await api.http
      .post(`/v1/workflows/${workflowId}/executions`)
      .set('X-AWP-Account', acme)
      .send({ input: {}, priority: 'high' })
      .expect(400);
    expect(JSON.stringify(extra.body.errors)).toContain('priority');
  });

  it('answers 405 for a wrong method and 404 for an unknown path, as problems', async () => {
    await api.http.delete('/v1/workflows').set('X-AWP-Account', acme).expect(405);
    const unknown = await api.http.get('/v1/workflows/a/b/c').set('X-AWP-Account', acme);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(problem);
  });
});

describe('the interim X-AWP-Account authenticator', () => {
  it.each(['Acme Corp', 'a'.repeat(65), 'acme_corp'])(
    'refuses the account %j with 401',
    async (account) => {
      const response = await api.http
        .get('/v1/workflows')
        .set('X-AWP-Account', account)
        .expect(401);
      expect(response.body.field).toBe('X-AWP-Account');
    },
  );

  it('takes a UUID account and records X-AWP-User as the actor', async () => {
    const account = '0193b6d2-5c1e-7a4b-9f00-3c2d1e0f4a5b';
    const started = await api.http
      .post(`/v1/workflows/${await api.createWorkflow(hourlong('by-ada'), account)}/executions`)
      .set('X-AWP-Account', account.toUpperCase())
      .set('X-AWP-User', 'ada@acme.example')
      .send({ input: {} })
      .expect(202);
    const [first] = await api.engine.readEvents(started.body.executionId as string);
    expect(first).toMatchObject({
      accountId: account,
      actor: { type: 'user', id: 'ada@acme.example' },
    });
  });
});
