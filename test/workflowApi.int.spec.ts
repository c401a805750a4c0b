import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowApiRouter } from '../domains/workflow/api/index.js';
import { startPosApi } from './support/servers/index.js';
import type { PosApi } from './support/servers/index.js';
import { acme, startWorkflowApi, workflow } from './workflowApiHarness.js';
import type { WorkflowApiHarness } from './workflowApiHarness.js';

/**
 * The workflow API end to end in one process (see workflowApiHarness.ts): definitions and
 * versions, then executions, one of them calling a real HTTP server through the SSRF guard.
 */
let pos: PosApi;
let api: WorkflowApiHarness;

beforeAll(async () => {
  pos = await startPosApi();
  api = await startWorkflowApi({ allowHosts: [new URL(pos.baseUrl).host] });
});

afterAll(async () => {
  await api?.stop();
  await pos?.close();
});

const greeter = (version = '1.0.0') =>
  workflow(
    'greeter',
    version,
    `  - greet:\n      set:\n        greeting: '\${ "Hello, " + .name }'`,
  );

describe('workflow definitions', () => {
  it('creates a workflow and answers 201 with its details and Location', async () => {
    const response = await api.http
      .post('/v1/workflows')
      .set('X-AWP-Account', acme)
      .send({ document: greeter() })
      .expect(201);
    expect(response.headers.location).toBe(`/v1/workflows/${response.body.workflowId}`);
    expect(response.body).toMatchObject({
      namespace: 'api-test',
      name: 'greeter',
      latestVersion: '1.0.0',
      versions: [{ version: '1.0.0', breaking: false }],
    });
  });

  it('refuses a second workflow with the same namespace and name with 409', async () => {
    const response = await api.http
      .post('/v1/workflows')
      .set('X-AWP-Account', acme)
      .send({ document: greeter('2.0.0') })
      .expect(409);
    expect(response.body.type).toBe('https://awp.dev/problems/conflict');
  });

  it('refuses an invalid document with each problem at its line and column', async () => {
    const document = workflow(
      'broken',
      '1.0.0',
      '  - first:\n      set: { a: 1 }\n      then: nowhere',
    );
    const response = await api.http
      .post('/v1/workflows')
      .set('X-AWP-Account', acme)
      .send({ document })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(response.body.field).toBe('document');
    expect(response.body.errors).toContainEqual(
      expect.objectContaining({
        field: '/do/0/first/then',
        line: 6,
        column: 13,
        code: 'then-target-missing',
      }),
    );
  });

  it('adds versions, lists the account’s workflows and returns each version’s text', async () => {
    const workflowId = await api.createWorkflow(
      workflow('versioned', '1.0.0', '  - a:\n      set: { x: 1 }'),
    );
    const v2 = workflow(
      'versioned',
      '1.1.0',
      '  - a:\n      set: { x: 1 }\n  - b:\n      set: { x: 1 }',
    );
    const added = await api.http
      .post(`/v1/workflows/${workflowId}/versions`)
      .set('X-AWP-Account', acme)
      .send({ document: v2 })
      .expect(201);
    expect(added.body.versions.map((v: { version: string }) => v.version)).toEqual([
      '1.0.0',
      '1.1.0',
    ]);
    await api.http
      .post(`/v1/workflows/${workflowId}/versions`)
      .set('X-AWP-Account', acme)
      .send({ document: v2 })
      .expect(409);
    const renamed = workflow('other-name', '2.0.0', '  - a:\n      set: { x: 1 }');
    await api.http
      .post(`/v1/workflows/${workflowId}/versions`)
      .set('X-AWP-Account', acme)
      .send({ document: renamed })
      .expect(400);

    await api.project();
    const list = await api.http.get('/v1/workflows?limit=1').set('X-AWP-Account', acme).expect(200);
    expect(list.body.items).toHaveLength(1);
    const next = await api.http
      .get(`/v1/workflows?limit=200&after=${list.body.next as string}`)
      .set('X-AWP-Account', acme)
      .expect(200);
    expect(next.body.items.map((w: { workflowId: string }) => w.workflowId)).toContain(workflowId);
    expect(next.body.next).toBeNull();

    const details = await api.http.get(`/v1/workflows/${workflowId}`).set('X-AWP-Account', acme);
    expect(details.body.latestVersion).toBe('1.1.0');
    const text = await api.http
      .get(`/v1/workflows/${workflowId}/versions/1.0.0`)
      .set('X-AWP-Account', acme)
      .expect(200);
    expect(text.body).toEqual({
      workflowId,
      version: '1.0.0',
      document: workflow('versioned', '1.0.0', '  - a:\n      set: { x: 1 }'),
    });
    const latest = await api.http
      .get(`/v1/workflows/${workflowId}/versions/latest`)
      .set('X-AWP-Account', acme);
    expect(latest.body.version).toBe('1.1.0');
  });

  it('takes the raw document as application/yaml once the gateway reads YAML as text', async () => {
    // gateway/middleware/jsonBody.ts answers 415 to any body but JSON today, so the router is
    // mounted here behind a parser that hands YAML over as text, as the gateway would then.
    const app = new Koa();
    app.use(bodyParser({ enableTypes: ['json', 'text'], extendTypes: { text: ['text/yaml'] } }));
    app.use(async function asAcme(ctx, next) {
      ctx.state.requestContext = {
        correlationId: 'c',
        actor: { type: 'user', id: 'u' },
        accountId: acme,
        roles: ['editor'],
      };
      await next();
    });
    app.use(
      createWorkflowApiRouter({
        registry: api.registry,
        engine: api.engine,
        outboundPolicies: api.outboundPolicies,
      }).routes(),
    );
    const response = await request(app.callback())
      .post('/v1/workflows')
      .set('content-type', 'text/yaml')
      .send(workflow('from-yaml', '1.0.0', '  - a:\n      set: { x: 1 }'))
      .expect(201);
    expect(response.body).toMatchObject({ name: 'from-yaml', latestVersion: '1.0.0' });
  });
});

