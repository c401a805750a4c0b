import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { decideResolvedAddress, refusedCall } from './outboundDecision.js';
import type { OutboundTarget } from './outboundDecision.js';
import type { AllowList } from './outboundPolicy.js';

/** One address a name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a host name to every address it has. The guard calls it on each new connection, never
 * caching, so what it checks is what the socket dials. Tests inject one to play DNS tricks.
 */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (`/etc/hosts`, then DNS), as Node's own sockets use it. */
export const systemResolver: HostResolver = async (hostname) => {
  const addresses = await systemLookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * A `lookup` for `net.connect`/`tls.connect` that refuses the connection unless every address of
 * the name is permitted for `target`. Refusing on any bad address (rather than dropping it) keeps
 * the outcome the same whichever address the socket would have tried first.
 */
export function createGuardedLookup(
  target: OutboundTarget,
  allowList: AllowList,
  resolve: HostResolver,
): LookupFunction {
  return function guardedLookup(hostname, options, callback) {
    resolveChecked(hostname, options, target, allowList, resolve).then(
      (addresses) => {
        if (options.all === true) callback(null, addresses);
        else {
          const [first] = addresses as [LookupAddress];
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

async function resolveChecked(
  hostname: string,
  options: LookupOptions,
  target: OutboundTarget,
  allowList: AllowList,
  resolve: HostResolver,
): Promise<LookupAddress[]> {
  const resolved = await resolve(hostname);
  for (const { address } of resolved) {
    const refusal = decideResolvedAddress(target, address, allowList);
    if (refusal) throw refusedCall(target, refusal);
  }
  const wanted =
    options.family === 4 || options.family === 'IPv4'
      ? 4
      : options.family === 6 || options.family === 'IPv6'
        ? 6
        : undefined;
  const addresses = resolved
    .filter((a) => wanted === undefined || a.family === wanted)
    .map(({ address, family }) => ({ address, family }));
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
  }
  return addresses;
}
