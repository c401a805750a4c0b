import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startHttpServer } from '../support/servers/index.js';
import type { StartedHttpServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflow } from './workflows.js';
import type { Json } from './workflows.js';

/** Secrets reach the services that need them and never the event log. */
const token = 'sup3r-s3cret-t0ken';
const plain = 'an0ther-s3cret';
let engine: EngineUnderTest;
let api: StartedHttpServer;

beforeAll(async () => {
  api = await startHttpServer(function echoCredentials(request, response) {
    const status = request.path.startsWith('/fail') ? 503 : 200;
    sendJson(response, status, {
      path: request.path,
      authorization: request.headers.authorization ?? null,
      apiKey: request.headers['x-api-key'] ?? null,
    });
  });
  engine = await startEngineUnderTest({
    allowHosts: ['127.0.0.1'],
    secrets: { api: { token }, plain },
  });
});

afterAll(async () => {
  await engine?.stop();
  await api?.close();
});

/** A workflow that may use both secrets, `api` as bearer authentication `apiAuth`. */
const withSecrets = (...tasks: Json[]) =>
  workflow({
    use: { secrets: ['api', 'plain'], authentications: { apiAuth: { bearer: { use: 'api' } } } },
    do: tasks,
  });

const authenticatedCall = (path: string, extra: Json = {}) =>
  httpCall({
    endpoint: { uri: `${api.baseUrl}${path}`, authentication: { use: 'apiAuth' } },
    headers: { 'X-Api-Key': '${ $secrets.plain }' },
    ...extra,
  });

async function expectNoSecretInEvents(executionId: string): Promise<string[]> {
  const events = await engine.events(executionId);
  for (const event of events) {
    const text = JSON.stringify(event);
    expect(text, `${event.type} holds a secret`).not.toContain(token);
    expect(text, `${event.type} holds a secret`).not.toContain(plain);
  }
  return events.map((event) => event.type);
}

describe('using secrets', () => {
  it('sends the bearer token of a secret and a $secrets value in a header', async () => {
    const result = await engine.run(withSecrets(task('call', authenticatedCall('/orders'))), {});
    expect(result.status).toBe('completed');
    const sent = api.requests.find((r) => r.path === '/orders');
    expect(sent?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent?.headers['x-api-key']).toBe(plain);
    await expectNoSecretInEvents(result.executionId);
  });

  it('faults with an authorization error 403 when bearer authentication names a secret that does not exist', async () => {
    const result = await engine.run(
      workflow({
        use: { secrets: ['missing'], authentications: { gone: { bearer: { use: 'missing' } } } },
        do: [
          task(
            'call',
            httpCall({
              endpoint: { uri: `${api.baseUrl}/nobody`, authentication: { use: 'gone' } },
            }),
          ),
        ],
      }),
      {},
    );
    expect(result.error).toMatchObject({ type: errorType('authorization'), status: 403 });
    expect(api.requests.some((r) => r.path === '/nobody')).toBe(false);
  });
});

describe('keeping secrets out of the event log', () => {
  it('records a task output, the context and the workflow output that hold a secret as ***', async () => {
    const result = await engine.run(
      withSecrets(
        task('leak', {
          set: { leaked: '${ $secrets.plain }', nested: { token: '${ $secrets.api.token }' } },
          export: { as: '${ { kept: .leaked } }' },
        }),
      ),
      {},
    );
    expect(result.output).toEqual({ leaked: '***', nested: { token: '***' } });
    const types = await expectNoSecretInEvents(result.executionId);
    expect(types).toEqual(['WorkflowExecutionStarted', 'TaskCompleted', 'WorkflowCompleted']);
  });

  it('records an output: response of an authenticated call without the credentials it sent or got back', async () => {
    const result = await engine.run(
      withSecrets(task('call', authenticatedCall('/echo', { output: 'response' }))),
      {},
    );
    const output = result.output as {
      request: { headers: Record<string, string> };
      content: Record<string, unknown>;
    };
    expect(output.request.headers.authorization).toBe('***');
    expect(output.content).toMatchObject({ authorization: 'Bearer ***', apiKey: '***' });
    await expectNoSecretInEvents(result.executionId);
  });

  it('records errors whose detail would hold a secret without it, in faults, retry timers and the failure', async () => {
    const result = await engine.run(
      withSecrets(
        task('guarded', {
          try: [
            task(
              'call',
              authenticatedCall('/fail', {
                endpoint: `\${ "${api.baseUrl}/fail/" + $secrets.plain }`,
              }),
            ),
          ],
          catch: {
            retry: { delay: { milliseconds: 10 }, limit: { attempt: { count: 1 } } },
            do: [task('recover', { set: { recovered: true } })],
          },
        }),
        task('refuse', {
          raise: {
            error: {
              type: errorType('runtime'),
              status: 500,
              detail: '${ "token was " + $secrets.api.token }',
            },
          },
        }),
      ),
      {},
    );
    expect(result.error).toMatchObject({ status: 500, detail: 'token was ***' });
    const types = await expectNoSecretInEvents(result.executionId);
    expect(types).toEqual(
      expect.arrayContaining(['TaskFaulted', 'TimerScheduled', 'WorkflowFailed']),
    );
    expect(api.requests.filter((r) => r.path === `/fail/${plain}`)).toHaveLength(2);
  });

  it('records an emitted CloudEvent that carries a secret without it', async () => {
    const result = await engine.run(
      withSecrets(
        task('tell', {
          emit: {
            event: {
              with: {
                source: 'https://awp.test',
                type: 'test.secret',
                data: { key: '${ $secrets.plain }' },
              },
            },
          },
        }),
      ),
      {},
    );
    expect(result.status).toBe('completed');
    await expectNoSecretInEvents(result.executionId);
  });
});
