import Router from '@koa/router';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AwpError } from '../contracts/index.js';
import { createRedisCache } from '../infra/cache/redisCache.js';
import { createGateway } from './app.js';
import type { Authenticator, ReadinessCheck } from './app.js';

function gatewayWith(
  options: {
    readiness?: ReadinessCheck[];
    bodyLimitBytes?: number;
    authenticator?: Authenticator;
  } = {},
) {
  const router = new Router();
  router.post('/echo', function echo(ctx) {
    ctx.body = { received: ctx.request.body, actor: ctx.state.requestContext.actor };
  });
  router.get('/boom', function boom() {
    throw new Error('database password is hunter2');
  });
  router.get('/missing', function missing() {
    throw new AwpError('not_found', "workflow 'order-intake' does not exist");
  });
  return createGateway({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    readiness: options.readiness ?? [{ name: 'database', check: async () => undefined }],
    routers: [router],
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
  }).callback();
}

const problemType = /application\/problem\+json/;

describe('gateway', () => {
  it('answers /healthz while the process is up', async () => {
    const response = await request(gatewayWith()).get('/healthz').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('reports ready when every dependency answers', async () => {
    const response = await request(gatewayWith()).get('/readyz').expect(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('answers /readyz with 503 naming the dependency that is down', async () => {
    // A real Redis client aimed at a port where nothing listens.
    const cache = createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:' });
    const app = gatewayWith({
      readiness: [
        { name: 'database', check: async () => undefined },
        { name: 'cache', check: () => cache.ping() },
      ],
    });
    const response = await request(app)
      .get('/readyz')
      .expect(503)
      .expect('content-type', problemType);
    expect(response.body.checks.database).toBe('ok');
    expect(response.body.checks.cache).not.toBe('ok');
    expect(response.body.detail).toContain('cache');
    await cache.close();
  });

  it('serves Prometheus metrics including request durations', async () => {
    const app = gatewayWith();
    await request(app).get('/healthz');
    const response = await request(app).get('/metrics').expect(200);
    expect(response.text).toContain('awp_http_request_duration_seconds_bucket');
    expect(response.text).toMatch(/route="\/healthz"/);
  });

  it('continues the caller trace and returns its own span in traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await request(gatewayWith())
      .get('/healthz')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    expect(response.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(response.headers.traceparent).not.toContain('00f067aa0ba902b7');
  });

  it('starts a new trace when traceparent is malformed', async () => {
    const response = await request(gatewayWith()).get('/healthz').set('traceparent', 'garbage');
    expect(response.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await request(gatewayWith()).get('/nowhere').expect(404);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.body).toMatchObject({ status: 404, detail: 'no route for GET /nowhere' });
  });

  it('answers a wrong method with a 405 problem naming the allowed ones', async () => {
    const response = await request(gatewayWith()).delete('/echo').expect(405);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.headers.allow).toBe('POST');
    expect(response.body.detail).toBe('DELETE is not allowed on /echo');
  });

  it('answers a malformed or oversized path with a 404 problem, not a fault', async () => {
    for (const path of ['/missing%zz', `/missing/${'a'.repeat(5_000)}`, '/%E0%A4%A']) {
      const response = await request(gatewayWith()).get(path).expect(404);
      expect(response.headers['content-type']).toMatch(problemType);
    }
  });

  it('answers OPTIONS with the methods a path allows', async () => {
    const response = await request(gatewayWith()).options('/missing').expect(200);
    expect(response.headers.allow).toBe('HEAD, GET');
  });

  it('answers a method no route can have with 501', async () => {
    const response = await request(gatewayWith()).propfind('/echo').expect(501);
    expect(response.headers['content-type']).toMatch(problemType);
  });

  it('serves public paths, and refuses their wrong methods, without asking for credentials', async () => {
    const refuseEveryone: Authenticator = {
      async authenticate() {
        throw new AwpError('unauthorized', 'no credentials');
      },
    };
    const app = gatewayWith({ authenticator: refuseEveryone });
    await request(app).get('/healthz').expect(200);
    const wrongMethod = await request(app).post('/healthz').expect(405);
    expect(wrongMethod.headers.allow).toBe('HEAD, GET');
    // Everything else asks first: a refused caller learns nothing about the path.
    await request(app).delete('/echo').expect(401);
    await request(app).get('/nowhere').expect(401);
  });

  it('maps domain errors through the one problem table', async () => {
    const response = await request(gatewayWith()).get('/missing').expect(404);
    expect(response.body).toMatchObject({
      type: 'https://awp.dev/problems/not_found',
      detail: "workflow 'order-intake' does not exist",
      instance: '/missing',
    });
  });

  it('hides the message of unexpected errors', async () => {
    const response = await request(gatewayWith()).get('/boom').expect(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });

  it('refuses a body over the configured limit with 413', async () => {
    const app = gatewayWith({ bodyLimitBytes: 64 });
    const response = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(200) }))
      .expect(413);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.body.detail).toContain('size limit');
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await request(gatewayWith())
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(problemType);
    expect(response.body.detail).toContain('not valid JSON');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await request(gatewayWith())
      .post('/echo')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('name=acme')
      .expect(415);
    expect(response.headers['content-type']).toMatch(problemType);
  });

  it('passes the authenticated actor to routes', async () => {
    const response = await request(gatewayWith()).post('/echo').send({ a: 1 }).expect(200);
    expect(response.body).toEqual({ received: { a: 1 }, actor: { type: 'user', id: 'anonymous' } });
  });
});
