import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AwpError } from '../../contracts/index.js';
import type { FieldViolation } from '../../contracts/index.js';
import { parseIP } from './ipAddress.js';
import type { IPAddress } from './ipAddress.js';

/**
 * A tenant's outbound allow-list, as a tenant admin writes it. Each entry is one of
 * `api.internal.example`, `api.internal.example:8443`, `10.0.0.5`, `10.0.0.5:8080`, `fd00::5`,
 * `[fd00::5]:8080`, `10.0.0.0/8` or `fd00::/8`. Host names are case-insensitive and match exactly
 * (no wildcards); an entry without a port allows every port.
 */
export interface OutboundPolicy {
  readonly allowHosts: readonly string[];
}

/** One validated allow-list entry. */
export type AllowEntry =
  | {
      readonly kind: 'host';
      readonly entry: string;
      readonly hostname: string;
      readonly port?: number;
    }
  | {
      readonly kind: 'address';
      readonly entry: string;
      readonly range: [IPAddress, number];
      readonly port?: number;
    };

/** A parsed allow-list: answers which entry, if any, lets a destination through. */
export interface AllowList {
  readonly entries: readonly AllowEntry[];
  /** The host entry naming `hostname` (lower-case, no trailing dot) for `port`. */
  matchHost(hostname: string, port: number): AllowEntry | undefined;
  /** The address or CIDR entry covering `address` (standard form) for `port`. */
  matchAddress(address: string, port: number): AllowEntry | undefined;
}

/**
 * Validates every entry and returns the allow-list, or throws one `validation` error listing each
 * bad entry (field `allowHosts[i]`), so an admin fixes them all in one go.
 */
export function parseOutboundPolicy(policy: OutboundPolicy): AllowList {
  const entries: AllowEntry[] = [];
  const violations: FieldViolation[] = [];
  policy.allowHosts.forEach((raw, index) => {
    const parsed = parseEntry(raw);
    if (typeof parsed === 'string') {
      violations.push({ field: `allowHosts[${index}]`, message: `'${raw}' ${parsed}` });
    } else entries.push(parsed);
  });
  if (violations.length === 1) {
    const [only] = violations as [FieldViolation];
    throw new AwpError('validation', `outbound allow-list entry ${only.message}`, {
      field: only.field,
      violations,
    });
  }
  if (violations.length > 1) {
    const list = violations.map((v) => v.message).join('; ');
    throw new AwpError(
      'validation',
      `the outbound allow-list has ${violations.length} invalid entries: ${list}`,
      { field: violations[0]?.field, violations },
    );
  }
  return createAllowList(entries);
}

/** Parses one entry, or throws a `validation` error that says what is wrong with it. */
export function parseAllowEntry(raw: string): AllowEntry {
  const parsed = parseEntry(raw);
  if (typeof parsed === 'string') {
    throw new AwpError('validation', `outbound allow-list entry '${raw}' ${parsed}`);
  }
  return parsed;
}

function createAllowList(entries: readonly AllowEntry[]): AllowList {
  const portMatches = (entry: AllowEntry, port: number) =>
    entry.port === undefined || entry.port === port;
  return {
    entries,
    matchHost: (hostname, port) =>
      entries.find((e) => e.kind === 'host' && e.hostname === hostname && portMatches(e, port)),
    matchAddress(address, port) {
      const candidates = addressForms(address);
      return entries.find(
        (e) =>
          e.kind === 'address' &&
          portMatches(e, port) &&
          candidates.some((ip) => ip.kind() === e.range[0].kind() && ip.match(e.range)),
      );
    },
  };
}

/** An IPv4-mapped IPv6 address reaches the IPv4 address, so IPv4 entries cover it too. */
function addressForms(address: string): IPAddress[] {
  const ip = parseIP(address);
  if (ip === undefined) return [];
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? [ip, (ip as ipaddr.IPv6).toIPv4Address()]
    : [ip];
}

