import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AwpError } from './errors.js';
import { assertPermitted, permissionMatrix, permissions, roleGrants } from './permissions.js';
import { roles } from './roles.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('the permission matrix', () => {
  it('is the table the README prints', () => {
    const printed = new Map<string, string[]>();
    for (const line of readme.split('\n')) {
      const match = /^\| `([a-z]+:[a-z]+)` +\|(.*)\|$/.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const cells = match[2].split('|').map((cell) => cell.trim());
      printed.set(
        match[1],
        roles.filter((_, i) => cells[i] === '✓'),
      );
    }
    expect(Object.fromEntries(printed)).toEqual(
      Object.fromEntries(Object.entries(permissionMatrix).map(([p, r]) => [p, [...r]])),
    );
  });

  it('gives the owner everything and the viewer only reads', () => {
    expect(permissions.every((p) => roleGrants('owner', p))).toBe(true);
    expect(
      permissions.filter((p) => roleGrants('viewer', p)).every((p) => p.endsWith(':read')),
    ).toBe(true);
  });

  it('refuses without an account (401) and without the permission (403)', () => {
    const caller = { correlationId: 'c', actor: { type: 'user' as const, id: 'u' } };
    const codeOf = (run: () => void) => {
      try {
        run();
        return 'allowed';
      } catch (error) {
        return (error as AwpError).code;
      }
    };
    expect(codeOf(() => assertPermitted(undefined, 'workflow:read'))).toBe('unauthorized');
    expect(codeOf(() => assertPermitted(caller, 'workflow:read'))).toBe('unauthorized');
    const viewer = { ...caller, accountId: 'acme', roles: ['viewer' as const] };
    expect(codeOf(() => assertPermitted(viewer, 'workflow:read'))).toBe('allowed');
    expect(codeOf(() => assertPermitted(viewer, 'workflow:write'))).toBe('forbidden');
    expect(codeOf(() => assertPermitted({ ...viewer, roles: [] }, 'workflow:read'))).toBe(
      'forbidden',
    );
  });
});
