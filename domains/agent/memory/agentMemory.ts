import { AwpError, agentTopic, isAwpError } from '../../../contracts/index.js';
import type {
  Actor,
  EventStore,
  IdGenerator,
  MemoryForgottenData,
  MemoryKind,
  MemoryRecordedData,
  MemoryScope,
} from '../../../contracts/index.js';
import { LlmProviderError } from '../llm/index.js';
import type { EmbeddingsProvider } from '../llm/index.js';
import type { ScoredMemory, VectorStore } from './vectorStore.js';

export interface AgentMemoryDeps {
  eventStore: EventStore;
  vectors: VectorStore;
  embeddings: EmbeddingsProvider;
  ids: IdGenerator;
  /** Cosine similarity from which a new memory replaces an existing one (default 0.97). */
  duplicateSimilarity?: number;
  /** The setting that sizes the store, named when the model's vectors do not fit it. */
  dimensionSetting?: string;
}

export interface MemoryInput {
  scope: MemoryScope;
  /** The user a `user`-scoped memory belongs to; absent for `tenant` scope. */
  userId?: string | null;
  kind: MemoryKind;
  text: string;
}

/** Who asks, for the event that records the memory. */
export interface MemoryRequest {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  signal?: AbortSignal;
}

export interface RememberedMemory {
  memoryId: string;
  /** `created`: a new memory; `updated`: a near-identical one was reworded; `unchanged`. */
  outcome: 'created' | 'updated' | 'unchanged';
}

export interface RecallOptions {
  kinds?: readonly MemoryKind[];
  /** Drop hits less similar than this (cosine similarity); none dropped by default. */
  minScore?: number;
  signal?: AbortSignal;
}

/** Long enough for a preference or a summary of a conversation, short of a document. */
export const maxMemoryChars = 4_000;
export const defaultDuplicateSimilarity = 0.97;

export const memoryStreamId = (accountId: string, memoryId: string) =>
  `memory-${accountId}:${memoryId}`;

/**
 * Long-term memory of an agent: facts, preferences and conversation summaries, per user or
 * per tenant. Each memory is recorded as `MemoryRecorded` (the record, rebuildable into any
 * vector store by re-embedding) and indexed in the vector store for recall by similarity.
 */
export class AgentMemory {
  private readonly duplicateSimilarity: number;

  constructor(private readonly deps: AgentMemoryDeps) {
    this.duplicateSimilarity = deps.duplicateSimilarity ?? defaultDuplicateSimilarity;
  }

  /**
   * Stores a memory; one nearly identical to an existing memory of the same owner and kind
   * replaces it instead, so repeating a fact does not crowd recall with copies.
   */
  async remember(
    accountId: string,
    input: MemoryInput,
    request: MemoryRequest,
  ): Promise<RememberedMemory> {
    const memory = checkedInput(input);
    const vector = await this.embed(memory.text, request.signal);
    const [nearest] = await this.deps.vectors.search(accountId, vector, {
      scope: memory.scope,
      ...(memory.userId ? { userId: memory.userId } : {}),
      kinds: [memory.kind],
      limit: 1,
    });
    const duplicate = nearest && nearest.score >= this.duplicateSimilarity ? nearest : undefined;
    // The vector is written only after its event, so an identical stored text is recorded.
    if (duplicate?.text === memory.text) return { memoryId: duplicate.id, outcome: 'unchanged' };

    const memoryId = duplicate?.id ?? this.deps.ids.newId();
    const data: MemoryRecordedData = { memoryId, ...memory };
    await this.append(accountId, memoryId, { type: 'MemoryRecorded', data }, request, {
      newStream: !duplicate,
    });
    try {
      await this.deps.vectors.upsert([{ id: memoryId, accountId, ...memory, vector }]);
    } catch (error) {
      throw new AwpError(
        'unavailable',
        `memory '${memoryId}' is recorded but not yet searchable: the vector store failed ` +
          `(${(error as Error).message}); it is indexed again when the store is rebuilt`,
        { cause: error, retryable: true },
      );
    }
    return { memoryId, outcome: duplicate ? 'updated' : 'created' };
  }

  /** The memories most similar to `query` that `userId` may see: theirs and the tenant's. */
  async recall(
    accountId: string,
    userId: string | undefined,
    query: string,
    limit = 5,
    options: RecallOptions = {},
  ): Promise<ScoredMemory[]> {
    if (query.trim() === '') {
      throw new AwpError('validation', 'recall needs a query to compare memories with', {
        field: 'query',
      });
    }
    const vector = await this.embed(query, options.signal);
    const hits = await this.deps.vectors.search(accountId, vector, {
      ...(userId ? { userId } : {}),
      ...(options.kinds ? { kinds: options.kinds } : {}),
      limit,
    });
    const minScore = options.minScore;
    return minScore === undefined ? hits : hits.filter((hit) => hit.score >= minScore);
  }