describe('executions', () => {
  it('starts an execution with 202 and shows its output and task history', async () => {
    const workflowId = await api.createWorkflow(
      workflow(
        'hello',
        '1.0.0',
        `  - greet:\n      set:\n        greeting: '\${ "Hello, " + .name }'`,
      ),
    );
    const started = await api.http
      .post(`/v1/workflows/${workflowId}/executions`)
      .set('X-AWP-Account', acme)
      .send({ input: { name: 'Ada' } })
      .expect(202);
    const { executionId } = started.body;
    expect(started.headers.location).toBe(`/v1/executions/${executionId}`);
    expect(started.body.links).toEqual({
      self: `/v1/executions/${executionId}`,
      events: `/v1/executions/${executionId}/events`,
      workflow: `/v1/workflows/${workflowId}`,
    });
    const view = await api.executionWhen(executionId, 'completed');
    expect(view).toMatchObject({
      workflowId,
      workflowVersion: '1.0.0',
      input: { name: 'Ada' },
      output: { greeting: 'Hello, Ada' },
      taskCount: 1,
      tasks: [{ name: 'greet', kind: 'set', status: 'completed' }],
    });
    const capped = await api.http
      .get(`/v1/executions/${executionId}?tasks=0`)
      .set('X-AWP-Account', acme);
    expect(capped.body).toMatchObject({ tasks: [], taskCount: 1 });

    const list = await api.http
      .get(`/v1/executions?workflowId=${workflowId}&status=completed`)
      .set('X-AWP-Account', acme)
      .expect(200);
    expect(list.body).toMatchObject({ items: [{ executionId, workflowId }], next: null });
  });

  it('runs a workflow that calls a local HTTP API', async () => {
    const workflowId = await api.createWorkflow(
      workflow(
        'pos-order',
        '1.0.0',
        `  - createOrder:
      call: http
      with:
        method: post
        endpoint: ${pos.baseUrl}/orders
        headers:
          authorization: Bearer ${pos.token}
        body:
          customer: { name: Ada }
          items: [{ sku: bun, quantity: 2 }]
      output:
        as: '{ orderId: .orderId, status: .status }'`,
      ),
    );
    const executionId = await api.startExecution(workflowId);
    const view = await api.executionWhen(executionId, 'completed');
    expect(view.output).toEqual({ orderId: 'ord-1', status: 'received' });
    expect(pos.orders.get('ord-1')?.customer).toEqual({ name: 'Ada' });
  });
});
