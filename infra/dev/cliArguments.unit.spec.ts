import { describe, expect, it } from 'vitest';
import { parseCliArguments } from './cliArguments.js';

describe('parseCliArguments', () => {
  it('selects no particular service when only a subcommand is given, meaning all of them', () => {
    expect(parseCliArguments(['up'])).toEqual({ kind: 'run', subcommand: 'up', services: [] });
  });

  it('keeps the named services in registry order and drops repeats', () => {
    expect(parseCliArguments(['down', 'kafka', 'postgres', 'kafka'])).toEqual({
      kind: 'run',
      subcommand: 'down',
      services: ['postgres', 'kafka'],
    });
  });

  it('rejects an unknown subcommand and names the valid ones', () => {
    const request = parseCliArguments(['restart']);
    expect(request.kind).toBe('usage-error');
    expect(request).toMatchObject({
      message: expect.stringContaining("unknown subcommand 'restart'"),
    });
    expect(request).toMatchObject({ message: expect.stringContaining('up, down, status') });
  });

  it('rejects unknown service names and lists every one of them', () => {
    const request = parseCliArguments(['up', 'mysql', 'redis', 'mongo']);
    expect(request).toEqual({
      kind: 'usage-error',
      message: "unknown service 'mysql', 'mongo'; known services: postgres, redis, kafka",
    });
  });

  it('reports a missing subcommand as a usage error', () => {
    expect(parseCliArguments([]).kind).toBe('usage-error');
  });

  it('treats help flags as a request for usage rather than an error', () => {
    for (const flag of ['help', '--help', '-h'])
      expect(parseCliArguments([flag])).toEqual({ kind: 'help' });
  });
});
