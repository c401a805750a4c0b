import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

/** W3C Trace Context: version-traceid-parentid-flags, lower-case hex, all-zero ids invalid. */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
  /** Our own `traceparent`, as returned to the caller and written to logs. */
  traceparent: string;
}

export function parseTraceparent(
  header: string | undefined,
): Omit<TraceContext, 'traceparent'> | null {
  const match = header ? traceparentPattern.exec(header.trim()) : null;
  if (!match) return null;
  const [, traceId, parentId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return null;
  return { traceId, spanId: parentId, flags };
}

/**
 * 32 random hex digits. randomUUID draws from a cached entropy pool, several times cheaper per
 * request than randomBytes; its fixed version/variant nibbles do not matter for a trace id.
 */
function randomHex32(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * Joins the caller's trace or starts one. The trace id is the correlation id carried by every
 * log line and event of this request; the response's `traceparent` names our own span.
 */
export function beginTrace(ctx: Context): TraceContext {
  const incoming = parseTraceparent(ctx.get('traceparent') || undefined);
  const traceId = incoming?.traceId ?? randomHex32();
  const spanId = randomHex32().slice(0, 16);
  const flags = incoming?.flags ?? '01';
  const traceparent = `00-${traceId}-${spanId}-${flags}`;
  ctx.set('traceparent', traceparent);
  return { traceId, spanId, flags, traceparent };
}
