import Router from '@koa/router';
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
 * Liveness, readiness and Prometheus metrics: what an orchestrator and a scraper need. Public:
 * the gateway serves them before authentication.
 */
export function createHealthRouter(checks: readonly ReadinessCheck[], registry: Registry): Router {
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async function readyz(ctx) {
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
  });
  router.get('/metrics', async function metrics(ctx) {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}