/** Returns the entry, or the problem as the end of a sentence starting with the entry. */
function parseEntry(raw: string): AllowEntry | string {
  const entry = raw.trim();
  if (entry === '') return 'is empty';
  if (entry.includes('*')) {
    return 'uses a wildcard, which is not supported: list each host (api.example.com)';
  }
  if (/[@?#\\\s]/.test(entry) || entry.includes('://')) {
    return 'must be a host, host:port or CIDR range (10.0.0.0/8), not a URL';
  }
  if (entry.includes('/')) return parseCidr(entry);

  const bracketed = /^\[([^\]]*)\](?::([^:]*))?$/.exec(entry);
  if (entry.startsWith('[') && bracketed === null) {
    return 'is not a valid IPv6 entry: write [fd00::5] or [fd00::5]:8080';
  }
  if (bracketed !== null) return addressEntry(entry, bracketed[1] ?? '', bracketed[2]);
  // Two colons or more without brackets can only be an IPv6 address, which then has no port.
  if (entry.indexOf(':') !== entry.lastIndexOf(':')) return addressEntry(entry, entry, undefined);

  const [host = '', portText] = entry.split(':');
  if (isIPv4(host)) return addressEntry(entry, host, portText);
  return hostEntry(entry, host, portText);
}

function addressEntry(
  entry: string,
  ip: string,
  portText: string | undefined,
): AllowEntry | string {
  if (ip.includes('%')) return 'must not carry an IPv6 zone id';
  const address = parseIP(ip);
  if (address === undefined) return 'is not a valid IP address';
  const port = parsePort(portText);
  if (typeof port === 'string') return port;
  const range: [IPAddress, number] = [address, address.kind() === 'ipv4' ? 32 : 128];
  return port === undefined
    ? { kind: 'address', entry, range }
    : { kind: 'address', entry, range, port };
}

function hostEntry(entry: string, host: string, portText: string | undefined): AllowEntry | string {
  let hostname: string;
  try {
    // The same WHATWG parser that will read the outbound URL: lower-cases, applies IDNA.
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return 'is not a valid host name';
  }
  if (isIPv4(hostname)) {
    return `writes an IPv4 address in a non-standard form: write it as ${hostname}`;
  }
  hostname = hostname.replace(/\.$/, '');
  const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
  if (hostname.length > 253 || !hostname.split('.').every((l) => label.test(l))) {
    return 'is not a valid host name';
  }
  const port = parsePort(portText);
  if (typeof port === 'string') return port;
  return port === undefined
    ? { kind: 'host', entry, hostname }
    : { kind: 'host', entry, hostname, port };
}

function parseCidr(entry: string): AllowEntry | string {
  const [ip = '', prefixText = ''] = entry.split('/');
  if (prefixText.includes(':')) return 'is a CIDR range, which cannot carry a port';
  if (ip.startsWith('[')) return 'is a CIDR range: write IPv6 ranges without brackets (fd00::/8)';
  const address = ip.includes('%') ? undefined : parseIP(ip);
  if (address === undefined) {
    return 'is neither a host nor a CIDR range (a range starts with an IP address: 10.0.0.0/8)';
  }
  const max = address.kind() === 'ipv4' ? 32 : 128;
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    return `is not a valid CIDR range: the prefix length must be 0–${max}`;
  }
  if (prefix === 0) {
    return 'would allow every address, cloud metadata included: list the ranges you need';
  }
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  if (network.toNormalizedString() !== address.toNormalizedString()) {
    return `has bits set after the prefix: did you mean ${network.toString()}/${prefix}?`;
  }
  return { kind: 'address', entry, range: [address, prefix] };
}

function parsePort(portText: string | undefined): number | undefined | string {
  if (portText === undefined) return undefined;
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  return port >= 1 && port <= 65535 ? port : 'has an invalid port: use a number from 1 to 65535';
}
