import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';

/** W3C Trace Context: version-traceid-parentid-flags, lower-case hex, all-zero ids invalid. */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

export function parseTraceparent(header: string | undefined): TraceContext | null {
  const match = header ? traceparentPattern.exec(header.trim()) : null;
  if (!match) return null;
  const [, traceId, parentId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return null;
  return { traceId, spanId: parentId, flags };
}

/**
 * Joins the caller's trace or starts one. The trace id is the correlation id carried by every
 * log line and event of this request; the response's `traceparent` names our own span.
 */
export function traceContext(): Middleware {
  return async function traceContextMiddleware(ctx, next) {
    const incoming = parseTraceparent(ctx.get('traceparent') || undefined);
    const traceId = incoming?.traceId ?? randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const flags = incoming?.flags ?? '01';
    ctx.state.trace = { traceId, spanId, flags } satisfies TraceContext;
    ctx.set('traceparent', `00-${traceId}-${spanId}-${flags}`);
    await next();
  };
}
