import { createServer } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildConnector, fetch, request } from 'undici';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { createGuardedConnector, guardConnector } from './guardedConnector.js';
import type { HostResolver, ResolvedAddress } from './guardedLookup.js';
import { parseOutboundPolicy } from './outboundPolicy.js';
import { checkOutboundUrl, createGuardedDispatcher } from './ssrfGuard.js';
import type { GuardedDispatcherOptions } from './ssrfGuard.js';

/** A real HTTP server on 127.0.0.1 that counts the requests and connections reaching it. */
interface LocalServer {
  readonly port: number;
  readonly requests: IncomingMessage[];
  connections: number;
  close(): Promise<void>;
}

async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok'),
): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  const local = {
    port: 0,
    requests,
    connections: 0,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  server.on('connection', () => (local.connections += 1));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  server.unref();
  local.port = (server.address() as net.AddressInfo).port;
  return local;
}

/** A resolver that answers from a table, or from a list of answers consumed one call at a time. */
function resolverOf(table: Record<string, readonly string[] | (readonly string[])[]>) {
  const calls: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    calls.push(hostname);
    const answer = table[hostname] ?? [];
    const addresses = Array.isArray(answer[0])
      ? ((answer as string[][]).shift() ?? [])
      : (answer as readonly string[]);
    return addresses.map((address): ResolvedAddress => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { resolve, calls };
}

async function refusalOf(call: Promise<unknown>): Promise<AwpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  expect((error as AwpError).code).toBe('forbidden');
  return error as AwpError;
}

const hint = '; a tenant admin can allow it in the outbound allow-list';

