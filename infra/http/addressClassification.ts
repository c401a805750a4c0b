import ipaddr from 'ipaddr.js';
import { parseIP } from './ipAddress.js';

/**
 * Which IP addresses an outbound call may reach when no allow-list entry says otherwise. Pure:
 * the SSRF guard calls it for IP literals in URLs, for every address a name resolves to, and for
 * the address a socket actually connected to.
 */
export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** A sentence for the person reading the error: `127.0.0.1 is a loopback address`. */
      reason: string;
      /** The range as a noun phrase (`a loopback address`), for composing longer sentences. */
      category: string;
    };

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

const cloudMetadata = 'a cloud metadata address';
const privateRange = 'a private address';
const documentation = 'a documentation address';

/**
 * Ranges that are not the public internet, first match wins (so metadata addresses are named as
 * such rather than as the link-local or CGNAT range that holds them). Sources: the IANA IPv4
 * special-purpose registry (RFC 6890) and the providers' metadata documentation.
 */
const ipv4Ranges = compile(
  (cidr) => ipaddr.IPv4.parseCIDR(cidr),
  [
    ['169.254.169.254/32', cloudMetadata], // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack…
    ['169.254.170.2/32', cloudMetadata], // AWS ECS task metadata and credentials
    ['169.254.170.23/32', cloudMetadata], // AWS EKS Pod Identity agent
    ['100.100.100.200/32', cloudMetadata], // Alibaba Cloud
    ['192.0.0.192/32', cloudMetadata], // Oracle Cloud (classic)
    ['168.63.129.16/32', cloudMetadata], // Azure WireServer: a public address that only the host answers
    ['0.0.0.0/8', 'an unspecified ("this network") address'],
    ['10.0.0.0/8', privateRange],
    ['172.16.0.0/12', privateRange],
    ['192.168.0.0/16', privateRange],
    ['100.64.0.0/10', 'a carrier-grade NAT address'],
    ['127.0.0.0/8', 'a loopback address'],
    ['169.254.0.0/16', 'a link-local address'],
    ['192.0.0.0/24', 'an IETF protocol-assignment address'],
    ['192.0.2.0/24', documentation],
    ['198.51.100.0/24', documentation],
    ['203.0.113.0/24', documentation],
    ['198.18.0.0/15', 'a benchmarking address'],
    ['192.88.99.0/24', 'a deprecated 6to4 relay address'],
    ['224.0.0.0/4', 'a multicast address'],
    ['255.255.255.255/32', 'the broadcast address'],
    ['240.0.0.0/4', 'a reserved address'],
  ],
);

/**
 * IPv6 ranges refused outright. The forms that embed an IPv4 address (mapped, NAT64, 6to4,
 * Teredo) are handled in `classifyIPv6`, because they are only as safe as the address inside.
 */
const ipv6Ranges = compile(
  (cidr) => ipaddr.IPv6.parseCIDR(cidr),
  [
    ['fd00:ec2::254/128', cloudMetadata], // AWS IMDS over IPv6
    ['fd00:ec2::23/128', cloudMetadata], // AWS EKS Pod Identity agent over IPv6
    ['::/128', 'the unspecified address'],
    ['::1/128', 'a loopback address'],
    ['::ffff:0:0:0/96', 'an IPv4-translated address'], // RFC 6145: never a destination
    ['64:ff9b:1::/48', 'a local-use NAT64 address'], // RFC 8215: the site's own translator
    ['100::/64', 'a discard-only address'],
    ['2001:2::/48', 'a benchmarking address'],
    ['2001:10::/28', 'an ORCHID identifier, which is not routable'],
    ['2001:20::/28', 'an ORCHID identifier, which is not routable'],
    ['2001:db8::/32', documentation],
    ['3fff::/20', documentation],
    ['5f00::/16', 'a segment-routing (SRv6) address'],
    ['fc00::/7', 'a unique-local address'],
    ['fe80::/10', 'a link-local address'],
    ['fec0::/10', 'a site-local address (deprecated)'],
    ['ff00::/8', 'a multicast address'],
  ],
);

