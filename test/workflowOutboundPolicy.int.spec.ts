import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { sendJson, startHttpServer } from './support/servers/index.js';
import type { StartedHttpServer } from './support/servers/index.js';
import { startWorkflowApi } from './workflowApiHarness.js';
import type { WorkflowApiHarness } from './workflowApiHarness.js';

/**
 * Each account's outbound allow-list: set through the API, applied by the SSRF guard to that
 * account's workflows only.
 */
describe('the outbound allow-list of an account', () => {
  let api: WorkflowApiHarness;
  let customer: StartedHttpServer;
  const policy = (account: string) =>
    api.http.get('/v1/outbound-policy').set('X-AWP-Account', account);
  const setPolicy = (account: string, allowHosts: unknown) =>
    api.http.put('/v1/outbound-policy').set('X-AWP-Account', account).send({ allowHosts });

  beforeAll(async () => {
    customer = await startHttpServer((_request, response) => sendJson(response, 200, { ok: true }));
    api = await startWorkflowApi();
  });
  afterAll(async () => {
    await api?.stop();
    await customer?.close();
  });

  const callingWorkflow = (name: string) => `
document: { dsl: '1.0.3', namespace: policy, name: ${name}, version: '1.0.0' }
do:
  - ping:
      call: http
      with: { method: get, endpoint: ${customer.baseUrl}/ping }
`;

  async function runAs(account: string, name: string) {
    const workflowId = await api.createWorkflow(callingWorkflow(name), account);
    const started = await api.http
      .post(`/v1/workflows/${workflowId}/executions`)
      .set('X-AWP-Account', account)
      .send({ input: {} })
      .expect(202);
    return eventually(async () => {
      const view = await api.http
        .get(`/v1/executions/${started.body.executionId}`)
        .set('X-AWP-Account', account);
      return ['completed', 'faulted'].includes(view.body.status) ? view.body : undefined;
    });
  }

  it('is empty until the account sets one', async () => {
    const response = await policy('fresh-account').expect(200);
    expect(response.body).toEqual({ allowHosts: [], version: 0 });
  });

  it('lets only the account that allowed a loopback host call it', async () => {
    const host = new URL(customer.baseUrl).host;
    const set = await setPolicy('allowing', [host, '10.0.0.0/8']).expect(200);
    expect(set.body).toEqual({ allowHosts: [host, '10.0.0.0/8'], version: 1 });
    expect((await policy('allowing')).body.allowHosts).toEqual([host, '10.0.0.0/8']);

    const allowed = await runAs('allowing', 'ping-allowed');
    expect(allowed).toMatchObject({ status: 'completed', output: { ok: true } });
    const refused = await runAs('refusing', 'ping-refused');
    expect(refused).toMatchObject({ status: 'faulted', error: { status: 403 } });
    expect((await policy('refusing')).body.allowHosts).toEqual([]);
  });

  it('refuses entries the SSRF guard cannot read, naming each', async () => {
    const response = await setPolicy('typo-account', ['api.example.com', 'not a host!']).expect(
      400,
    );
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.body)).toContain('allowHosts[1]');
    expect((await policy('typo-account')).body.version).toBe(0);
  });

  it('refuses a body that is not a list of strings, and more than 100 entries', async () => {
    await setPolicy('shape-account', 'api.example.com').expect(400);
    await setPolicy('shape-account', [42]).expect(400);
    await setPolicy(
      'shape-account',
      Array.from({ length: 101 }, (_, i) => `host${i}.example.com`),
    ).expect(400);
  });

  it('answers 401 without an account', async () => {
    await api.http.get('/v1/outbound-policy').expect(401);
    await api.http.put('/v1/outbound-policy').send({ allowHosts: [] }).expect(401);
  });
});
