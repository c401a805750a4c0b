import { describe, expect, it } from 'vitest';
import { dependencyTasksOf } from './dependencyTasks.js';
import { listResourceDependencies } from './resourceDependencies.js';

describe('listResourceDependencies', () => {
  // Review: each task calling a catalog copied the list of its users, and the catalog's URI was
  // redacted again for every one of them.
  it('lists the 20,000 users of one catalog with a 100 KB URI, in document order', () => {
    const count = 20_000;
    const uri = `https://catalog.example/${'c'.repeat(100_000)}`;
    const workflow = {
      use: { catalogs: { shared: { endpoint: uri } } },
      do: Array.from({ length: count }, (_, i) => ({ [`t${i}`]: { call: 'log:1.0.0@shared' } })),
    };
    const resources = listResourceDependencies(workflow, dependencyTasksOf(workflow));
    expect(resources).toHaveLength(1);
    const [catalog] = resources;
    expect(catalog?.kind).toBe('catalog');
    expect(catalog?.uri).toBe(uri);
    expect(catalog?.usedBy).toHaveLength(count);
    expect(catalog?.usedBy.slice(0, 2)).toEqual(['/do/0/t0', '/do/1/t1']);
    expect(catalog?.usedBy[count - 1]).toBe(`/do/${count - 1}/t${count - 1}`);
  });
});
