import { describe, expect, it } from 'vitest';
import { classifyAddress } from './addressClassification.js';

describe('classifyAddress', () => {
  it.each([
    // address, category
    ['0.0.0.0', 'an unspecified ("this network") address'],
    ['0.1.2.3', 'an unspecified ("this network") address'],
    ['10.0.0.0', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['172.16.0.0', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['100.64.0.0', 'a carrier-grade NAT address'],
    ['100.127.255.255', 'a carrier-grade NAT address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['169.254.0.1', 'a link-local address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.170.2', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['168.63.129.16', 'a cloud metadata address'],
    ['192.0.0.192', 'a cloud metadata address'],
    ['192.0.0.8', 'an IETF protocol-assignment address'],
    ['192.0.2.10', 'a documentation address'],
    ['198.51.100.7', 'a documentation address'],
    ['203.0.113.200', 'a documentation address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['198.19.255.255', 'a benchmarking address'],
    ['192.88.99.1', 'a deprecated 6to4 relay address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['240.0.0.1', 'a reserved address'],
    ['255.255.255.255', 'the broadcast address'],
  ])('refuses the IPv4 address %s as %s', (address, category) => {
    expect(classifyAddress(address)).toEqual({
      allowed: false,
      reason: `${address} is ${category}`,
      category,
    });
  });

  it.each([
    ['::', 'the unspecified address'],
    ['::1', 'a loopback address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['febf:ffff::1', 'a link-local address'],
    ['fec0::1', 'a site-local address (deprecated)'],
    ['fc00::1', 'a unique-local address'],
    ['fd12:3456:789a::1', 'a unique-local address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['ff02::1', 'a multicast address'],
    ['ff0e::101', 'a multicast address'],
    ['2001:db8::1', 'a documentation address'],
    ['3fff:1::1', 'a documentation address'],
    ['100::1', 'a discard-only address'],
    ['2001:2::1', 'a benchmarking address'],
    ['2001:10::1', 'an ORCHID identifier, which is not routable'],
    ['5f00::1', 'a segment-routing (SRv6) address'],
    ['64:ff9b:1::a00:1', 'a local-use NAT64 address'],
    ['::ffff:0:a00:1', 'an IPv4-translated address'],
    ['4000::1', 'a reserved address (outside 2000::/3)'],
    ['1::1', 'a reserved address (outside 2000::/3)'],
  ])('refuses the IPv6 address %s as %s', (address, category) => {
    expect(classifyAddress(address)).toMatchObject({
      allowed: false,
      reason: `${address} is ${category}`,
    });
  });

  it.each([
    // IPv4-mapped: a dual-stack socket dials the IPv4 address inside.
    ['::ffff:127.0.0.1', 'an IPv4-mapped form of 127.0.0.1, a loopback address'],
    ['::ffff:7f00:1', 'an IPv4-mapped form of 127.0.0.1, a loopback address'],
    ['::ffff:10.0.0.5', 'an IPv4-mapped form of 10.0.0.5, a private address'],
    ['::ffff:a9fe:a9fe', 'an IPv4-mapped form of 169.254.169.254, a cloud metadata address'],
    ['0:0:0:0:0:ffff:c0a8:101', 'an IPv4-mapped form of 192.168.1.1, a private address'],
    // IPv4-compatible (deprecated).
    ['::127.0.0.1', 'an IPv4-compatible form of 127.0.0.1, a loopback address'],
    ['::a00:5', 'an IPv4-compatible form of 10.0.0.5, a private address'],
    ['::8.8.8.8', 'an IPv4-compatible address (deprecated)'],
    // NAT64 well-known prefix.
    ['64:ff9b::127.0.0.1', 'a NAT64 form of 127.0.0.1, a loopback address'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 form of 169.254.169.254, a cloud metadata address'],
    // 6to4 carries the IPv4 address in bits 16–47.
    ['2002:a00:1::1', 'a 6to4 address embedding 10.0.0.1, a private address'],
    ['2002:7f00:1::', 'a 6to4 address embedding 127.0.0.1, a loopback address'],
    // Teredo: server in bits 32–63, client inverted in the last 32 bits.
    ['2001:0:a00:1::f7f7:f7f7', 'a Teredo address embedding 10.0.0.1, a private address'],
    ['2001:0:808:808::80ff:fffe', 'a Teredo address embedding 127.0.0.1, a loopback address'],
  ])('refuses %s, whose embedded IPv4 address is refused', (address, description) => {
    expect(classifyAddress(address)).toMatchObject({
      allowed: false,
      reason: `${address} is ${description}`,
    });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '9.255.255.255',
    '11.0.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '192.169.0.1',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:808:808::f7f7:f7f7',
  ])('allows the public address %s', (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: true });
  });

  it.each([
    'localhost',
    '127.1',
    '0x7f.0.0.1',
    '2130706433',
    '017700000001',
    '[::1]',
    '',
    ' 8.8.8.8',
  ])('refuses %j, which is not an IP address in standard form', (text) => {
    expect(classifyAddress(text)).toEqual({
      allowed: false,
      reason: `${text} is not an IP address`,
      category: 'not an IP address',
    });
  });
});
