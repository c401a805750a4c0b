import { describe, expect, it } from 'vitest';
import { parseJavaMajorVersion } from './prerequisites.js';

describe('parseJavaMajorVersion', () => {
  it('reads the major version of a modern JDK', () => {
    expect(
      parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'),
    ).toBe(17);
  });

  it('reads a bare major version as printed by early-access builds', () => {
    expect(parseJavaMajorVersion('openjdk version "25" 2025-09-16')).toBe(25);
  });

  it('maps the legacy 1.x scheme to its real major version', () => {
    expect(parseJavaMajorVersion('java version "1.8.0_392"')).toBe(8);
  });

  it('returns undefined for output it does not recognise', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});
