import type { Middleware } from 'koa';
import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * Request duration by method, matched route and status. The route template (not the raw path)
 * keeps label cardinality bounded however many ids clients send.
 */
export function httpMetrics(registry: Registry): Middleware {
  const duration = new Histogram({
    name: 'awp_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return async function httpMetricsMiddleware(ctx, next) {
    const end = duration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: String(route), status: String(ctx.status) });
    }
  };
}
