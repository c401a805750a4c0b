import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { TraceContext } from './traceContext.js';

/**
 * One line per request with its correlation id, status and duration. A child logger on
 * `ctx.state.log` lets handlers log with the same fields.
 */
export function requestLog(logger: Logger): Middleware {
  return async function requestLogMiddleware(ctx, next) {
    const started = process.hrtime.bigint();
    const trace = ctx.state.trace as TraceContext;
    const log = logger.child({
      correlationId: trace.traceId,
      traceparent: `00-${trace.traceId}-${trace.spanId}-${trace.flags}`,
    });
    ctx.state.log = log;
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const accountId = ctx.state.requestContext?.accountId;
      log.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          durationMs: Math.round(durationMs * 100) / 100,
          ...(accountId ? { accountId } : {}),
        },
        'request',
      );
    }
  };
}
