import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { AwpError } from '../../contracts/index.js';

/**
 * Who may use /v1/admin (every tenant's events, projection rebuilds): a caller presenting
 * `AWP_ADMIN_TOKEN` as a bearer token, or — when no token is configured, as on a developer's
 * embedded install — only clients on this machine.
 */
export function adminAccess(token: string | undefined): Middleware {
  const expected = token === undefined ? undefined : Buffer.from(token, 'utf8');
  return async function adminAccessMiddleware(ctx, next) {
    if (expected === undefined) {
      if (!isLoopback(ctx.socket.remoteAddress)) {
        throw new AwpError(
          'forbidden',
          'the admin API answers only local clients until AWP_ADMIN_TOKEN is set',
        );
      }
      return next();
    }
    const presented = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
    if (presented === undefined) {
      throw new AwpError(
        'unauthorized',
        'the admin API needs "Authorization: Bearer <AWP_ADMIN_TOKEN>"',
      );
    }
    if (!sameSecret(Buffer.from(presented, 'utf8'), expected)) {
      throw new AwpError('unauthorized', 'the admin token is not valid');
    }
    return next();
  };
}

/** Constant-time, so response timing does not reveal how much of the token matched. */
export function sameSecret(presented: Buffer, expected: Buffer): boolean {
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
