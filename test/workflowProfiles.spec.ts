import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccountAuthenticator } from '../gateway/index.js';
import { orderInput, orderWorkflow } from './durability/orderWorkflow.js';
import { eventually } from './support/eventually.js';
import { describeWithServices } from './support/realServices.js';
import {
  startFlakyServer,
  startInventoryApi,
  startKitchenApi,
  startPosApi,
} from './support/servers/index.js';
import type { FlakyServer, InventoryApi, KitchenApi, PosApi } from './support/servers/index.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { ProfileName, TestPlatform } from './support/testPlatform.js';

/**
 * The workflow slice over a real HTTP port on both profiles: a workflow created through the API
 * runs against the kitchen, inventory and POS stand-ins and a flaky server, and every event it
 * writes travels the bus (in-process, or Kafka as Avro) to the projections.
 */
function workflowSliceSuite(profile: ProfileName): void {
  let platform: TestPlatform;
  let pos: PosApi;
  let inventory: InventoryApi;
  let kitchen: KitchenApi;
  let flaky: FlakyServer;
  const account = `acme-${profile}`;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        'x-awp-account': account,
        ...(init.headers ?? {}),
      },
    });
  const json = async <T>(response: Response) => (await response.json()) as T;

  async function runToEnd(document: string, input: unknown) {
    const created = await api('/v1/workflows', {
      method: 'POST',
      body: JSON.stringify({ document }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { workflowId } = await json<{ workflowId: string }>(created);
    const started = await api(`/v1/workflows/${workflowId}/executions`, {
      method: 'POST',
      body: JSON.stringify({ input }),
    });
    expect(started.status).toBe(202);
    const { executionId } = await json<{ executionId: string }>(started);
    const view = await eventually(
      async () => {
        const current = await json<{ status: string }>(await api(`/v1/executions/${executionId}`));
        return ['completed', 'faulted', 'cancelled'].includes(current.status) ? current : undefined;
      },
      { timeoutMs: 60_000 },
    );
    return { workflowId, executionId, view: view as Record<string, unknown> };
  }

  beforeAll(async () => {
    [pos, inventory, kitchen, flaky] = await Promise.all([
      startPosApi(),
      startInventoryApi(),
      startKitchenApi({ capacity: 10 }),
      startFlakyServer(),
    ]);
    platform = await startTestPlatform(
      profile,
      { AWP_OUTBOUND_ALLOW_HOSTS: '127.0.0.1' },
      { authenticator: devAccountAuthenticator },
    );
    // The account's own secrets, written through the API the way a tenant stores them.
    const secrets = {
      pos: { token: pos.token },
      inventoryKey: inventory.apiKey,
      kitchenToken: kitchen.token,
    };
    for (const [name, value] of Object.entries(secrets)) {
      const stored = await api(`/v1/secrets/${name}`, {
        method: 'PUT',
        body: JSON.stringify({ value }),
      });
      expect(stored.status, await stored.clone().text()).toBe(201);
    }
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([pos?.close(), inventory?.close(), kitchen?.close(), flaky?.close()]);
  });

  it('runs the order intake against the customer APIs, each side effect once', async () => {
    const document = orderWorkflow({
      pos: pos.baseUrl,
      inventory: inventory.baseUrl,
      kitchen: kitchen.baseUrl,
    }).replace('name: order-intake', `name: order-intake-${profile}`);
    const before = { orders: pos.sideEffects.length, schedules: kitchen.sideEffects.length };
    const { view, executionId, workflowId } = await runToEnd(document, orderInput);
    expect(view).toMatchObject({ status: 'completed', output: { status: 'scheduled' } });
    expect(pos.sideEffects.length - before.orders).toBe(1);
    expect(kitchen.sideEffects.length - before.schedules).toBe(1);
    const tasks = (view.tasks as Array<{ name: string; status: string }>).filter(
      (task) => task.status === 'completed',
    );
    expect(tasks.map((task) => task.name)).toEqual(
      expect.arrayContaining([
        'createOrder',
        'reserveItem',
        'letItSettle',
        'scheduleKitchen',
        'summarize',
      ]),
    );

    // The definition reached the read model through the bus (Kafka as Avro when distributed).
    await eventually(async () => {
      const page = await json<{ items: Array<{ workflowId: string }> }>(await api('/v1/workflows'));
      return page.items.some((item) => item.workflowId === workflowId) ? true : undefined;
    });
    // And so did every execution event, up to the last one, decoded by the projection consumer.
    const stream = await json<{ events: Array<{ eventId: string; type: string }> }>(
      await fetch(`${platform.url}/v1/admin/streams/execution-${executionId}/events`),
    );
    const types = stream.events.map((event) => event.type);
    expect(types[0]).toBe('WorkflowExecutionStarted');
    expect(types).toEqual(
      expect.arrayContaining(['TaskStarted', 'TaskCompleted', 'TimerScheduled', 'TimerFired']),
    );
    expect(types.at(-1)).toBe('WorkflowCompleted');
    const last = stream.events.at(-1)?.eventId;
    await eventually(async () => {
      const { projections } = await json<{
        projections: Array<{ name: string; lastEventId: string | null }>;
      }>(await fetch(`${platform.url}/v1/admin/projections`));
      const definitions = projections.find(
        (projection) => projection.name === 'workflow.definitions',
      );
      return definitions?.lastEventId === last ? true : undefined;
    });
  });

  it('retries a flaky dependency with one Idempotency-Key and faults with the last error when it never recovers', async () => {
    flaky.script(`/notify-${profile}`, [
      { status: 503 },
      { status: 503 },
      { status: 200, body: { ok: true } },
    ]);
    flaky.script(`/down-${profile}`, [
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 503 },
    ]);
    const workflow = (name: string, path: string) => `
document: { dsl: '1.0.3', namespace: acme, name: ${name}-${profile}, version: '1.0.0' }
do:
  - notify:
      try:
        - send:
            call: http
            with: { method: post, endpoint: ${flaky.baseUrl}${path}, body: { hello: world } }
      catch:
        errors: { with: { status: 503 } }
        retry: { delay: { milliseconds: 20 }, backoff: { exponential: {} }, limit: { attempt: { count: 2 } } }
`;
    const recovered = await runToEnd(workflow('notify', `/notify-${profile}`), {});
    expect(recovered.view).toMatchObject({ status: 'completed', output: { ok: true } });
    const keys = flaky
      .attemptsAt(`/notify-${profile}`)
      .map((attempt) => attempt.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);

    const down = await runToEnd(workflow('down', `/down-${profile}`), {});
    expect(down.view).toMatchObject({
      status: 'faulted',
      error: { status: 503, type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication' },
    });
  });

  it('keeps another account out', async () => {
    const { executionId } = await runToEnd(
      `document: { dsl: '1.0.3', namespace: acme, name: private-${profile}, version: '1.0.0' }\ndo:\n  - a: { set: { secret: private-value-7731 } }\n`,
      {},
    );
    const other = await fetch(`${platform.url}/v1/executions/${executionId}`, {
      headers: { 'x-awp-account': 'someone-else' },
    });
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain('private-value-7731');
  });
}

describe('workflow slice, embedded profile', () => workflowSliceSuite('embedded'));
describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'workflow slice on PostgreSQL, Kafka and Redis',
  () => workflowSliceSuite('distributed'),
);
