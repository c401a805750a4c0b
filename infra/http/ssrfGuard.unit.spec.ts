import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { checkOutboundUrl } from './ssrfGuard.js';
import type { OutboundPolicy } from './outboundPolicy.js';

const noExceptions: OutboundPolicy = { allowHosts: [] };
const hint = '; a tenant admin can allow it in the outbound allow-list';

function refusal(url: string, policy: OutboundPolicy = noExceptions): AwpError {
  try {
    checkOutboundUrl(url, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(AwpError);
    return error as AwpError;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('checkOutboundUrl', () => {
  it('returns the parsed URL of a public destination', () => {
    expect(checkOutboundUrl('https://api.example.com/v1/orders?x=1', noExceptions).href).toBe(
      'https://api.example.com/v1/orders?x=1',
    );
    expect(checkOutboundUrl('http://8.8.8.8:8080/', noExceptions).hostname).toBe('8.8.8.8');
    expect(checkOutboundUrl('http://[2606:4700:4700::1111]/', noExceptions).port).toBe('');
  });

  it('refuses a private address naming only the origin, never the path or query', () => {
    const error = refusal('http://10.0.0.5:8080/orders?token=abc123');
    expect(error.code).toBe('forbidden');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `outbound call to http://10.0.0.5:8080 refused: 10.0.0.5 is a private address${hint}`,
    );
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0.0.0.0:3000/', '0.0.0.0 is an unspecified ("this network") address'],
    ['http://10.1.2.3/', '10.1.2.3 is a private address'],
    ['http://172.20.0.1/', '172.20.0.1 is a private address'],
    ['http://192.168.0.1/', '192.168.0.1 is a private address'],
    ['http://100.64.1.1/', '100.64.1.1 is a carrier-grade NAT address'],
    ['http://169.254.1.1/', '169.254.1.1 is a link-local address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://100.100.100.200/', '100.100.100.200 is a cloud metadata address'],
    ['http://255.255.255.255/', '255.255.255.255 is the broadcast address'],
    ['http://224.0.0.251/', '224.0.0.251 is a multicast address'],
    ['http://192.0.2.1/', '192.0.2.1 is a documentation address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::]/', ':: is the unspecified address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://[fd12::1]/', 'fd12::1 is a unique-local address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata address'],
    ['http://[ff02::1]/', 'ff02::1 is a multicast address'],
    [
      'http://[::ffff:127.0.0.1]/',
      '::ffff:7f00:1 is an IPv4-mapped form of 127.0.0.1, a loopback address',
    ],
    [
      'http://[::ffff:169.254.169.254]/',
      '::ffff:a9fe:a9fe is an IPv4-mapped form of 169.254.169.254, a cloud metadata address',
    ],
    ['http://[::10.0.0.1]/', '::a00:1 is an IPv4-compatible form of 10.0.0.1, a private address'],
    [
      'http://[64:ff9b::10.0.0.1]/',
      '64:ff9b::a00:1 is a NAT64 form of 10.0.0.1, a private address',
    ],
    [
      'http://[2002:a00:1::1]/',
      '2002:a00:1::1 is a 6to4 address embedding 10.0.0.1, a private address',
    ],
  ])('refuses %s: %s', (url, reason) => {
    const error = refusal(url);
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(new RegExp(`refused: ${escape(reason)}${escape(hint)}$`));
  });

  it.each([
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://Metadata.Google.Internal./',
    'http://metadata/',
    'http://instance-data.ec2.internal/latest/',
    'https://metadata.platformequinix.com/metadata',
  ])('refuses the metadata host name in %s', (url) => {
    expect(refusal(url).message).toMatch(/is a cloud metadata endpoint; a tenant admin can allow/);
  });

  it.each(['file:///etc/passwd', 'ftp://files.example.com/', 'gopher://x.example:70/', 'data:,hi'])(
    'refuses the non-http scheme of %s, with no way to allow it',
    (url) => {
      const error = refusal(url, { allowHosts: ['files.example.com'] });
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(
        /^outbound call to a [a-z]+: URL refused: only http and https are allowed$/,
      );
    },
  );

  it('refuses credentials in the URL without repeating them', () => {
    const error = refusal('https://alice:s3cr3t@api.example.com/v1', {
      allowHosts: ['api.example.com'],
    });
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      "outbound call to https://api.example.com refused: the URL carries credentials (user:password@): use the task's authentication",
    );
    expect(error.message).not.toMatch(/alice|s3cr3t/);
    expect(refusal('https://token@api.example.com/').message).not.toContain('token');
  });

  it('reports text that is not an absolute URL as a validation error, without echoing it', () => {
    for (const text of ['not a url', '/relative/path', 'https://user:pw@[::1/']) {
      const error = refusal(text);
      expect(error.code).toBe('validation');
      expect(error.message).toBe('the outbound URL is not a valid absolute URL');
    }
  });

  it('refuses port 0 even when the host is allowed', () => {
    expect(refusal('http://api.example.com:0/', { allowHosts: ['api.example.com'] }).message).toBe(
      'outbound call to http://api.example.com:0 refused: port 0 is not a valid destination port',
    );
  });

  it('refuses the Fetch standard bad ports unless an entry names that host and port', () => {
    expect(refusal('http://api.example.com:25/').message).toBe(
      `outbound call to http://api.example.com:25 refused: port 25 is reserved for a protocol other than HTTP${hint}`,
    );
    expect(refusal('http://api.example.com:25/', { allowHosts: ['api.example.com'] }).code).toBe(
      'forbidden',
    );
    expect(() =>
      checkOutboundUrl('http://api.example.com:25/', { allowHosts: ['api.example.com:25'] }),
    ).not.toThrow();
    expect(() =>
      checkOutboundUrl('http://10.0.0.5:6000/', { allowHosts: ['10.0.0.5:6000'] }),
    ).not.toThrow();
  });

  it('lets the allow-list open private addresses by address, address:port and CIDR', () => {
    const policy = {
      allowHosts: ['10.0.0.0/8', '192.168.1.10:8080', '[fd00::5]:443', '169.254.169.254'],
    };
    expect(() => checkOutboundUrl('http://10.20.30.40/', policy)).not.toThrow();
    expect(() => checkOutboundUrl('http://[::ffff:10.20.30.40]/', policy)).not.toThrow();
    expect(() => checkOutboundUrl('http://192.168.1.10:8080/', policy)).not.toThrow();
    expect(refusal('http://192.168.1.10:8081/', policy).message).toContain(
      '192.168.1.10 is a private address',
    );
    expect(() => checkOutboundUrl('https://[fd00::5]/', policy)).not.toThrow();
    expect(refusal('http://[fd00::5]/', policy).code).toBe('forbidden');
    expect(() => checkOutboundUrl('http://169.254.169.254/latest/', policy)).not.toThrow();
  });

  it('lets a host entry open a metadata name', () => {
    expect(() =>
      checkOutboundUrl('http://metadata.google.internal/', {
        allowHosts: ['metadata.google.internal:80'],
      }),
    ).not.toThrow();
  });

  it('leaves host names to the connect-time check', () => {
    // Nothing is resolved here: the dispatcher judges what the name resolves to when it dials.
    expect(() => checkOutboundUrl('http://localhost:3000/', noExceptions)).not.toThrow();
  });

  it('reports a bad allow-list as a validation error', () => {
    const error = refusal('https://api.example.com/', { allowHosts: ['*.example.com'] });
    expect(error.code).toBe('validation');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
