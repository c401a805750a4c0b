import { describe, expect, it, vi } from 'vitest';
import type { EventStore, IdGenerator } from '../../../contracts/index.js';
import { LlmProviderError } from '../llm/index.js';
import type { EmbeddingsProvider } from '../llm/index.js';
import { AgentMemory } from '../memory/agentMemory.js';
import type { ScoredMemory, VectorStore } from '../memory/vectorStore.js';
import { recallForReply } from './replyMemories.js';

const hits: ScoredMemory[] = [
  {
    id: 'm1',
    scope: 'user',
    userId: 'ana',
    kind: 'preference',
    text: 'Alerts go to #pass.',
    score: 0.9,
  },
  { id: 'm2', scope: 'tenant', userId: null, kind: 'fact', text: 'Closed on Mondays.', score: 0.5 },
];

function memoryWith(embed: EmbeddingsProvider['embed']) {
  const search = vi.fn<VectorStore['search']>(async () => hits);
  const vectors: VectorStore = {
    dimension: 2,
    search,
    upsert: async () => undefined,
    delete: async () => undefined,
    deleteAll: async () => undefined,
  };
  const memory = new AgentMemory({
    eventStore: {} as EventStore,
    ids: {} as IdGenerator,
    vectors,
    embeddings: { name: 'fake', model: 'fake-embed', embed },
  });
  return { memory, search };
}
const unitVector = async () => [[1, 0]];
const asUser = { accountId: 'bistro', actor: { type: 'user' as const, id: 'ana' } };

describe('memories for a reply', () => {
  it('recalls the user’s and the tenant’s memories, saying whose each is', async () => {
    const { memory, search } = memoryWith(unitVector);
    const recalled = await recallForReply(memory, asUser, 'alerts', 3);
    expect(recalled).toEqual({
      status: 'recalled',
      memories: [
        "(this user's preference) Alerts go to #pass.",
        "(the tenant's fact) Closed on Mondays.",
      ],
    });
    expect(search).toHaveBeenCalledWith('bistro', [1, 0], { userId: 'ana', limit: 3 });
  });

  it('gives an API key the tenant’s memories only', async () => {
    const { memory, search } = memoryWith(unitVector);
    await recallForReply(
      memory,
      { accountId: 'bistro', actor: { type: 'api_key', id: 'k1' } },
      'q',
    );
    expect(search.mock.calls[0]![2]).toEqual({ limit: 5 });
  });

  it('answers without memories, and says so, when the embeddings model fails', async () => {
    const { memory } = memoryWith(async () => {
      throw new LlmProviderError('fake', 'unavailable', 'the server answered 500');
    });
    expect(await recallForReply(memory, asUser, 'alerts')).toEqual({
      memories: [],
      status: 'unavailable',
    });
  });

  it('is off without memory or without anything to look for', async () => {
    expect(await recallForReply(undefined, asUser, 'alerts')).toEqual({
      memories: [],
      status: 'off',
    });
    const { memory, search } = memoryWith(unitVector);
    expect((await recallForReply(memory, asUser, '  ')).status).toBe('off');
    expect(search).not.toHaveBeenCalled();
  });

  it('lets a cancelled turn stop instead of carrying on without memories', async () => {
    const controller = new AbortController();
    controller.abort(new Error('the user went away'));
    const { memory } = memoryWith(async (_, signal) => {
      throw signal?.reason;
    });
    await expect(
      recallForReply(memory, { ...asUser, signal: controller.signal }, 'alerts'),
    ).rejects.toThrow('the user went away');
  });
});
