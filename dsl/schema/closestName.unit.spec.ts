import { describe, expect, it } from 'vitest';
import { closestName } from './closestName.js';

const httpArguments = ['body', 'endpoint', 'headers', 'method', 'output', 'query', 'redirect'];

describe('closestName', () => {
  it('finds the name one edit away', () => {
    expect(closestName('methd', httpArguments)).toBe('method');
    expect(closestName('thn', ['if', 'then', 'timeout'])).toBe('then');
  });

  it('counts swapped neighbours as one edit', () => {
    expect(closestName('mehtod', httpArguments)).toBe('method');
  });

  it('ignores case', () => {
    expect(closestName('Endpoint', httpArguments)).toBe('endpoint');
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('payload', httpArguments)).toBeUndefined();
    expect(closestName('x', ['if'])).toBeUndefined();
  });

  it('breaks ties alphabetically, so the suggestion is stable', () => {
    expect(closestName('cat', ['cut', 'bat'])).toBe('bat');
  });
});
