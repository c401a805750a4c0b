import { describe, expect, it } from 'vitest';
import { domainModules } from './domainModules.js';
import { availableDomains, domainNames, parseServiceList } from './serviceNames.js';

describe('service names', () => {
  it('lists as available exactly the domains that have a module', () => {
    const withModule = domainNames.filter((name) => domainModules[name] !== undefined);
    expect(availableDomains()).toEqual(withModule);
  });

  it('accepts a list with spaces and repeats', () => {
    expect(parseServiceList(' platform , platform')).toEqual(['platform']);
  });

  it('refuses an empty list', () => {
    expect(() => parseServiceList(' , ')).toThrow('--services needs at least one service name');
  });
});
