import { createHash } from 'node:crypto';
import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { AwpError } from '../../contracts/index.js';
import type {
  MemoryPoint,
  ScoredMemory,
  VectorSearchOptions,
  VectorStore,
} from '../../domains/agent/memory/index.js';
import {
  checkPoint,
  checkSearch,
  lastPointPerId,
  searchesNothing,
} from '../../domains/agent/memory/index.js';
import { ensureQdrantCollection, qdrantCollectionName, statusOf } from './qdrantCollection.js';

export interface QdrantVectorStoreOptions {
  /** `new QdrantClient({ url, apiKey })` from `@qdrant/js-client-rest`. */
  client: QdrantClient;
  dimension: number;
  /** Prefixes the collection name, so deployments (or test files) can share a server. */
  collectionPrefix?: string;
}

interface MemoryPayload {
  accountId: string;
  memoryId: string;
  scope: ScoredMemory['scope'];
  userId: string | null;
  kind: ScoredMemory['kind'];
  text: string;
}

/**
 * Qdrant point ids are UUIDs or integers and unique per collection, while memory ids are
 * unique per account. Deriving the point id from both keeps one tenant's upsert from ever
 * replacing another's point, whatever ids callers choose.
 */
export function qdrantPointId(accountId: string, memoryId: string): string {
  const hex = createHash('sha256').update(`${accountId}\u0000${memoryId}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const match = (key: string, value: string) => ({ key, match: { value } });

/** The account's points a search may see, as a Qdrant filter; mirrors the pgvector WHERE. */
export function qdrantFilter(accountId: string, search: VectorSearchOptions): Schemas['Filter'] {
  const must: Schemas['Condition'][] = [match('accountId', accountId)];
  if (search.scope === 'tenant' || !search.userId) {
    must.push(match('scope', 'tenant'));
  } else if (search.scope === 'user') {
    must.push(match('scope', 'user'), match('userId', search.userId));
  } else {
    must.push({
      should: [
        match('scope', 'tenant'),
        { must: [match('scope', 'user'), match('userId', search.userId)] },
      ],
    });
  }
  if (search.kinds) must.push({ key: 'kind', match: { any: [...search.kinds] } });
  return { must };
}

/**
 * Memories in Qdrant, for the distributed profile. Creates its collection (one per dimension)
 * and payload indexes on first use; every request carries an accountId filter.
 */
export async function createQdrantVectorStore(
  options: QdrantVectorStoreOptions,
): Promise<VectorStore> {
  const { client, dimension } = options;
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new RangeError(`a memory store's dimension is a positive whole number, got ${dimension}`);
  }
  const collection = qdrantCollectionName(options.collectionPrefix ?? 'awp_', dimension);
  await calling('prepare the collection', () =>
    ensureQdrantCollection(client, collection, dimension),
  );
  const byAccount = (accountId: string) => match('accountId', accountId);

  return {
    dimension,

    async upsert(given) {
      given.forEach((point) => checkPoint(point, dimension));
      if (given.length === 0) return;
      const points = lastPointPerId(given).map((point: MemoryPoint) => ({
        id: qdrantPointId(point.accountId, point.id),
        vector: [...point.vector],
        payload: {
          accountId: point.accountId,
          memoryId: point.id,
          scope: point.scope,
          userId: point.scope === 'user' ? (point.userId ?? null) : null,
          kind: point.kind,
          text: point.text,
        } satisfies MemoryPayload,
      }));
      await calling('upsert', () => client.upsert(collection, { wait: true, points }));
    },

    async search(accountId, vector, search) {
      checkSearch(vector, search, dimension);
      if (searchesNothing(search)) return [];
      const result = await calling('search', () =>
        client.query(collection, {
          query: [...vector],
          filter: qdrantFilter(accountId, search),
          limit: search.limit,
          with_payload: true,
        }),
      );
      return result.points.map((point) => {
        const payload = point.payload as unknown as MemoryPayload;
        return {
          id: payload.memoryId,
          scope: payload.scope,
          userId: payload.userId ?? null,
          kind: payload.kind,
          text: payload.text,
          score: point.score,
        };
      });
    },

    async delete(accountId, ids) {
      if (ids.length === 0) return;
      const pointIds = ids.map((id) => qdrantPointId(accountId, id));
      await calling('delete', () =>
        client.delete(collection, {
          wait: true,
          filter: { must: [byAccount(accountId), { has_id: pointIds }] },
        }),
      );
    },

    async deleteAll(accountId) {
      await calling('delete', () =>
        client.delete(collection, { wait: true, filter: { must: [byAccount(accountId)] } }),
      );
    },
  };
}

/**
 * Qdrant's failures in AWP's terms: unreachable, overloaded or failing servers may be retried;
 * a request it refuses (4xx) is a defect or a misconfiguration, and retrying will not help.
 */
async function calling<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwpError) throw error;
    const status = statusOf(error);
    const retryable = status === undefined || status === 429 || status >= 500;
    throw new AwpError(
      retryable ? 'unavailable' : 'internal',
      `Qdrant could not ${what}: ${(error as Error).message}`,
      { cause: error, retryable },
    );
  }
}
