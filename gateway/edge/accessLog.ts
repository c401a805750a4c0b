import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { TraceContext } from './traceContext.js';

/**
 * One line per request with its correlation id, status and duration. Requests to `quietPaths`
 * (health probes and metric scrapes: every few seconds per replica, from machines) are logged at
 * debug, so they neither drown the access log nor pay its cost.
 */
export function createAccessLog(logger: Logger, quietPaths: ReadonlySet<string>) {
  return function logRequest(ctx: Context, trace: TraceContext, durationMs: number): void {
    const level = quietPaths.has(ctx.path) && ctx.status < 500 ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const accountId = ctx.state.requestContext?.accountId as string | undefined;
    logger[level](
      {
        correlationId: trace.traceId,
        traceparent: trace.traceparent,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        durationMs: Math.round(durationMs * 100) / 100,
        ...(accountId ? { accountId } : {}),
      },
      'request',
    );
  };
}
