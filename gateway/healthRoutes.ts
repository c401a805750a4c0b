import type { Context, Middleware } from 'koa';
import type { Registry } from 'prom-client';

/** A dependency /readyz checks, e.g. the database; `check` throws when it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const checkTimeoutMs = 2_000;

async function runCheck(check: ReadinessCheck): Promise<{ name: string; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${checkTimeoutMs} ms`)),
      checkTimeoutMs,
    );
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name };
  } catch (error) {
    return { name: check.name, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness, readiness and Prometheus metrics: what an orchestrator and a scraper need. Matched
 * by exact path rather than through the router: probes are the most frequent requests of all.
 */
export function healthEndpoints(checks: readonly ReadinessCheck[], registry: Registry): Middleware {
  const endpoints: Record<string, (ctx: Context) => Promise<void> | void> = {
    '/healthz': function healthz(ctx) {
      ctx.body = { status: 'ok' };
    },
    '/readyz': async function readyz(ctx) {
      const results = await Promise.all(checks.map(runCheck));
      const failing = results.filter((r) => r.error !== undefined);
      const summary = Object.fromEntries(results.map((r) => [r.name, r.error ?? 'ok']));
      if (failing.length === 0) {
        ctx.body = { status: 'ready', checks: summary };
        return;
      }
      ctx.status = 503;
      ctx.type = 'application/problem+json';
      ctx.body = {
        type: 'https://awp.dev/problems/unavailable',
        title: 'Not ready',
        status: 503,
        detail: `unreachable: ${failing.map((f) => `${f.name} (${f.error})`).join(', ')}`,
        instance: ctx.path,
        checks: summary,
      };
    },
    '/metrics': async function metrics(ctx) {
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    },
  };
  return async function healthEndpointsMiddleware(ctx, next) {
    const endpoint = Object.hasOwn(endpoints, ctx.path) ? endpoints[ctx.path] : undefined;
    if (!endpoint) return next();
    ctx.state.route = ctx.path;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.throw(405, `${ctx.method} is not allowed on ${ctx.path}`);
    }
    await endpoint(ctx);
  };
}
