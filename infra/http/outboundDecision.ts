import { isIP } from 'node:net';
import { AwpError } from '../../contracts/index.js';
import { classifyAddress } from './addressClassification.js';
import type { AllowList } from './outboundPolicy.js';

/**
 * The decisions of the SSRF guard, shared by the URL pre-check, the DNS lookup and the socket
 * check so that all three say the same thing in the same words.
 */

/** Where a connection goes: lower-case host without brackets or trailing dot, explicit port. */
export interface OutboundTarget {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number;
}

/** Why a destination is refused; `overridable` when an allow-list entry could permit it. */
export interface Refusal {
  readonly reason: string;
  readonly overridable: boolean;
}

export type PreConnectDecision =
  | { readonly decision: 'allowed' }
  | { readonly decision: 'refused'; readonly refusal: Refusal }
  /** A DNS name: every address it resolves to must pass `decideResolvedAddress`. */
  | { readonly decision: 'resolve' };

const defaultPorts: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * Names that reach a metadata service whatever the resolver says (some resolve only inside the
 * cloud, Equinix's resolves to a public address that answers per caller), refused by name.
 */
const metadataHostnames = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
  'metadata.packet.net',
]);

/**
 * The Fetch standard's "bad ports" (SMTP, IRC, SIP…): services that HTTP must not be smuggled
 * into. `fetch` already refuses them; refusing them here too keeps `undici.request` in line.
 */
const badPorts = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** The target of a parsed URL (the caller has checked the scheme is http or https). */
export function targetOfUrl(url: URL): OutboundTarget {
  return {
    protocol: url.protocol,
    hostname: normalizeHostname(url.hostname),
    port: url.port === '' ? (defaultPorts[url.protocol] ?? 0) : Number(url.port),
  };
}

/** `[::1]` → `::1`, `Example.COM.` → `example.com`. */
export function normalizeHostname(hostname: string): string {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.$/, '');
}

/** `http://10.0.0.5:8080`, the default port left out: scheme, host and port, never a path. */
export function originOf(target: OutboundTarget): string {
  const host = isIP(target.hostname) === 6 ? `[${target.hostname}]` : target.hostname;
  const port = defaultPorts[target.protocol] === target.port ? '' : `:${target.port}`;
  return `${target.protocol}//${host}${port}`;
}

/** Everything that can be decided before DNS: scheme, port, IP literals, metadata names. */
export function decideBeforeConnect(
  target: OutboundTarget,
  allowList: AllowList,
): PreConnectDecision {
  const refuse = (reason: string, overridable: boolean): PreConnectDecision => ({
    decision: 'refused',
    refusal: { reason, overridable },
  });
  if (!Object.hasOwn(defaultPorts, target.protocol)) {
    return refuse(`only http and https are allowed, not ${target.protocol}`, false);
  }
  if (!(target.port >= 1 && target.port <= 65535)) {
    return refuse(`port ${target.port} is not a valid destination port`, false);
  }
  const literal = isIP(target.hostname) !== 0;
  if (badPorts.has(target.port)) {
    // Only an entry naming this very host and port opens a bad port: "allow this host" is not
    // meant as "allow its SMTP server".
    const entry = literal
      ? allowList.matchAddress(target.hostname, target.port)
      : allowList.matchHost(target.hostname, target.port);
    if (entry?.port !== target.port) {
      return refuse(`port ${target.port} is reserved for a protocol other than HTTP`, true);
    }
  }
  if (literal) {
    const refusal = decideAddress(target, target.hostname, allowList, undefined);
    return refusal ? { decision: 'refused', refusal } : { decision: 'allowed' };
  }
  if (allowList.matchHost(target.hostname, target.port)) return { decision: 'allowed' };
  if (metadataHostnames.has(target.hostname)) {
    return refuse(`${target.hostname} is a cloud metadata endpoint`, true);
  }
  return { decision: 'resolve' };
}

/**
 * Judges one address that `target.hostname` resolved to (or that a socket connected to). A host
 * entry permits the name whatever it resolves to; otherwise the address itself must be public
 * or covered by an address entry.
 */
export function decideResolvedAddress(
  target: OutboundTarget,
  address: string,
  allowList: AllowList,
): Refusal | undefined {
  if (isIP(target.hostname) !== 0) return decideAddress(target, address, allowList, undefined);
  if (allowList.matchHost(target.hostname, target.port)) return undefined;
  return decideAddress(target, address, allowList, target.hostname);
}

function decideAddress(
  target: OutboundTarget,
  address: string,
  allowList: AllowList,
  resolvedFrom: string | undefined,
): Refusal | undefined {
  const verdict = classifyAddress(address);
  if (verdict.allowed || allowList.matchAddress(address, target.port)) return undefined;
  const reason =
    resolvedFrom === undefined
      ? verdict.reason
      : `${resolvedFrom} resolves to ${address}, ${verdict.category}`;
  return { reason, overridable: true };
}

/**
 * The error every refusal surfaces as. It names the origin only: paths and query strings can hold
 * tokens, and the URL's credentials are never echoed.
 */
export function refusedCall(target: OutboundTarget | string, refusal: Refusal): AwpError {
  const origin = typeof target === 'string' ? target : originOf(target);
  const hint = refusal.overridable
    ? '; a tenant admin can allow it in the outbound allow-list'
    : '';
  return new AwpError('forbidden', `outbound call to ${origin} refused: ${refusal.reason}${hint}`, {
    retryable: false,
  });
}
