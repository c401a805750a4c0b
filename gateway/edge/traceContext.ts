import { randomFillSync } from 'node:crypto';
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
 * Random ids are cut from a pool refilled 8 KiB at a time: one call into the CSPRNG per ~340
 * requests instead of one or two per request, which was the edge's largest single cost.
 */
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * Joins the caller's trace or starts one. The trace id is the correlation id carried by every
 * log line and event of this request; the response's `traceparent` names our own span.
 */
export function beginTrace(ctx: Context): TraceContext {
  const incoming = parseTraceparent(ctx.get('traceparent') || undefined);
  const traceId = incoming?.traceId ?? randomHex(16);
  const spanId = randomHex(8);
  const flags = incoming?.flags ?? '01';
  const traceparent = `00-${traceId}-${spanId}-${flags}`;
  ctx.set('traceparent', traceparent);
  return { traceId, spanId, flags, traceparent };
}
