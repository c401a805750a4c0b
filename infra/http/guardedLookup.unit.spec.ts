import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { createGuardedLookup } from './guardedLookup.js';
import type { HostResolver, ResolvedAddress } from './guardedLookup.js';
import { parseOutboundPolicy } from './outboundPolicy.js';

const api = { protocol: 'https:', hostname: 'api.customer.test', port: 443 };

function resolverOf(table: Record<string, readonly string[]>): HostResolver {
  return async (hostname) =>
    (table[hostname] ?? []).map((address): ResolvedAddress => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
}

function lookup(
  resolve: HostResolver,
  allowHosts: string[],
  options: LookupOptions,
  target = api,
): Promise<string | LookupAddress[]> {
  const guarded = createGuardedLookup(target, parseOutboundPolicy({ allowHosts }), resolve);
  return new Promise((done, fail) =>
    guarded(target.hostname, options, (error, address) => (error ? fail(error) : done(address))),
  );
}

describe('createGuardedLookup', () => {
  const resolve = resolverOf({
    'api.customer.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.customer.test': ['10.0.0.5'],
    'split.customer.test': ['93.184.216.34', '127.0.0.1'],
  });

  it('passes every address of a public name through, as net asks for them', async () => {
    await expect(lookup(resolve, [], { all: true })).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    await expect(lookup(resolve, [], { all: false })).resolves.toBe('93.184.216.34');
    await expect(lookup(resolve, [], { all: true, family: 6 })).resolves.toEqual([
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });

  it('refuses a name that resolves to a private address', async () => {
    const target = { ...api, hostname: 'internal.customer.test' };
    const error = await lookup(resolve, [], { all: true }, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwpError);
    expect((error as AwpError).code).toBe('forbidden');
    expect((error as AwpError).message).toBe(
      'outbound call to https://internal.customer.test refused: internal.customer.test resolves to 10.0.0.5, a private address; a tenant admin can allow it in the outbound allow-list',
    );
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const target = { ...api, hostname: 'split.customer.test' };
    await expect(lookup(resolve, [], { all: true }, target)).rejects.toThrow(
      'split.customer.test resolves to 127.0.0.1, a loopback address',
    );
  });

  it('lets a host entry or a CIDR entry permit what a name resolves to', async () => {
    const target = { ...api, hostname: 'internal.customer.test' };
    await expect(
      lookup(resolve, ['internal.customer.test'], { all: true }, target),
    ).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
    await expect(lookup(resolve, ['10.0.0.0/8'], { all: true }, target)).resolves.toHaveLength(1);
    await expect(
      lookup(resolve, ['internal.customer.test:8443'], { all: true }, target),
    ).rejects.toThrow('resolves to 10.0.0.5, a private address');
  });

  it('fails like getaddrinfo when nothing is left to dial', async () => {
    const target = { ...api, hostname: 'missing.customer.test' };
    await expect(lookup(resolve, [], { all: true }, target)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