  /**
   * Removes memories from recall. Whether the caller may remove them (a user's own, or any
   * with `memory:write`) is decided before this call. `MemoryForgotten` is recorded first, so
   * a vector store rebuilt from the events leaves the memory out, and the audit trail shows
   * who removed it.
   */
  async forget(
    accountId: string,
    memoryIds: readonly string[],
    request: MemoryRequest,
  ): Promise<void> {
    for (const memoryId of memoryIds) {
      const data: MemoryForgottenData = { memoryId };
      await this.append(accountId, memoryId, { type: 'MemoryForgotten', data }, request);
    }
    await this.deps.vectors.delete(accountId, memoryIds);
  }

  /**
   * The memory as last recorded, or undefined when the account never recorded it or has
   * forgotten it: the stream is the account's own, so another tenant's memory id finds nothing.
   */
  async recorded(accountId: string, memoryId: string): Promise<MemoryRecordedData | undefined> {
    const events = await this.deps.eventStore.readStream(memoryStreamId(accountId, memoryId));
    const last = events.at(-1);
    return last?.type === 'MemoryRecorded' ? (last.data as MemoryRecordedData) : undefined;
  }

  /** Removes every memory of the account from recall (tenant offboarding). */
  async forgetAccount(accountId: string): Promise<void> {
    await this.deps.vectors.deleteAll(accountId);
  }

  /** One event on the memory's own stream, as the caller's change. */
  private async append(
    accountId: string,
    memoryId: string,
    event:
      | { type: 'MemoryRecorded'; data: MemoryRecordedData }
      | { type: 'MemoryForgotten'; data: MemoryForgottenData },
    request: MemoryRequest,
    { newStream = false }: { newStream?: boolean } = {},
  ): Promise<void> {
    await this.deps.eventStore.append({
      streamId: memoryStreamId(accountId, memoryId),
      expectedVersion: newStream ? 'no_stream' : 'any',
      events: [event],
      metadata: {
        accountId,
        correlationId: request.correlationId,
        causationId: request.causationId ?? null,
        actor: request.actor,
      },
      topic: agentTopic,
    });
  }

  private async embed(text: string, signal: AbortSignal | undefined): Promise<number[]> {
    const { embeddings, vectors } = this.deps;
    let vector: number[] | undefined;
    try {
      [vector] = await embeddings.embed([text], signal);
    } catch (error) {
      if (signal?.aborted || isAwpError(error)) throw error;
      // A vendor's failure is the platform's dependency being down, not a bug: a 503 to say so.
      throw new AwpError(
        'unavailable',
        `the embeddings model '${embeddings.model}' (${embeddings.name}) failed: ` +
          (error as Error).message,
        {
          cause: error,
          retryable: error instanceof LlmProviderError ? error.retryable : true,
        },
      );
    }
    if (!vector || vector.length !== vectors.dimension) {
      const setting = this.deps.dimensionSetting;
      // A configuration mismatch: shown to the caller (not an internal error), never retried.
      throw new AwpError(
        'unavailable',
        `embedding model '${embeddings.model}' (${embeddings.name}) returned a vector of ` +
          `${vector?.length ?? 0} dimensions, but the memory store holds ${vectors.dimension}: ` +
          (setting
            ? `set ${setting} to ${vector?.length ?? 'the model dimension'}`
            : 'configure a store of the model dimension'),
        { retryable: false },
      );
    }
    return vector;
  }
}

function checkedInput(input: MemoryInput): Omit<MemoryRecordedData, 'memoryId'> {
  const text = input.text.trim();
  if (text === '' || text.length > maxMemoryChars) {
    throw new AwpError('validation', `a memory is 1 to ${maxMemoryChars} characters of text`, {
      field: 'text',
    });
  }
  const userId = input.userId ?? null;
  if ((input.scope === 'user') !== (userId !== null && userId !== '')) {
    throw new AwpError(
      'validation',
      input.scope === 'user'
        ? 'a user memory needs the userId it belongs to'
        : 'a tenant memory is shared by everyone in the tenant: leave userId out',
      { field: 'userId' },
    );
  }
  return { scope: input.scope, userId, kind: input.kind, text };
}
