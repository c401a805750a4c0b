import { describe, expect, it } from 'vitest';
import { compatibilityLevels, findIncompatibilities } from './compatibility.js';

type Field = { name: string; type: unknown; default?: unknown };

const user = (...fields: Field[]) => ({
  type: 'record',
  name: 'User',
  namespace: 'com.acme',
  fields: [{ name: 'id', type: 'string' }, ...fields],
});
const color = (...symbols: string[]) =>
  user({ name: 'color', type: { type: 'enum', name: 'Color', symbols } });

const v1 = (schema: object) => [{ version: 1, schema }];

describe('findIncompatibilities', () => {
  it('accepts an added optional field with a default under every level', () => {
    const added = user({ name: 'email', type: ['null', 'string'], default: null });
    for (const level of compatibilityLevels) {
      expect(findIncompatibilities(level, added, v1(user()))).toEqual([]);
    }
  });

  it('refuses an added field without a default under BACKWARD, naming the field', () => {
    const added = user({ name: 'email', type: 'string' });
    const found = findIncompatibilities('BACKWARD', added, v1(user()));
    expect(found).toHaveLength(1);
    expect(found[0]?.version).toBe(1);
    expect(found[0]?.reason).toContain('the new schema cannot read data written with version 1');
    expect(found[0]?.reason).toContain('email');
  });

  it('accepts an added field without a default under FORWARD: old readers ignore it', () => {
    const added = user({ name: 'email', type: 'string' });
    expect(findIncompatibilities('FORWARD', added, v1(user()))).toEqual([]);
  });

  it('accepts a removed field under BACKWARD but not under FORWARD when it had no default', () => {
    const withEmail = user({ name: 'email', type: 'string' });
    expect(findIncompatibilities('BACKWARD', user(), v1(withEmail))).toEqual([]);
    const found = findIncompatibilities('FORWARD', user(), v1(withEmail));
    expect(found.map((entry) => entry.reason)).toEqual([
      expect.stringContaining('version 1 cannot read data written with the new schema'),
    ]);
  });

  it('accepts a removed field under FULL when the old schema gave it a default', () => {
    const withEmail = user({ name: 'email', type: 'string', default: '' });
    expect(findIncompatibilities('FULL', user(), v1(withEmail))).toEqual([]);
  });

  it('promotes int to long for readers, but a long cannot be read as an int', () => {
    const asInt = user({ name: 'age', type: 'int' });
    const asLong = user({ name: 'age', type: 'long' });
    expect(findIncompatibilities('BACKWARD', asLong, v1(asInt))).toEqual([]);
    expect(findIncompatibilities('FORWARD', asLong, v1(asInt))).toHaveLength(1);
    expect(findIncompatibilities('FULL', asLong, v1(asInt))).toHaveLength(1);
    expect(findIncompatibilities('BACKWARD', asInt, v1(asLong))[0]?.reason).toContain(
      'cannot read "long" as "int"',
    );
  });

  it('accepts an added enum symbol under BACKWARD only', () => {
    const more = color('RED', 'GREEN', 'BLUE');
    expect(findIncompatibilities('BACKWARD', more, v1(color('RED', 'GREEN')))).toEqual([]);
    expect(findIncompatibilities('FORWARD', more, v1(color('RED', 'GREEN')))).toHaveLength(1);
  });

  it('refuses a removed enum symbol under BACKWARD: old data may hold it', () => {
    const fewer = color('RED');
    expect(findIncompatibilities('BACKWARD', fewer, v1(color('RED', 'GREEN')))).toHaveLength(1);
    expect(findIncompatibilities('FORWARD', fewer, v1(color('RED', 'GREEN')))).toEqual([]);
  });

  it('refuses a renamed record, since resolution matches records by name', () => {
    const renamed = { ...user(), name: 'Customer' };
    expect(findIncompatibilities('BACKWARD', renamed, v1(user()))).toHaveLength(1);
  });

  it('reports both directions under FULL', () => {
    const asString = user({ name: 'age', type: 'string', default: '' });
    const asInt = user({ name: 'age', type: 'int', default: 0 });
    const found = findIncompatibilities('FULL', asString, v1(asInt));
    expect(found.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/^the new schema cannot read data written with version 1/),
      expect.stringMatching(/^version 1 cannot read data written with the new schema/),
    ]);
  });

  describe('transitive levels', () => {
    // v1 has no `email`; v2 adds it with a default; v3 drops the default. v3 reads v2 data
    // (every v2 record has an email) but not v1 data (no email, and no default to fill in).
    const history = [
      { version: 1, schema: user() },
      { version: 2, schema: user({ name: 'email', type: 'string', default: '' }) },
    ];
    const v3 = user({ name: 'email', type: 'string' });

    it('checks only the latest version without _TRANSITIVE', () => {
      expect(findIncompatibilities('BACKWARD', v3, history)).toEqual([]);
    });

    it('checks every earlier version with _TRANSITIVE and names the one that fails', () => {
      const found = findIncompatibilities('BACKWARD_TRANSITIVE', v3, history);
      expect(found.map((entry) => entry.version)).toEqual([1]);
    });
  });

  it('accepts anything under NONE', () => {
    expect(findIncompatibilities('NONE', { type: 'string' }, v1(user()))).toEqual([]);
  });

  it('accepts any first schema, having nothing to compare with', () => {
    expect(findIncompatibilities('FULL_TRANSITIVE', user(), [])).toEqual([]);
  });

  it('throws when a schema is not valid Avro', () => {
    expect(() => findIncompatibilities('BACKWARD', { type: 'nope' }, v1(user()))).toThrow(/nope/);
  });
});
