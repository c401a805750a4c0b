import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch, interceptors, request } from 'undici';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import type { HostResolver } from './guardedLookup.js';
import { guardedRequest } from './guardedRequest.js';
import type { OutboundPolicy } from './outboundPolicy.js';
import { createGuardedDispatcher } from './ssrfGuard.js';

/** A real HTTP server on 127.0.0.1 that records what reaches it. */
interface LocalServer {
  readonly port: number;
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  connections: number;
  close(): Promise<void>;
}

async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<LocalServer> {
  const seen: LocalServer['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      handle(req, res, body);
    });
  });
  const local = {
    port: 0,
    seen,
    connections: 0,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  server.on('connection', () => (local.connections += 1));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  server.unref();
  local.port = (server.address() as AddressInfo).port;
  return local;
}

/** `/to?location=…` redirects there (status from `status=`); anything else echoes the request. */
function redirectingOrEcho(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://local');
  const location = url.searchParams.get('location');
  if (url.pathname === '/to' && location !== null) {
    res.writeHead(Number(url.searchParams.get('status') ?? 302), { location }).end();
  } else if (url.pathname === '/loop') {
    res.writeHead(302, { location: '/loop' }).end();
  } else if (url.pathname === '/no-location') {
    res.writeHead(302).end('moved, somewhere');
  } else {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, path: url.pathname, headers: req.headers, body }));
  }
}

const resolve: HostResolver = async (hostname) =>
  hostname === 'internal.customer.test' ? [{ address: '10.0.0.5', family: 4 }] : [];