const [globalUnicast] = ipaddr.IPv6.parseCIDR('2000::/3');
const [ipv4Mapped] = ipaddr.IPv6.parseCIDR('::ffff:0:0/96');
const [ipv4Compatible] = ipaddr.IPv6.parseCIDR('::/96');
const [nat64] = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const [sixToFour] = ipaddr.IPv6.parseCIDR('2002::/16');
const [teredo] = ipaddr.IPv6.parseCIDR('2001::/32');

/** Classifies one IP address written in its standard form (dotted decimal, or RFC 4291 IPv6). */
export function classifyAddress(ip: string): AddressVerdict {
  // Only the standard forms: `127.1`, `0x7f.0.0.1` or `2130706433` would be read by some parsers
  // as loopback, so anything that is not plainly an IP address is refused, not guessed at.
  const parsed = parseIP(ip);
  if (parsed === undefined) return refused(`${ip} is not an IP address`, 'not an IP address');
  return parsed.kind() === 'ipv4'
    ? classifyIPv4(parsed as IPv4, ip)
    : classifyIPv6(parsed as IPv6, ip);
}

function classifyIPv4(ip: IPv4, text: string): AddressVerdict {
  const category = ipv4Ranges.find(({ range }) => ip.match(range))?.category;
  return category === undefined ? { allowed: true } : refused(`${text} is ${category}`, category);
}

function classifyIPv6(ip: IPv6, text: string): AddressVerdict {
  const category = ipv6Ranges.find(({ range }) => ip.match(range))?.category;
  if (category !== undefined) return refused(`${text} is ${category}`, category);

  const [, b, c, d, , , g, h] = ip.parts as [number, number, number, number, 0, 0, number, number];
  // A dual-stack socket sends ::ffff:a.b.c.d to a.b.c.d itself, and a NAT64 gateway, a 6to4
  // relay or a Teredo relay forward to the IPv4 address inside: judge that address.
  if (ip.match(ipv4Mapped, 96)) return embedding(text, 'an IPv4-mapped form of', ipv4(g, h));
  if (ip.match(nat64, 96)) return embedding(text, 'a NAT64 form of', ipv4(g, h));
  if (ip.match(sixToFour, 16)) return embedding(text, 'a 6to4 address embedding', ipv4(b, c));
  if (ip.match(teredo, 32)) {
    // RFC 4380: the server address in clear, the client address with every bit inverted.
    const client = embedding(text, 'a Teredo address embedding', ipv4(~g & 0xffff, ~h & 0xffff));
    return client.allowed ? embedding(text, 'a Teredo address embedding', ipv4(c, d)) : client;
  }
  if (ip.match(ipv4Compatible, 96)) {
    // Deprecated by RFC 4291 and never a legitimate destination, whatever it embeds.
    const inner = embedding(text, 'an IPv4-compatible form of', ipv4(g, h));
    return inner.allowed
      ? refused(`${text} is an IPv4-compatible address (deprecated)`, 'a deprecated address')
      : inner;
  }
  if (!ip.match(globalUnicast, 3)) {
    return refused(`${text} is a reserved address (outside 2000::/3)`, 'a reserved address');
  }
  return { allowed: true };
}

function embedding(text: string, form: string, inner: IPv4): AddressVerdict {
  const innerText = inner.toString();
  const verdict = classifyIPv4(inner, innerText);
  return verdict.allowed
    ? verdict
    : refused(`${text} is ${form} ${innerText}, ${verdict.category}`, verdict.category);
}

function ipv4(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function refused(reason: string, category: string): AddressVerdict {
  return { allowed: false, reason, category };
}

function compile<T extends IPv4 | IPv6>(
  parse: (cidr: string) => [T, number],
  table: readonly (readonly [string, string])[],
): readonly { range: [T, number]; category: string }[] {
  return table.map(([cidr, category]) => ({ range: parse(cidr), category }));
}
