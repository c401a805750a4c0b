import { describe, expect, it } from 'vitest';
import { endpointUri, isDynamicUri, redactUri } from './endpoints.js';

describe('redactUri', () => {
  it('drops user info, which is where URIs carry passwords', () => {
    expect(redactUri('https://admin:hunter2@api.example/v1')).toBe('https://api.example/v1');
    expect(redactUri('amqp://guest@broker:5672')).toBe('amqp://broker:5672');
  });

  it('masks secret-looking query values and keeps the rest', () => {
    expect(redactUri('https://x/y?api_key=abc&page=2&access_token=t&sig=s')).toBe(
      'https://x/y?api_key=***&page=2&access_token=***&sig=***',
    );
  });

  it('keeps URI templates and expressions, which hold no value yet', () => {
    expect(redactUri('https://x/pet/{petId}?token={token}')).toBe(
      'https://x/pet/{petId}?token={token}',
    );
    expect(redactUri('${ .base + "/x" }')).toBe('${ .base + "/x" }');
  });
});

describe('redactUri on user info (review: a password holding @ was only partly hidden)', () => {
  it.each([
    ['no user info', 'https://host.io/x', 'https://host.io/x'],
    ['a user alone', 'https://user@host.io/x', 'https://host.io/x'],
    ['a user and password', 'https://user:pass@host.io:8443/x', 'https://host.io:8443/x'],
    ['a password holding @', 'https://user:p@ss@host.io/x', 'https://host.io/x'],
    ['a password of @s', 'https://u:@@@@host.io', 'https://host.io'],
    ['a password holding @ before a query', 'https://u:p@ss@host.io?a=1', 'https://host.io?a=1'],
    ['a password holding @ before a fragment', 'ftp://u:p@ss@host.io#top', 'ftp://host.io#top'],
    ['@ in the path only', 'https://host.io/users/@me/p@ss', 'https://host.io/users/@me/p@ss'],
    [
      '@ in the query only',
      'https://host.io/x?email=a@b.io&cc=c@d.io',
      'https://host.io/x?email=a@b.io&cc=c@d.io',
    ],
    ['@ in the fragment only', 'https://host.io/x#a@b', 'https://host.io/x#a@b'],
    ['user info after a path holding @', 'https://u:p@ss@host.io/@x?y=@', 'https://host.io/@x?y=@'],
    [
      'a URI template',
      'https://{user}:{password}@host.io/pet/{petId}',
      'https://host.io/pet/{petId}',
    ],
    [
      'a template without user info',
      'https://host.io/{+path}{?q,page}',
      'https://host.io/{+path}{?q,page}',
    ],
    ['an expression without a URI', '${ .endpoint }', '${ .endpoint }'],
    [
      'an expression building a URI',
      '${ "https://u:p@ss@host.io/" + .path }',
      '${ "https://host.io/" + .path }',
    ],
    [
      'a URI in a query value',
      'https://a.io/cb?next=https://u:p@ss@b.io/x',
      'https://a.io/cb?next=https://b.io/x',
    ],
    ['no authority at all', 'mailto:someone@host.io', 'mailto:someone@host.io'],
  ])('%s: %s', (_shape, uri, shown) => {
    expect(redactUri(uri)).toBe(shown);
  });

  it('never lets any part of the password through', () => {
    for (const password of ['p@ss', '@p', 'p@', 'a@b@c', 'x:y@z']) {
      expect(redactUri(`https://admin:${password}@host.io/v1?page=2`)).toBe(
        'https://host.io/v1?page=2',
      );
    }
  });
});

describe('redactUri on long URIs (review: its query pattern rescanned a run of ? from each one)', () => {
  it('masks a secret after 100,000 question marks in one pass', () => {
    const marks = '?'.repeat(100_000);
    expect(redactUri(`https://h/${marks}token=abc&page=2`)).toBe(
      `https://h/${marks}token=***&page=2`,
    );
  });

  it('reads 100,000 parameters without values, and 100,000 @ of user info', () => {
    const bare = `https://h/${'?a'.repeat(100_000)}`;
    expect(redactUri(bare)).toBe(bare);
    expect(redactUri(`https://${'u@'.repeat(100_000)}host.io/x`)).toBe('https://host.io/x');
    const separators = '://'.repeat(100_000);
    expect(redactUri(separators)).toBe(separators);
  });
});

describe('endpointUri and isDynamicUri', () => {
  it('reads a string endpoint or an endpoint object, and flags runtime expressions', () => {
    expect(endpointUri('https://a')).toBe('https://a');
    expect(endpointUri({ uri: 'https://b', authentication: { use: 'x' } })).toBe('https://b');
    expect(endpointUri({ url: 'https://c' })).toBeUndefined();
    expect(isDynamicUri('${ .callback }')).toBe(true);
    expect(isDynamicUri('https://x/{id}')).toBe(false);
  });
});
