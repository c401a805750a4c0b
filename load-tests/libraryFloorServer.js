// Second baseline for the authenticated gateway benchmark: the libraries AWP's gateway is built
// on, doing only what the figure names and nothing of AWP's own. Koa; a find-my-way route; the
// bearer JWT verified by jose once per token and then read from a map; rate-limiter-flexible's
// in-memory limiter with the four RateLimit-* headers; one pino access line to a batched
// synchronous destination; one prom-client histogram observation. No tenant standing, quota,
// permission, trace context, tsoa validation or problem handling. Whatever AWP costs beyond this
// server is its own code; what this server costs beyond bare Koa is the libraries'.
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { createLocalJWKSet, jwtVerify } from 'jose';
import findMyWay from 'find-my-way';
import Koa from 'koa';
import { pino } from 'pino';
import { Histogram, Registry } from 'prom-client';
import { RateLimiterMemory } from 'rate-limiter-flexible';

const { ISSUER, AUDIENCE, JWKS, BODY, PORT } = process.env;
const keys = createLocalJWKSet(JSON.parse(JWKS ?? '{"keys":[]}'));
const body = JSON.parse(BODY ?? '{}');
const logger = pino(
  { base: { service: 'floor' } },
  pino.destination({ dest: 1, sync: true, minLength: 4096 }),
);
setInterval(() => logger.flush(), 200).unref();
const duration = new Histogram({
  name: 'floor_http_request_duration_seconds',
  help: 'request duration',
  labelNames: ['method', 'route', 'status'],
  registers: [new Registry()],
});
const limitPerMinute = 100_000_000;
const limiter = new RateLimiterMemory({ points: limitPerMinute, duration: 60 });
const router = findMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
router.on('GET', '/v1/workflows/:workflowId', () => undefined, { authenticated: true });
router.on('GET', '/readyz', () => undefined, { authenticated: false });
const verified = new Map();

const app = new Koa();
app.use(async function accessLine(ctx, next) {
  const started = performance.now();
  await next();
  const ms = performance.now() - started;
  duration.labels(ctx.method, '/v1/workflows/:workflowId', String(ctx.status)).observe(ms / 1000);
  logger.info(
    {
      method: ctx.method,
      path: ctx.path,
      status: ctx.status,
      durationMs: Math.round(ms * 100) / 100,
    },
    'request',
  );
});
app.use(async function gate(ctx, next) {
  const route = router.find(ctx.method, ctx.path);
  if (!route) return; // 404
  if (!route.store.authenticated) {
    ctx.body = 'ready';
    return;
  }
  const token = ctx.get('authorization').slice('Bearer '.length);
  let claims = verified.get(token);
  if (!claims) {
    try {
      claims = (await jwtVerify(token, keys, { issuer: ISSUER, audience: AUDIENCE })).payload;
    } catch {
      ctx.status = 401;
      return;
    }
    verified.set(token, claims);
  }
  if (claims.exp * 1000 <= Date.now()) {
    ctx.status = 401;
    return;
  }
  const taken = await limiter.consume(String(claims.awp_account));
  ctx.set({
    'RateLimit-Limit': String(limitPerMinute),
    'RateLimit-Remaining': String(taken.remainingPoints),
    'RateLimit-Reset': String(Math.ceil(taken.msBeforeNext / 1000)),
    'RateLimit-Policy': `${limitPerMinute};w=60`,
  });
  ctx.body = body;
  await next();
});
app.listen(Number(PORT), '127.0.0.1');
