import { Agent, Pool } from 'undici';
import { AwpError } from '../../contracts/index.js';
import { createGuardedConnector } from './guardedConnector.js';
import type { GuardedTlsOptions } from './guardedConnector.js';
import { systemResolver } from './guardedLookup.js';
import type { HostResolver } from './guardedLookup.js';
import { decideBeforeConnect, refusedCall, targetOfUrl } from './outboundDecision.js';
import { parseOutboundPolicy } from './outboundPolicy.js';
import type { OutboundPolicy } from './outboundPolicy.js';

export interface GuardedDispatcherOptions {
  /** Resolves host names on every new connection. Default: the operating system's resolver. */
  readonly resolve?: HostResolver;
  /** How long a TCP/TLS connect may take. Default: 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** TLS settings for every connection (a private CA, client certificates). */
  readonly tls?: GuardedTlsOptions;
  /** Pool settings (timeouts, connections per origin, allowH2); the connector is the guard's. */
  readonly agent?: Omit<Agent.Options, 'connect' | 'factory' | 'socketPath'>;
}

/**
 * An undici dispatcher whose sockets can reach only what `policy` permits: public addresses,
 * plus the hosts, ports and ranges of the allow-list. The check runs when each connection is
 * opened, on the address actually dialled, so a name that resolves elsewhere between a
 * pre-check and the call (DNS rebinding) is still refused. A refusal rejects the call with
 * `AwpError('forbidden')` (as the `cause` of fetch's `TypeError`). Throws `validation` for a bad
 * allow-list.
 */
export function createGuardedDispatcher(
  policy: OutboundPolicy,
  options: GuardedDispatcherOptions = {},
): Agent {
  const allowList = parseOutboundPolicy(policy);
  const connectorOptions = {
    resolve: options.resolve ?? systemResolver,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    allowH2: options.agent?.allowH2 ?? false,
    ...(options.tls ? { tls: options.tls } : {}),
  };
  return new Agent({
    ...options.agent,
    // One pool per origin, and so one connector per origin: the lookup knows the port it is
    // resolving for (allow-list entries can name ports) and TLS sessions are cached per origin,
    // as undici's default factory would.
    factory(origin, poolOptions) {
      const target = targetOfUrl(new URL(String(origin)));
      const connect = createGuardedConnector(target, allowList, connectorOptions);
      return new Pool(origin, { ...(poolOptions as Pool.Options), connect });
    },
  });
}

/**
 * The fast check before a call is made or a redirect followed: an absolute http(s) URL without
 * credentials, a usable port, and, when the host is an IP literal or a metadata name, a
 * permitted one. Host names are judged at connect time by the dispatcher. Returns the parsed URL;
 * throws `validation` for something that is not a URL and `forbidden` for a refused one.
 */
export function checkOutboundUrl(url: string | URL, policy: OutboundPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    // The text is not echoed: it may hold credentials or tokens.
    throw new AwpError('validation', 'the outbound URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw refusedCall(`a ${parsed.protocol} URL`, {
      reason: 'only http and https are allowed',
      overridable: false,
    });
  }
  const target = targetOfUrl(parsed);
  if (parsed.username !== '' || parsed.password !== '') {
    // Refused rather than stripped: silently dropping them would turn an authenticated call
    // into an anonymous one, and URL credentials end up in logs and redirect targets. Calls
    // authenticate with the task's `authentication`, whose secrets are referenced by name.
    throw refusedCall(target, {
      reason: "the URL carries credentials (user:password@): use the task's authentication",
      overridable: false,
    });
  }
  const decision = decideBeforeConnect(target, parseOutboundPolicy(policy));
  if (decision.decision === 'refused') throw refusedCall(target, decision.refusal);
  return parsed;
}
