import { QdrantClient } from '@qdrant/js-client-rest';
import type { EventStore, IdGenerator, Migration, Database } from '../../contracts/index.js';
import { AgentMemory } from '../../domains/agent/index.js';
import type { VectorStore } from '../../domains/agent/index.js';
import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';
import type { Config, QdrantConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { createPgVectorStore } from '../memory/pgVectorStore.js';
import { createQdrantVectorStore } from '../memory/qdrantVectorStore.js';
import { vectorStoreMigrations } from '../memory/vectorStoreMigrations.js';

export interface HostedMemory {
  memory: AgentMemory;
  /** The pgvector table's migrations; none when the memories live in Qdrant. */
  migrations: readonly Migration[];
  /** Checks once that the model's vectors fit the store, and logs what it finds. */
  checkDimension(logger: Logger, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

interface MemoryHostDeps {
  config: Pick<Config, 'embeddings' | 'qdrant'>;
  db: Database;
  eventStore: EventStore;
  ids: IdGenerator;
  embeddings: EmbeddingsProvider | undefined;
}

/** Named in every dimension mismatch: the one setting an operator changes to fix it. */
const dimensionSetting = 'AWP_EMBEDDINGS_DIMENSIONS';

/**
 * Agent memory as the configuration allows it: nothing without an embeddings model (replies
 * then run without memory and `/v1/memories` answers 503); Qdrant when `AWP_QDRANT_URL` is
 * set; else pgvector in the platform's own database, one table per dimension.
 */
export function hostAgentMemory(deps: MemoryHostDeps): HostedMemory | undefined {
  const settings = deps.config.embeddings;
  const { embeddings } = deps;
  if (!settings || !embeddings) return undefined;
  const dimension = settings.dimensions;
  const qdrant = deps.config.qdrant;
  const vectors = qdrant
    ? lazyVectorStore(dimension, () => openQdrant(qdrant, dimension))
    : createPgVectorStore({ db: deps.db, dimension });
  return {
    memory: new AgentMemory({
      eventStore: deps.eventStore,
      ids: deps.ids,
      vectors,
      embeddings,
      dimensionSetting,
    }),
    migrations: qdrant ? [] : vectorStoreMigrations(dimension),
    async checkDimension(logger, signal) {
      try {
        const [vector] = await embeddings.embed(['dimension check'], signal);
        if (vector?.length === dimension) return;
        logger.error(
          { model: embeddings.model, returned: vector?.length, [dimensionSetting]: dimension },
          `the embeddings model answers vectors of ${vector?.length ?? 0} dimensions, but ` +
            `${dimensionSetting} is ${dimension}: agent memory fails until they agree`,
        );
      } catch (error) {
        if (signal?.aborted) return;
        // Down now is not down for good: replies degrade and the API answers 503 meanwhile.
        logger.warn({ err: error, model: embeddings.model }, 'embeddings model not reachable');
      }
    },
    close: async () => vectors.close?.(),
  };
}

function openQdrant(settings: QdrantConfig, dimension: number): Promise<VectorStore> {
  const client = new QdrantClient({
    url: settings.url,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    // The version probe reports through console.warn, beside our logger: a failing call says more.
    checkCompatibility: false,
    timeout: 30_000,
  });
  return createQdrantVectorStore({ client, dimension });
}

/**
 * A store opened on first use, and again after a failed opening: Qdrant's collection is
 * prepared over the network, and a Qdrant that is down at start-up should leave the agent
 * answering without memory, not stop the process.
 */
function lazyVectorStore(dimension: number, open: () => Promise<VectorStore>): VectorStore {
  let opening: Promise<VectorStore> | undefined;
  const store = () =>
    (opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    }));
  return {
    dimension,
    upsert: async (points) => (await store()).upsert(points),
    search: async (accountId, vector, options) =>
      (await store()).search(accountId, vector, options),
    delete: async (accountId, ids) => (await store()).delete(accountId, ids),
    deleteAll: async (accountId) => (await store()).deleteAll(accountId),
    async close() {
      const opened = await opening?.catch(() => undefined);
      await opened?.close?.();
    },
  };
}
