import type { Context } from 'koa';
import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * Request duration by method, matched route and status. The route template (not the raw path)
 * keeps label cardinality bounded however many ids clients send. Label children are cached:
 * resolving labels on every observation is a measurable share of a cheap request.
 */
export function createRequestMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'awp_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const children = new Map<string, { observe(value: number): void }>();
  return function recordRequest(ctx: Context, durationMs: number): void {
    const route = (ctx.state.route as string | undefined) ?? 'unmatched';
    const key = `${ctx.method} ${route} ${ctx.status}`;
    let child = children.get(key);
    if (!child) {
      child = duration.labels(ctx.method, route, String(ctx.status));
      children.set(key, child);
    }
    child.observe(durationMs / 1000);
  };
}
