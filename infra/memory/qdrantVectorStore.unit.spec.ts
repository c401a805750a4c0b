import { describe, expect, it } from 'vitest';
import { qdrantFilter, qdrantPointId } from './qdrantVectorStore.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Qdrant memory store, without a server', () => {
  it('derives a stable UUID point id from the account and the memory id', () => {
    const id = qdrantPointId('acc-1', 'memory-1');
    expect(id).toMatch(uuid);
    expect(qdrantPointId('acc-1', 'memory-1')).toBe(id);
  });

  it('gives the same memory id in two accounts two different points', () => {
    expect(qdrantPointId('acc-1', 'm')).not.toBe(qdrantPointId('acc-2', 'm'));
    // The separator keeps ('a', 'bc') and ('ab', 'c') apart.
    expect(qdrantPointId('a', 'bc')).not.toBe(qdrantPointId('ab', 'c'));
  });

  it('filters every search by account, and without a user to tenant memories only', () => {
    expect(qdrantFilter('acc-1', { limit: 5 })).toEqual({
      must: [
        { key: 'accountId', match: { value: 'acc-1' } },
        { key: 'scope', match: { value: 'tenant' } },
      ],
    });
  });

  it("lets a user see the tenant's memories and their own, of the kinds asked", () => {
    expect(qdrantFilter('acc-1', { userId: 'alice', kinds: ['fact'], limit: 5 })).toEqual({
      must: [
        { key: 'accountId', match: { value: 'acc-1' } },
        {
          should: [
            { key: 'scope', match: { value: 'tenant' } },
            {
              must: [
                { key: 'scope', match: { value: 'user' } },
                { key: 'userId', match: { value: 'alice' } },
              ],
            },
          ],
        },
        { key: 'kind', match: { any: ['fact'] } },
      ],
    });
  });

  it("narrows to the user's own memories when asked for user scope", () => {
    expect(qdrantFilter('acc-1', { userId: 'alice', scope: 'user', limit: 5 }).must).toEqual([
      { key: 'accountId', match: { value: 'acc-1' } },
      { key: 'scope', match: { value: 'user' } },
      { key: 'userId', match: { value: 'alice' } },
    ]);
  });
});