describe('createGuardedDispatcher', () => {
  let server: LocalServer;
  let other: LocalServer;
  const dispatchers: Dispatcher[] = [];

  function guarded(allowHosts: string[], options: GuardedDispatcherOptions = {}): Dispatcher {
    const dispatcher = createGuardedDispatcher(
      { allowHosts },
      { connectTimeoutMs: 2_000, ...options },
    );
    dispatchers.push(dispatcher);
    return dispatcher;
  }

  async function text(url: string, dispatcher: Dispatcher): Promise<string> {
    const response = await request(url, { dispatcher });
    return response.body.text();
  }

  beforeAll(async () => {
    server = await startServer();
    other = await startServer();
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await Promise.all([server.close(), other.close()]);
  });

  it('refuses a loopback IP literal before connecting', async () => {
    const error = await refusalOf(
      request(`http://127.0.0.1:${server.port}/a?key=x`, { dispatcher: guarded([]) }),
    );
    expect(error.message).toBe(
      `outbound call to http://127.0.0.1:${server.port} refused: 127.0.0.1 is a loopback address${hint}`,
    );
    expect(server.connections).toBe(0);
  });

  it.each([
    ['http://10.0.0.5/', '10.0.0.5 is a private address'],
    ['http://172.16.5.4:8080/', '172.16.5.4 is a private address'],
    ['http://192.168.1.1/', '192.168.1.1 is a private address'],
    ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://0.0.0.0/', '0.0.0.0 is an unspecified ("this network") address'],
    ['https://[::1]/', '::1 is a loopback address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    [
      'http://[::ffff:10.0.0.5]/',
      '::ffff:a00:5 is an IPv4-mapped form of 10.0.0.5, a private address',
    ],
    [
      'http://[64:ff9b::a9fe:a9fe]/',
      '64:ff9b::a9fe:a9fe is a NAT64 form of 169.254.169.254, a cloud metadata address',
    ],
  ])('refuses %s before dialling: %s', async (url, reason) => {
    // undici dials through these two; neither may be called for a refused literal.
    const dials = [vi.spyOn(net, 'connect'), vi.spyOn(tls, 'connect')];
    try {
      const error = await refusalOf(request(url, { dispatcher: guarded([]) }));
      expect(error.message).toContain(`refused: ${reason}${hint}`);
      for (const dial of dials) expect(dial).not.toHaveBeenCalled();
    } finally {
      for (const dial of dials) dial.mockRestore();
    }
  });

  it('refuses localhost, which the system resolver maps to a loopback address', async () => {
    const error = await refusalOf(
      request(`http://localhost:${server.port}/`, { dispatcher: guarded([]) }),
    );
    expect(error.message).toMatch(
      new RegExp(
        `^outbound call to http://localhost:${server.port} refused: localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address;`,
      ),
    );
    expect(server.connections).toBe(0);
  });

  it('refuses a name that resolves to a private address, over https too', async () => {
    const { resolve } = resolverOf({ 'internal.customer.test': ['10.0.0.5'] });
    for (const scheme of ['http', 'https']) {
      const error = await refusalOf(
        request(`${scheme}://internal.customer.test/orders`, {
          dispatcher: guarded([], { resolve }),
        }),
      );
      expect(error.message).toBe(
        `outbound call to ${scheme}://internal.customer.test refused: internal.customer.test resolves to 10.0.0.5, a private address${hint}`,
      );
    }
  });

  it('refuses a name whose pre-check resolution was public but which resolves private at connect (DNS rebinding)', async () => {
    const { resolve, calls } = resolverOf({
      'rebind.customer.test': [['93.184.216.34'], ['127.0.0.1']],
    });
    const url = `http://rebind.customer.test:${server.port}/hook`;
    // The engine's pre-check sees a public address…
    expect(checkOutboundUrl(url, { allowHosts: [] }).hostname).toBe('rebind.customer.test');
    expect(await resolve('rebind.customer.test')).toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
    // …and the connection, which resolves again, is refused without dialling the local server.
    const before = server.connections;
    const error = await refusalOf(request(url, { dispatcher: guarded([], { resolve }) }));
    expect(error.message).toContain(
      'rebind.customer.test resolves to 127.0.0.1, a loopback address',
    );
    expect(calls).toEqual(['rebind.customer.test', 'rebind.customer.test']);
    expect(server.connections).toBe(before);
  });

  it('checks every new connection: a name that served one call is refused once it resolves to metadata', async () => {
    const { resolve, calls } = resolverOf({
      'flip.customer.test': [['127.0.0.1'], ['169.254.169.254']],
    });
    // 127.0.0.1 on this port stands in for a permitted address the name first resolves to.
    const dispatcher = guarded([`127.0.0.1:${server.port}`], { resolve });
    const url = `http://flip.customer.test:${server.port}/`;
    const first = await request(url, { dispatcher, reset: true });
    expect(await first.body.text()).toBe('ok');
    const error = await refusalOf(request(url, { dispatcher }));
    expect(error.message).toContain(
      'flip.customer.test resolves to 169.254.169.254, a cloud metadata address',
    );
    expect(calls).toHaveLength(2);
  });

  it('lets a host entry reach a name on any port, whatever it resolves to', async () => {
    const { resolve } = resolverOf({ 'api.customer.test': ['127.0.0.1'] });
    const dispatcher = guarded(['API.customer.test'], { resolve });
    expect(await text(`http://api.customer.test:${server.port}/`, dispatcher)).toBe('ok');
    expect(await text(`http://api.customer.test:${other.port}/`, dispatcher)).toBe('ok');
  });

  it('lets a host:port entry reach that port only', async () => {
    const { resolve } = resolverOf({ 'api.customer.test': ['127.0.0.1'] });
    const dispatcher = guarded([`api.customer.test:${server.port}`], { resolve });
    expect(await text(`http://api.customer.test:${server.port}/`, dispatcher)).toBe('ok');
    const before = other.connections;
    const error = await refusalOf(
      request(`http://api.customer.test:${other.port}/`, { dispatcher }),
    );
    expect(error.message).toContain('api.customer.test resolves to 127.0.0.1, a loopback address');
    expect(other.connections).toBe(before);
  });

  it('lets a CIDR entry reach its range, by literal and by name, and nothing outside it', async () => {
    const { resolve } = resolverOf({ 'ranged.customer.test': ['127.0.0.1'] });
    const dispatcher = guarded(['127.0.0.0/8'], { resolve });
    expect(await text(`http://127.0.0.1:${server.port}/`, dispatcher)).toBe('ok');
    expect(await text(`http://ranged.customer.test:${server.port}/`, dispatcher)).toBe('ok');
    const error = await refusalOf(request(`http://[::1]:${server.port}/`, { dispatcher }));
    expect(error.message).toContain('::1 is a loopback address');
  });

  it('lets an address:port entry reach that address and port only', async () => {
    const dispatcher = guarded([`127.0.0.1:${server.port}`]);
    expect(await text(`http://127.0.0.1:${server.port}/`, dispatcher)).toBe('ok');
    await refusalOf(request(`http://127.0.0.1:${other.port}/`, { dispatcher }));
  });

  it('refuses the call inside fetch too, as the cause of its TypeError', async () => {
    const error = await fetch(`http://127.0.0.1:${server.port}/`, { dispatcher: guarded([]) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(AwpError);
    expect(((error as TypeError).cause as AwpError).code).toBe('forbidden');
  });

  it('refuses a bad allow-list when the dispatcher is created', () => {
    expect(() => createGuardedDispatcher({ allowHosts: ['10.0.0.0/0'] })).toThrow(AwpError);
  });
});

describe('guardConnector', () => {
  it('refuses a socket whose peer is private even when the dial bypassed the guarded lookup', async () => {
    const server = await startServer();
    const target = { protocol: 'http:', hostname: 'localhost', port: server.port };
    // An unguarded dial, as if a lookup had been swapped out: the peer check still holds.
    const connect = guardConnector(
      buildConnector({}),
      target,
      parseOutboundPolicy({ allowHosts: [] }),
    );
    const error = await new Promise<Error | null>((done) =>
      connect({ protocol: 'http:', hostname: 'localhost', port: String(server.port) }, (...args) =>
        done(args[0]),
      ),
    );
    expect(error).toBeInstanceOf(AwpError);
    expect(error?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(server.requests).toHaveLength(0);
    await server.close();
  });

  it('refuses a connection to another origin than the one its pool was made for', async () => {
    const target = { protocol: 'http:', hostname: 'api.customer.test', port: 80 };
    const connect = createGuardedConnector(target, parseOutboundPolicy({ allowHosts: [] }), {
      resolve: resolverOf({}).resolve,
      connectTimeoutMs: 1_000,
    });
    const error = await new Promise<Error | null>((done) =>
      connect({ protocol: 'http:', hostname: 'other.customer.test', port: '' }, (...args) =>
        done(args[0]),
      ),
    );
    expect(error?.message).toBe(
      'outbound call to http://other.customer.test refused: the connection does not match its origin',
    );
  });
});
