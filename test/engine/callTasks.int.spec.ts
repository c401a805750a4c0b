import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sendJson,
  startFlakyServer,
  startHttpServer,
  startPosApi,
} from '../support/servers/index.js';
import type { FlakyServer, PosApi, StartedHttpServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { errorType, httpCall, task, workflow, workflowOf } from './workflows.js';

/** `call: openapi` and `call: http` against local stand-ins for customer APIs. */
let engine: EngineUnderTest;
let pos: PosApi;
let flaky: FlakyServer;
let echo: StartedHttpServer;

beforeAll(async () => {
  pos = await startPosApi({ token: 'pos-t0ken' });
  flaky = await startFlakyServer();
  echo = await startHttpServer(function echoRequest(request, response) {
    if (request.path === '/text') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.from([0, 1, 2, 250]));
      return;
    }
    sendJson(response, 200, {
      path: request.path,
      query: request.query,
      trace: request.headers['x-trace'] ?? null,
    });
  });
  engine = await startEngineUnderTest({
    allowHosts: ['127.0.0.1'],
    secrets: { posCredentials: { token: 'pos-t0ken' } },
  });
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([pos?.close(), flaky?.close(), echo?.close()]);
});

describe('call openapi', () => {
  it('creates an order with a body and reads it back by path parameter, with bearer auth from a secret', async () => {
    const document = { endpoint: `${pos.baseUrl}/openapi.json` };
    const result = await engine.run(
      workflow({
        use: {
          secrets: ['posCredentials'],
          authentications: { pos: { bearer: { use: 'posCredentials' } } },
        },
        do: [
          task('create', {
            call: 'openapi',
            with: {
              document,
              operationId: 'createOrder',
              parameters: { customer: { name: '${ .customer }' }, items: '${ .items }' },
              authentication: { use: 'pos' },
            },
          }),
          task('fetch', {
            call: 'openapi',
            with: {
              document,
              operationId: 'getOrder',
              parameters: { orderId: '${ .orderId }' },
              authentication: { use: 'pos' },
            },
          }),
        ],
      }),
      { customer: 'Ada', items: [{ sku: 'pizza-margherita', quantity: 2 }] },
    );
    expect(result.status).toBe('completed');
    expect(result.output).toMatchObject({
      orderId: 'ord-1',
      status: 'received',
      customer: { name: 'Ada' },
      items: [{ sku: 'pizza-margherita', quantity: 2 }],
    });
    const calls = pos.requests.filter((r) => r.path.startsWith('/orders'));
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /orders',
      'GET /orders/ord-1',
    ]);
    expect(calls.map((r) => r.headers.authorization)).toEqual([
      'Bearer pos-t0ken',
      'Bearer pos-t0ken',
    ]);
    expect(pos.sideEffects).toEqual([
      {
        operationId: 'createOrder',
        resourceId: 'ord-1',
        idempotencyKey: expect.any(String) as string,
      },
    ]);
  });

  it('faults with the API’s status when the operation answers an error', async () => {
    const result = await engine.run(
      workflowOf(
        task('fetch', {
          call: 'openapi',
          with: {
            document: { endpoint: `${pos.baseUrl}/openapi.json` },
            operationId: 'getOrder',
            parameters: { orderId: 'nope' },
          },
        }),
      ),
      {},
    );
    expect(result.error).toMatchObject({
      type: errorType('communication'),
      status: 401,
      instance: '/do/0/fetch',
    });
  });
});

describe('call http', () => {
  it('sends evaluated query parameters and headers', async () => {
    const result = await engine.run(
      workflowOf(
        task(
          'search',
          httpCall({
            endpoint: `${echo.baseUrl}/search`,
            query: { q: '${ .term }', page: '2' },
            headers: { 'X-Trace': '${ .trace }' },
          }),
        ),
      ),
      { term: 'pizza & pasta', trace: 't-1' },
    );
    expect(result.output).toEqual({
      path: '/search',
      query: { q: 'pizza & pasta', page: '2' },
      trace: 't-1',
    });
  });

  it('with output response, outputs the request, status code, headers and content', async () => {
    const result = await engine.run(
      workflowOf(task('look', httpCall({ endpoint: `${echo.baseUrl}/thing`, output: 'response' }))),
      {},
    );
    expect(result.output).toMatchObject({
      request: { method: 'get', uri: `${echo.baseUrl}/thing` },
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      content: { path: '/thing' },
    });
  });

  it('with output raw, outputs the body as base64', async () => {
    const result = await engine.run(
      workflowOf(task('bytes', httpCall({ endpoint: `${echo.baseUrl}/text`, output: 'raw' }))),
      {},
    );
    expect(result.output).toBe(Buffer.from([0, 1, 2, 250]).toString('base64'));
  });

  it('without redirect, faults on a 302 with a communication error carrying status 302', async () => {
    flaky.script('/moved-away', { redirect: '/new-home', status: 302 });
    flaky.script('/new-home', { status: 200, body: { home: true } });
    const result = await engine.run(
      workflowOf(task('go', httpCall({ endpoint: `${flaky.baseUrl}/moved-away` }))),
      {},
    );
    expect(result.error).toMatchObject({
      type: errorType('communication'),
      status: 302,
      instance: '/do/0/go',
    });
    expect(flaky.attemptsAt('/new-home')).toHaveLength(0);
  });

  it('with redirect true, follows the 302 to its target', async () => {
    flaky.script('/moved', { redirect: '/home', status: 302 });
    flaky.script('/home', { status: 200, body: { home: true } });
    const result = await engine.run(
      workflowOf(task('go', httpCall({ endpoint: `${flaky.baseUrl}/moved`, redirect: true }))),
      {},
    );
    expect(result.output).toEqual({ home: true });
    expect(flaky.attemptsAt('/home')).toHaveLength(1);
  });

  it('posts a JSON body built from expressions', async () => {
    const result = await engine.run(
      workflowOf(
        task('send', {
          call: 'http',
          with: {
            method: 'post',
            endpoint: `${echo.baseUrl}/ingest`,
            body: { id: '${ .id }', tags: ['a', '${ .tag }'] },
          },
        }),
      ),
      { id: 7, tag: 'b' },
    );
    expect(result.status).toBe('completed');
    const sent = echo.requests.find((r) => r.path === '/ingest');
    expect(sent?.body).toEqual({ id: 7, tags: ['a', 'b'] });
    expect(sent?.headers['content-type']).toBe('application/json');
  });
});
