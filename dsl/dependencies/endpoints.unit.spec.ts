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

describe('endpointUri and isDynamicUri', () => {
  it('reads a string endpoint or an endpoint object, and flags runtime expressions', () => {
    expect(endpointUri('https://a')).toBe('https://a');
    expect(endpointUri({ uri: 'https://b', authentication: { use: 'x' } })).toBe('https://b');
    expect(endpointUri({ url: 'https://c' })).toBeUndefined();
    expect(isDynamicUri('${ .callback }')).toBe(true);
    expect(isDynamicUri('https://x/{id}')).toBe(false);
  });
});
