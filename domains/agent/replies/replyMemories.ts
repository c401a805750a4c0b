import type { Actor } from '../../../contracts/index.js';
import type { AgentMemory } from '../memory/agentMemory.js';
import type { ScoredMemory } from '../memory/vectorStore.js';

/** What a turn recalled; `unavailable` when memory is configured but could not be searched. */
export interface ReplyMemories {
  memories: string[];
  status: 'off' | 'recalled' | 'unavailable';
}

/** Memories a reply recalls by default: a handful, the prompt's catalog matters more. */
export const defaultRecalledMemories = 5;

/**
 * The memories most relevant to the user's latest messages: the user's own (when a person,
 * not an API key, is talking) and the tenant's. Memory informs a reply but is not needed for
 * one: any failure (embeddings or store down, a dimension mismatch) answers without memories
 * and says so, instead of failing the turn.
 */
export async function recallForReply(
  memory: AgentMemory | undefined,
  request: { accountId: string; actor: Actor; signal?: AbortSignal },
  query: string,
  limit = defaultRecalledMemories,
): Promise<ReplyMemories> {
  if (!memory || query.trim() === '') return { memories: [], status: 'off' };
  const userId = request.actor.type === 'user' ? request.actor.id : undefined;
  try {
    const hits = await memory.recall(request.accountId, userId, query, limit, {
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { memories: hits.map(describeMemory), status: 'recalled' };
  } catch (error) {
    // A cancelled turn stops here; only a failing memory is worked around.
    if (request.signal?.aborted) throw error;
    return { memories: [], status: 'unavailable' };
  }
}

/** One line of the prompt's memory block: whose it is and what kind, then the text. */
export function describeMemory(memory: Pick<ScoredMemory, 'scope' | 'kind' | 'text'>): string {
  return `(${memory.scope === 'user' ? "this user's" : "the tenant's"} ${memory.kind}) ${memory.text}`;
}
