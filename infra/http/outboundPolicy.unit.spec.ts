import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { parseAllowEntry, parseOutboundPolicy } from './outboundPolicy.js';

function validationError(run: () => unknown): AwpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AwpError);
    expect((error as AwpError).code).toBe('validation');
    return error as AwpError;
  }
  throw new Error('expected a validation error');
}

describe('parseAllowEntry', () => {
  it.each([
    ['api.internal.example', { kind: 'host', hostname: 'api.internal.example' }],
    ['API.Internal.Example.', { kind: 'host', hostname: 'api.internal.example' }],
    ['  api.internal.example  ', { kind: 'host', hostname: 'api.internal.example' }],
    ['api.internal.example:8443', { kind: 'host', hostname: 'api.internal.example', port: 8443 }],
    ['localhost', { kind: 'host', hostname: 'localhost' }],
    ['_svc.example', { kind: 'host', hostname: '_svc.example' }],
    ['bücher.example', { kind: 'host', hostname: 'xn--bcher-kva.example' }],
  ])('reads the host entry %j', (entry, expected) => {
    const parsed = parseAllowEntry(entry);
    expect(parsed).toMatchObject(expected);
    if (!('port' in expected)) expect(parsed.port).toBeUndefined();
  });

  it.each([
    ['10.0.0.5', '10.0.0.5', 32, undefined],
    ['10.0.0.5:8080', '10.0.0.5', 32, 8080],
    ['fd00::5', 'fd00::5', 128, undefined],
    ['[fd00::5]', 'fd00::5', 128, undefined],
    ['[::1]:8080', '::1', 128, 8080],
    ['10.0.0.0/8', '10.0.0.0', 8, undefined],
    ['172.16.0.0/12', '172.16.0.0', 12, undefined],
    ['fd00::/8', 'fd00::', 8, undefined],
    ['169.254.169.254/32', '169.254.169.254', 32, undefined],
  ])('reads the address entry %j', (entry, address, prefix, port) => {
    const parsed = parseAllowEntry(entry);
    expect(parsed.kind).toBe('address');
    if (parsed.kind !== 'address') return;
    expect(parsed.range[0].toString()).toBe(address);
    expect(parsed.range[1]).toBe(prefix);
    expect(parsed.port).toBe(port);
  });

  it.each([
    ['', "'' is empty"],
    ['   ', "'   ' is empty"],
    ['*.example.com', 'uses a wildcard, which is not supported'],
    ['http://api.example.com', 'not a URL'],
    ['user@api.example.com', 'not a URL'],
    ['api.example.com/v1', 'is neither a host nor a CIDR range'],
    ['api.example.com:0', 'has an invalid port'],
    ['api.example.com:65536', 'has an invalid port'],
    ['api.example.com:http', 'has an invalid port'],
    ['api.example.com:', 'has an invalid port'],
    ['api..example.com', 'is not a valid host name'],
    ['-api.example.com', 'is not a valid host name'],
    ['api_example.com!', 'is not a valid host name'],
    ['0x7f.0.0.1', 'write it as 127.0.0.1'],
    ['2130706433', 'write it as 127.0.0.1'],
    ['[::1', 'is not a valid IPv6 entry'],
    ['[::1]:', 'has an invalid port'],
    ['[::1]8080', 'is not a valid IPv6 entry'],
    ['[not-ip]', 'is not a valid IP address'],
    ['fe80::1%eth0', 'must not carry an IPv6 zone id'],
    ['10.0.0.5/8', 'did you mean 10.0.0.0/8?'],
    ['fd00::1/8', 'did you mean fd00::/8?'],
    ['10.0.0.0/33', 'the prefix length must be 0–32'],
    ['fd00::/129', 'the prefix length must be 0–128'],
    ['0.0.0.0/0', 'would allow every address, cloud metadata included'],
    ['::/0', 'would allow every address, cloud metadata included'],
    ['10.0.0.0/8:80', 'cannot carry a port'],
    ['[fd00::]/8', 'write IPv6 ranges without brackets'],
  ])('refuses the entry %j with a message saying why', (entry, message) => {
    const error = validationError(() => parseAllowEntry(entry));
    expect(error.message).toContain(`outbound allow-list entry '${entry}'`);
    expect(error.message).toContain(message);
  });
});

describe('parseOutboundPolicy', () => {
  it('lists every invalid entry with its field', () => {
    const error = validationError(() =>
      parseOutboundPolicy({ allowHosts: ['api.example.com', '*.example.com', '10.0.0.0/33'] }),
    );
    expect(error.message).toMatch(/^the outbound allow-list has 2 invalid entries: /);
    expect(error.details.violations?.map((v) => v.field)).toEqual([
      'allowHosts[1]',
      'allowHosts[2]',
    ]);
    expect(error.details.field).toBe('allowHosts[1]');
  });

  it('names the field of a single invalid entry', () => {
    const error = validationError(() => parseOutboundPolicy({ allowHosts: ['a.example:99999'] }));
    expect(error.message).toBe(
      "outbound allow-list entry 'a.example:99999' has an invalid port: use a number from 1 to 65535",
    );
    expect(error.details.field).toBe('allowHosts[0]');
  });

  it('matches host entries by name and, when given, by port', () => {
    const list = parseOutboundPolicy({ allowHosts: ['api.example', 'db.example:5433'] });
    expect(list.matchHost('api.example', 80)?.entry).toBe('api.example');
    expect(list.matchHost('api.example', 9999)?.entry).toBe('api.example');
    expect(list.matchHost('db.example', 5433)?.entry).toBe('db.example:5433');
    expect(list.matchHost('db.example', 5432)).toBeUndefined();
    expect(list.matchHost('other.example', 80)).toBeUndefined();
    expect(list.matchHost('sub.api.example', 80)).toBeUndefined();
  });

  it('matches addresses against address and CIDR entries, IPv4-mapped forms included', () => {
    const list = parseOutboundPolicy({
      allowHosts: ['10.0.0.0/8', '192.168.1.10:8080', 'fd00::/8', '[::1]:3000'],
    });
    expect(list.matchAddress('10.1.2.3', 443)?.entry).toBe('10.0.0.0/8');
    expect(list.matchAddress('::ffff:10.1.2.3', 443)?.entry).toBe('10.0.0.0/8');
    expect(list.matchAddress('11.0.0.1', 443)).toBeUndefined();
    expect(list.matchAddress('192.168.1.10', 8080)?.entry).toBe('192.168.1.10:8080');
    expect(list.matchAddress('192.168.1.10', 8081)).toBeUndefined();
    expect(list.matchAddress('fd12::1', 443)?.entry).toBe('fd00::/8');
    expect(list.matchAddress('::1', 3000)?.entry).toBe('[::1]:3000');
    expect(list.matchAddress('::1', 3001)).toBeUndefined();
    // ::10.1.2.3 is the deprecated IPv4-compatible form, not the mapped one: no match.
    expect(list.matchAddress('::10.1.2.3', 443)).toBeUndefined();
    expect(list.matchAddress('not-an-ip', 443)).toBeUndefined();
  });

  it('does not let a host entry stand for the addresses it might resolve to', () => {
    const list = parseOutboundPolicy({ allowHosts: ['api.example'] });
    expect(list.matchAddress('10.0.0.5', 80)).toBeUndefined();
  });
});
