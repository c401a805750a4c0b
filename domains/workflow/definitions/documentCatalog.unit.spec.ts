import { describe, expect, it } from 'vitest';
import { DocumentCatalog } from './documentCatalog.js';

const greet = (
  greeting: string,
) => `document: { dsl: '1.0.3', namespace: t, name: greet, version: '1.0.0' }
do:
  - greet: { set: { greeting: ${greeting} } }
`;

const greetingOf = async (
  found: ReturnType<DocumentCatalog['load']>,
): Promise<string | undefined> => JSON.stringify((await found)?.definition.do);

describe('the document catalog', () => {
  it('keeps documents added for an account to that account, before the shared ones', async () => {
    const catalog = new DocumentCatalog();
    await catalog.add(greet('shared'));
    await catalog.add(greet('mine'), 'sim-1');
    await catalog.add(greet('yours'), 'sim-2');
    expect(await greetingOf(catalog.load('sim-1', 't/greet', '1.0.0'))).toContain('mine');
    expect(await greetingOf(catalog.load('sim-2', 't/greet', '1.0.0'))).toContain('yours');
    expect(await greetingOf(catalog.load('anyone', 't/greet', '1.0.0'))).toContain('shared');
    expect(await greetingOf(catalog.find('sim-1', 't', 'greet', 'latest'))).toContain('mine');
    expect(await greetingOf(catalog.find('anyone', 't', 'greet', 'latest'))).toContain('shared');
  });

  it('forgets an account’s documents, and only those', async () => {
    const catalog = new DocumentCatalog();
    await catalog.add(greet('mine'), 'sim-1');
    await catalog.add(greet('other'), 'sim-10');
    catalog.forget('sim-1');
    expect(await catalog.load('sim-1', 't/greet', '1.0.0')).toBeUndefined();
    expect(await greetingOf(catalog.load('sim-10', 't/greet', '1.0.0'))).toContain('other');
  });
});
