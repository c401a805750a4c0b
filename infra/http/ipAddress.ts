import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type IPAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an IP address in standard form only (dotted decimal, RFC 4291 IPv6), or returns
 * undefined. Node's `isIP` is the gate, because `ipaddr.parse` also accepts `127.1` and
 * `0x7f.0.0.1`; and an IPv6 dotted tail is rewritten as hex first, because `ipaddr.js` reads the
 * deprecated `::a.b.c.d` as the IPv4-mapped `::ffff:a.b.c.d`, a different address.
 */
export function parseIP(text: string): IPAddress | undefined {
  const family = isIP(text);
  if (family === 0) return undefined;
  if (family === 4) return ipaddr.IPv4.parse(text);
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/.exec(text);
  if (dotted === null) return ipaddr.IPv6.parse(text);
  const [, head, a, b, c, d, zone = ''] = dotted as unknown as [string, string, ...string[]];
  const group = (high: string | undefined, low: string | undefined) =>
    ((Number(high) << 8) | Number(low)).toString(16);
  return ipaddr.IPv6.parse(`${head}${group(a, b)}:${group(c, d)}${zone}`);
}
