import Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../infra/rateLimit/memoryRateLimiter.js';
import { edge } from '../edge/edge.js';
import { rateLimit } from './rateLimitMiddleware.js';

const tierLimits: Record<string, number> = { free: 2, pro: 4 };

/**
 * The real edge (problem+json for every error) in front of the middleware, as the gateway
 * mounts them: the refusal's headers must survive the edge's error handling. The caller names
 * its tenant and tier in headers, standing in for authentication.
 */
function limitedApp() {
  let routeCalls = 0;
  const router = new Router();
  router.get('/v1/things', function listThings(ctx) {
    routeCalls++;
    ctx.body = { things: [] };
  });
  const app = new Koa();
  app.silent = true;
  app.use(
    edge({ logger: pino({ level: 'silent' }), registry: new Registry(), quietPaths: new Set() }),
  );
  app.use(
    rateLimit({
      limiter: createMemoryRateLimiter(),
      policyFor(ctx) {
        const tenant = ctx.get('x-tenant');
        if (tenant === '') return undefined;
        return { key: `tenant:${tenant}`, limitPerMinute: tierLimits[ctx.get('x-tier')] ?? 1 };
      },
    }),
  );
  app.use(router.routes());
  return { callback: app.callback(), routeCalls: () => routeCalls };
}

const get = (app: ReturnType<typeof limitedApp>, tenant: string, tier = 'free') =>
  request(app.callback).get('/v1/things').set('x-tenant', tenant).set('x-tier', tier);

describe('rate limit middleware', () => {
  it('states the limit, what remains and the policy on every admitted response', async () => {
    const app = limitedApp();
    const first = await get(app, 'acme', 'pro').expect(200);
    const second = await get(app, 'acme', 'pro').expect(200);
    expect(first.headers).toMatchObject({
      'ratelimit-limit': '4',
      'ratelimit-remaining': '3',
      'ratelimit-policy': '4;w=60',
    });
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    expect(Number(first.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    expect(second.headers['ratelimit-remaining']).toBe('2');
    expect(first.headers['retry-after']).toBeUndefined();
  });

  it('refuses the request over the limit with a 429 problem carrying Retry-After and the RateLimit fields', async () => {
    const app = limitedApp();
    await get(app, 'acme').expect(200);
    await get(app, 'acme').expect(200);
    const refused = await get(app, 'acme').expect(429);

    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: 'https://awp.dev/problems/quota_exceeded',
      status: 429,
      instance: '/v1/things',
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.detail).toBe(
      `the account made more than 2 requests this minute (tier limit); retry in ${retryAfter} s`,
    );
    expect(refused.headers).toMatchObject({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(retryAfter),
      'ratelimit-policy': '2;w=60',
    });
  });

  it('does not run the route for a refused request', async () => {
    const app = limitedApp();
    for (let i = 0; i < 5; i++) await get(app, 'acme');
    expect(app.routeCalls()).toBe(2);
  });

  it('limits each tenant by its own budget and tier', async () => {
    const app = limitedApp();
    await get(app, 'acme').expect(200);
    await get(app, 'acme').expect(200);
    await get(app, 'acme').expect(429);
    await get(app, 'bakery').expect(200);
    const pro = [];
    for (let i = 0; i < 5; i++) pro.push((await get(app, 'cafe', 'pro')).status);
    expect(pro).toEqual([200, 200, 200, 200, 429]);
  });

  it('leaves requests without a policy unlimited and without RateLimit fields', async () => {
    const app = limitedApp();
    for (let i = 0; i < 5; i++) {
      const response = await request(app.callback).get('/v1/things').expect(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});
