import { describe, expect, it } from 'vitest';
import { securityRequirementOf } from './securityRequirement.js';

describe('securityRequirementOf', () => {
  it('reads a tenant action: bearer with one permission', () => {
    expect(securityRequirementOf([{ bearer: ['workflow:read'] }])).toEqual({
      scheme: 'bearer',
      permission: 'workflow:read',
    });
  });

  it('reads an operator action', () => {
    expect(securityRequirementOf([{ operator: [] }])).toEqual({ scheme: 'operator' });
  });

  it.each<[string, Array<Record<string, string[]>>]>([
    ['no declaration', []],
    ['a bearer without a permission', [{ bearer: [] }]],
    ['a bearer with two permissions', [{ bearer: ['workflow:read', 'secret:read'] }]],
    ['alternatives', [{ bearer: ['workflow:read'] }, { operator: [] }]],
    ['two schemes at once', [{ bearer: ['workflow:read'], operator: [] }]],
    ['an operator with scopes', [{ operator: ['all'] }]],
    ['an unknown scheme', [{ apiKey: [] }]],
  ])('refuses %s', (_what, security) => {
    expect(() => securityRequirementOf(security)).toThrow(/exactly one of/);
  });

  it('refuses a permission the matrix does not know', () => {
    expect(() => securityRequirementOf([{ bearer: ['workflow:delete'] }])).toThrow(
      "unknown permission 'workflow:delete'",
    );
  });
});
