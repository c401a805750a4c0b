import { AwpError } from '../../../contracts/index.js';
import type { MemoryKind, MemoryScope } from '../../../contracts/index.js';

/**
 * Where agent memories are kept for similarity search: pgvector (embedded and distributed
 * profiles) or Qdrant (distributed, when configured). The store is an index, not the record:
 * every memory is also a `MemoryRecorded` event, so a store can be rebuilt by re-embedding.
 *
 * Tenant isolation is part of this contract, not left to callers: a search never returns
 * another account's points, user-scoped points reach only their user, tenant-scoped points
 * reach everyone in the tenant.
 */
export interface VectorStore {
  /** Every vector this store holds has exactly this many dimensions. */
  readonly dimension: number;
  /** Inserts the points, or replaces those whose (accountId, id) exists. */
  upsert(points: readonly MemoryPoint[]): Promise<void>;
  /** The nearest visible points, most similar first. */
  search(
    accountId: string,
    vector: readonly number[],
    options: VectorSearchOptions,
  ): Promise<ScoredMemory[]>;
  /** Removes the account's points with these ids; ids it does not hold are ignored. */
  delete(accountId: string, ids: readonly string[]): Promise<void>;
  /** Removes every point of the account (tenant offboarding). */
  deleteAll(accountId: string): Promise<void>;
  close?(): Promise<void>;
}

export interface MemoryPoint {
  /** Unique within its account: the same id in two accounts names two memories. */
  id: string;
  accountId: string;
  scope: MemoryScope;
  /** Set exactly when `scope` is `user`. */
  userId?: string | null;
  kind: MemoryKind;
  text: string;
  vector: readonly number[];
}

export interface VectorSearchOptions {
  /** Whose memories to include besides the tenant's; without it, tenant-scoped ones only. */
  userId?: string;
  limit: number;
  /** Only these kinds; all kinds when absent. */
  kinds?: readonly MemoryKind[];
  /** Only this scope (`user` needs `userId`); both when absent. */
  scope?: MemoryScope;
}

export interface ScoredMemory {
  id: string;
  scope: MemoryScope;
  userId: string | null;
  kind: MemoryKind;
  text: string;
  /** Cosine similarity, 1 for the same direction, down to -1. */
  score: number;
}

/** The most results one search returns; recall wants a handful, not a table scan. */
export const maxSearchLimit = 100;

/**
 * Checks shared by every adapter, so they fail alike: a vector of the wrong size is a
 * configuration mismatch (another embedding model) that must not be stored or searched.
 */
export function checkVector(vector: readonly number[], dimension: number): void {
  if (vector.length !== dimension) {
    throw new AwpError(
      'validation',
      `a vector of ${vector.length} dimensions cannot go into a store of ${dimension}-dimension ` +
        'vectors: the embedding model and the memory store must agree on the dimension',
      { field: 'vector' },
    );
  }
  let squares = 0;
  for (const value of vector) {
    if (!Number.isFinite(value)) {
      throw new AwpError('validation', 'a vector holds finite numbers only', { field: 'vector' });
    }
    squares += value * value;
  }
  // Cosine similarity is undefined for the zero vector (pgvector answers NaN).
  if (squares === 0) {
    throw new AwpError('validation', 'a zero vector has no direction to compare', {
      field: 'vector',
    });
  }
}

export function checkPoint(point: MemoryPoint, dimension: number): void {
  if (point.id === '' || point.accountId === '') {
    throw new AwpError('validation', 'a memory point needs an id and an accountId', {
      field: point.id === '' ? 'id' : 'accountId',
    });
  }
  if ((point.scope === 'user') !== Boolean(point.userId)) {
    throw new AwpError(
      'validation',
      point.scope === 'user'
        ? 'a user-scoped memory needs the userId it belongs to'
        : 'a tenant-scoped memory belongs to no single user: leave userId out',
      { field: 'userId' },
    );
  }
  checkVector(point.vector, dimension);
}

export function checkSearch(
  vector: readonly number[],
  options: VectorSearchOptions,
  dimension: number,
) {
  checkVector(vector, dimension);
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > maxSearchLimit) {
    throw new AwpError(
      'validation',
      `a search limit is a whole number from 1 to ${maxSearchLimit}`,
      {
        field: 'limit',
      },
    );
  }
}

/** True when the options can match nothing: asking for user memories without a user. */
export const searchesNothing = (options: VectorSearchOptions): boolean =>
  (options.scope === 'user' && !options.userId) || options.kinds?.length === 0;

/**
 * A batch with one point per (accountId, id), each the last given: what upserting the points
 * one by one would leave, in a form one SQL statement or Qdrant request can apply.
 */
export function lastPointPerId(points: readonly MemoryPoint[]): MemoryPoint[] {
  const byKey = new Map<string, MemoryPoint>();
  for (const point of points) {
    const key = JSON.stringify([point.accountId, point.id]);
    byKey.delete(key);
    byKey.set(key, point);
  }
  return [...byKey.values()];
}