describe('guardedRequest', () => {
  let allowed: LocalServer;
  let forbidden: LocalServer;
  const dispatchers: Dispatcher[] = [];

  function context(allowHosts: string[]): { dispatcher: Dispatcher; policy: OutboundPolicy } {
    const policy = { allowHosts };
    const dispatcher = createGuardedDispatcher(policy, { resolve, connectTimeoutMs: 2_000 });
    dispatchers.push(dispatcher);
    return { dispatcher, policy };
  }
  const onlyAllowed = () => context([`127.0.0.1:${allowed.port}`]);
  const redirectTo = (location: string, status = 302) =>
    `http://127.0.0.1:${allowed.port}/to?status=${status}&location=${encodeURIComponent(location)}`;

  async function refusal(call: Promise<unknown>): Promise<AwpError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AwpError);
    return error as AwpError;
  }

  beforeAll(async () => {
    allowed = await startServer(redirectingOrEcho);
    forbidden = await startServer(redirectingOrEcho);
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await Promise.all([allowed.close(), forbidden.close()]);
  });

  it('follows a redirect on an allowed host and reports where it ended', async () => {
    const response = await guardedRequest(redirectTo('/final'), {}, onlyAllowed());
    expect(response.statusCode).toBe(200);
    expect(((await response.body.json()) as { path: string }).path).toBe('/final');
    expect(response.url.href).toBe(`http://127.0.0.1:${allowed.port}/final`);
    expect(response.redirects.map(String)).toEqual([`http://127.0.0.1:${allowed.port}/final`]);
  });

  it('refuses a 302 from an allowed host to a port the allow-list does not name', async () => {
    const error = await refusal(
      guardedRequest(redirectTo(`http://127.0.0.1:${forbidden.port}/admin`), {}, onlyAllowed()),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      `outbound call to http://127.0.0.1:${forbidden.port} refused: 127.0.0.1 is a loopback address; a tenant admin can allow it in the outbound allow-list`,
    );
    expect(forbidden.connections).toBe(0);
  });

  it.each([
    ['http://10.0.0.5/', '10.0.0.5 is a private address'],
    ['http://169.254.169.254/latest/meta-data/iam/', '169.254.169.254 is a cloud metadata address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is an IPv4-mapped form of 127.0.0.1'],
    ['http://metadata.google.internal/', 'metadata.google.internal is a cloud metadata endpoint'],
    [
      'http://internal.customer.test/',
      'internal.customer.test resolves to 10.0.0.5, a private address',
    ],
    ['file:///etc/passwd', 'only http and https are allowed'],
  ])('refuses a redirect to %s', async (location, reason) => {
    const error = await refusal(guardedRequest(redirectTo(location), {}, onlyAllowed()));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(`refused: ${reason}`);
  });

  it('refuses a redirect carrying credentials, even back to the allowed host', async () => {
    const location = `http://admin:hunter2@127.0.0.1:${allowed.port}/final`;
    const error = await refusal(guardedRequest(redirectTo(location), {}, onlyAllowed()));
    expect(error.message).toContain('the URL carries credentials');
    expect(error.message).not.toMatch(/admin|hunter2/);
  });

  it('drops credentials when a redirect changes origin and keeps them when it does not', async () => {
    const headers = {
      authorization: 'Bearer secret-token',
      cookie: 'session=abc',
      'idempotency-key': 'exec-1:/do/0/call:1',
      'x-trace': 't-1',
    };
    const both = context(['127.0.0.0/8']);
    const across = await guardedRequest(
      redirectTo(`http://127.0.0.1:${forbidden.port}/final`),
      { headers },
      both,
    );
    const seenAcross = ((await across.body.json()) as { headers: Record<string, string> }).headers;
    expect(seenAcross).not.toHaveProperty('authorization');
    expect(seenAcross).not.toHaveProperty('cookie');
    expect(seenAcross).toMatchObject({
      'idempotency-key': 'exec-1:/do/0/call:1',
      'x-trace': 't-1',
    });

    const same = await guardedRequest(redirectTo('/final'), { headers }, both);
    const seenSame = ((await same.body.json()) as { headers: Record<string, string> }).headers;
    expect(seenSame).toMatchObject({ authorization: 'Bearer secret-token', cookie: 'session=abc' });
  });

  it('turns a POST into a GET without a body on 303, and keeps both on 307', async () => {
    const init = {
      method: 'POST' as const,
      headers: { 'content-type': 'text/plain' },
      body: 'order-1',
    };
    const seeOther = await guardedRequest(redirectTo('/final', 303), init, onlyAllowed());
    expect(await seeOther.body.json()).toMatchObject({ method: 'GET', body: '' });
    const temporary = await guardedRequest(redirectTo('/final', 307), init, onlyAllowed());
    expect(await temporary.body.json()).toMatchObject({ method: 'POST', body: 'order-1' });
  });

  it('gives up after maxRedirects with an error that is not retried', async () => {
    const error = await refusal(
      guardedRequest(`http://127.0.0.1:${allowed.port}/loop`, { maxRedirects: 3 }, onlyAllowed()),
    );
    expect(error.code).toBe('unavailable');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `outbound call to http://127.0.0.1:${allowed.port} was redirected more than 3 times`,
    );
  });

  it('returns the 3xx itself when told not to follow, or when it has no Location', async () => {
    const unfollowed = await guardedRequest(
      redirectTo('http://10.0.0.5/'),
      { maxRedirects: 0 },
      onlyAllowed(),
    );
    expect(unfollowed.statusCode).toBe(302);
    expect(unfollowed.headers.location).toBe('http://10.0.0.5/');
    await unfollowed.body.dump();
    const bare = await guardedRequest(
      `http://127.0.0.1:${allowed.port}/no-location`,
      {},
      onlyAllowed(),
    );
    expect(bare.statusCode).toBe(302);
    expect(await bare.body.text()).toBe('moved, somewhere');
  });
});

describe('other ways of following redirects through the guarded dispatcher', () => {
  // The engine uses guardedRequest; these show that the connection-level guard still holds
  // for every hop if someone follows redirects with fetch or undici's interceptor instead.
  let allowed: LocalServer;
  let forbidden: LocalServer;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    allowed = await startServer(redirectingOrEcho);
    forbidden = await startServer(redirectingOrEcho);
    dispatcher = createGuardedDispatcher({ allowHosts: [`127.0.0.1:${allowed.port}`] });
  });
  afterAll(async () => {
    await dispatcher.close();
    await Promise.all([allowed.close(), forbidden.close()]);
  });

  const hopToForbidden = () =>
    `http://127.0.0.1:${allowed.port}/to?location=${encodeURIComponent(`http://127.0.0.1:${forbidden.port}/`)}`;

  it("refuses fetch's automatically followed hop when it connects", async () => {
    const error = await fetch(hopToForbidden(), { dispatcher }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as TypeError).cause).toBeInstanceOf(AwpError);
    expect(((error as TypeError).cause as AwpError).message).toContain(
      `outbound call to http://127.0.0.1:${forbidden.port} refused`,
    );
    expect(forbidden.connections).toBe(0);
  });

  it("refuses the redirect interceptor's hop when it connects", async () => {
    const following = dispatcher.compose(interceptors.redirect({ maxRedirections: 3 }));
    const error = await request(hopToForbidden(), { dispatcher: following }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AwpError);
    expect(forbidden.connections).toBe(0);
  });
});
