import { describe, expect, it } from 'vitest';
import { sameEndpoint } from './draftSimulation.js';

describe('sameEndpoint', () => {
  it('matches equal endpoints, ignoring a trailing slash, the query and the host letter case', () => {
    expect(
      sameEndpoint('https://kitchen.example/schedules', 'https://kitchen.example/schedules'),
    ).toBe(true);
    expect(
      sameEndpoint('https://Kitchen.Example/schedules/', 'https://kitchen.example/schedules'),
    ).toBe(true);
    expect(
      sameEndpoint('https://kitchen.example/schedules?day=1', 'https://kitchen.example/schedules'),
    ).toBe(true);
  });

  it('lets a parameter on either side stand for one path segment', () => {
    const template = 'https://kitchen.example/orders/{orderId}/items';
    expect(sameEndpoint('https://kitchen.example/orders/o-1/items', template)).toBe(true);
    expect(sameEndpoint('https://kitchen.example/orders/{id}/items', template)).toBe(true);
    expect(sameEndpoint('https://kitchen.example/orders/o-1/extra/items', template)).toBe(false);
  });

  it('never matches another host, scheme, path or letter case of a path', () => {
    const template = 'https://kitchen.example/schedules';
    expect(sameEndpoint('https://other.example/schedules', template)).toBe(false);
    expect(sameEndpoint('http://kitchen.example/schedules', template)).toBe(false);
    expect(sameEndpoint('https://kitchen.example/Schedules', template)).toBe(false);
    expect(sameEndpoint('https://kitchen.example/schedules/s-1', template)).toBe(false);
    // A parameter never stands in for the host.
    expect(sameEndpoint('https://{host}/schedules', template)).toBe(false);
  });
});
