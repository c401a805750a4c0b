import { describe, expect, it } from 'vitest';
import { serverUrls } from './serverUrls.js';

describe('server URLs of a connector', () => {
  it('expands variables with their defaults and drops trailing slashes', () => {
    const document = {
      servers: [
        { url: 'https://{region}.api.example/v1/', variables: { region: { default: 'eu' } } },
        { url: 'http://localhost:8080' },
      ],
    };
    expect(serverUrls(document, null)).toEqual([
      'https://eu.api.example/v1',
      'http://localhost:8080',
    ]);
  });

  it('resolves relative servers against where the document came from, and skips them for uploads', () => {
    const document = { servers: [{ url: '/api' }, { url: 'ftp://files.example' }, { url: 42 }] };
    expect(serverUrls(document, 'https://kitchen.example/openapi.json')).toEqual([
      'https://kitchen.example/api',
    ]);
    expect(serverUrls(document, null)).toEqual([]);
  });
});
