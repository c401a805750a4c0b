import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminAccess, isLoopback } from './adminAccess.js';

/** A bare app whose only route sits behind the admin guard; errors surface as status codes. */
function guarded(token: string | undefined, remoteAddress?: string) {
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (remoteAddress) Object.defineProperty(ctx.socket, 'remoteAddress', { value: remoteAddress });
    try {
      await next();
    } catch (error) {
      const code = (error as { code?: string }).code;
      ctx.status = code === 'unauthorized' ? 401 : code === 'forbidden' ? 403 : 500;
      ctx.body = { detail: (error as Error).message };
    }
  });
  app.use(adminAccess(token));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  return app.callback();
}

describe('admin access', () => {
  it('recognises loopback addresses, including IPv4-mapped IPv6', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(address), address).toBe(true);
    }
    for (const address of ['10.0.0.5', '::ffff:10.0.0.5', '192.168.1.1', 'fe80::1', undefined]) {
      expect(isLoopback(address), String(address)).toBe(false);
    }
  });

  it('without a token, serves local clients and refuses remote ones with 403', async () => {
    await request(guarded(undefined)).get('/').expect(200);
    const remote = await request(guarded(undefined, '10.0.0.5')).get('/').expect(403);
    expect(remote.body.detail).toContain('AWP_ADMIN_TOKEN');
  });

  it('with a token, requires it from everyone, local or not', async () => {
    const token = 'a-long-enough-admin-token';
    await request(guarded(token)).get('/').expect(401);
    await request(guarded(token)).get('/').set('authorization', 'Bearer wrong').expect(401);
    await request(guarded(token)).get('/').set('authorization', `Basic ${token}`).expect(401);
    await request(guarded(token, '10.0.0.5'))
      .get('/')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
  });
});
