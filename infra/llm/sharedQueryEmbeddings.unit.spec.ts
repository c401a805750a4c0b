import { describe, expect, it } from 'vitest';
import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';
import { sharedQueryEmbeddings } from './sharedQueryEmbeddings.js';

function counting(fail = false) {
  const calls: string[][] = [];
  const provider: EmbeddingsProvider = {
    name: 'test',
    model: 'm',
    async embed(texts) {
      calls.push([...texts]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('model down');
      return texts.map((text) => [text.length]);
    },
  };
  return { provider, calls };
}

describe('sharedQueryEmbeddings', () => {
  it('asks once for a query embedded twice at the same moment', async () => {
    const { provider, calls } = counting();
    const shared = sharedQueryEmbeddings(provider);
    const [a, b] = await Promise.all([shared.embed(['busy cooks']), shared.embed(['busy cooks'])]);
    expect(a).toEqual([[10]]);
    expect(b).toEqual([[10]]);
    expect(calls).toEqual([['busy cooks']]);
  });

  it('asks again once the vector is older than its time to live', async () => {
    const { provider, calls } = counting();
    let clock = 0;
    const shared = sharedQueryEmbeddings(provider, { ttlMs: 1_000, now: () => clock });
    await shared.embed(['q']);
    clock = 999;
    await shared.embed(['q']);
    clock = 1_001;
    await shared.embed(['q']);
    expect(calls).toHaveLength(2);
  });

  it('shares a failure with those waiting, then forgets it', async () => {
    const { provider, calls } = counting(true);
    const shared = sharedQueryEmbeddings(provider);
    const both = await Promise.allSettled([shared.embed(['q']), shared.embed(['q'])]);
    expect(both.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await expect(shared.embed(['q'])).rejects.toThrow('model down');
    expect(calls).toHaveLength(2);
  });

  it('lets a caller stop waiting without failing the others', async () => {
    const { provider } = counting();
    const shared = sharedQueryEmbeddings(provider);
    const leaving = new AbortController();
    const left = shared.embed(['q'], leaving.signal);
    const staying = shared.embed(['q']);
    leaving.abort(new Error('client went away'));
    await expect(left).rejects.toThrow('client went away');
    expect(await staying).toEqual([[1]]);
  });

  it('passes batches straight through and keeps at most maxEntries queries', async () => {
    const { provider, calls } = counting();
    const shared = sharedQueryEmbeddings(provider, { maxEntries: 2 });
    await shared.embed(['a', 'b']);
    await shared.embed(['a', 'b']);
    for (const text of ['x', 'y', 'z', 'x']) await shared.embed([text]);
    // 'x' was the oldest of three, so it was asked for again.
    expect(calls).toEqual([['a', 'b'], ['a', 'b'], ['x'], ['y'], ['z'], ['x']]);
  });
});
