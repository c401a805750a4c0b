import type { Database } from '../../contracts/index.js';
import type {
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
import { memoryTableName } from './vectorStoreMigrations.js';

export interface PgVectorStoreOptions {
  /** PostgreSQL or PGlite, migrated with `vectorStoreMigrations(dimension)`. */
  db: Database;
  /** The embedding model's vector size. */
  dimension: number;
}

interface MemoryRow {
  id: string;
  scope: ScoredMemory['scope'];
  user_id: string | null;
  kind: ScoredMemory['kind'];
  text: string;
  distance: number;
}

/** pgvector's text form; JavaScript's shortest round-trip digits keep every float exact. */
const vectorLiteral = (vector: readonly number[]) => `[${vector.join(',')}]`;

/**
 * Memories in one PostgreSQL table per dimension, searched by cosine distance (`<=>`). Every
 * statement names its account_id, so isolation does not depend on callers.
 */
export function createPgVectorStore(options: PgVectorStoreOptions): VectorStore {
  const { db, dimension } = options;
  // Also checks the dimension, before any statement can name a malformed table.
  const table = memoryTableName(dimension);

  return {
    dimension,

    async upsert(given) {
      given.forEach((point) => checkPoint(point, dimension));
      // One INSERT … ON CONFLICT cannot touch a row twice.
      const points = lastPointPerId(given);
      if (points.length === 0) return;
      await db.query(
        `INSERT INTO ${table} (account_id, id, scope, user_id, kind, text, embedding, updated_at)
         SELECT p.account_id, p.id, p.scope, p.user_id, p.kind, p.text, p.embedding::vector, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[]) AS p(account_id, id, scope, user_id, kind, text, embedding)
         ON CONFLICT (account_id, id) DO UPDATE SET scope = EXCLUDED.scope,
           user_id = EXCLUDED.user_id, kind = EXCLUDED.kind, text = EXCLUDED.text,
           embedding = EXCLUDED.embedding, updated_at = EXCLUDED.updated_at`,
        [
          points.map((p) => p.accountId),
          points.map((p) => p.id),
          points.map((p) => p.scope),
          points.map((p) => (p.scope === 'user' ? p.userId : null)),
          points.map((p) => p.kind),
          points.map((p) => p.text),
          points.map((p) => vectorLiteral(p.vector)),
        ],
      );
    },

    async search(accountId, vector, search) {
      checkSearch(vector, search, dimension);
      if (searchesNothing(search)) return [];
      const { where, params } = visibleTo(accountId, search);
      params.push(vectorLiteral(vector), search.limit);
      const vectorParam = `$${params.length - 1}::vector(${dimension})`;
      const rows = await db.transaction(async (tx) => {
        // HNSW finds ef_search candidates and filters them afterwards, which can leave a small
        // tenant with too few hits in a large table; pgvector 0.8 keeps scanning until the
        // limit is met. Relaxed order is cheaper, hence the re-sort outside.
        await tx.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
        const result = await tx.query<MemoryRow>(
          `WITH nearest AS MATERIALIZED (
             SELECT id, scope, user_id, kind, text, embedding <=> ${vectorParam} AS distance
             FROM ${table} WHERE ${where}
             ORDER BY embedding <=> ${vectorParam} LIMIT $${params.length})
           SELECT * FROM nearest ORDER BY distance, id`,
          params,
        );
        return result.rows;
      });
      return rows.map((row) => ({
        id: row.id,
        scope: row.scope,
        userId: row.user_id,
        kind: row.kind,
        text: row.text,
        score: 1 - Number(row.distance),
      }));
    },

    async delete(accountId, ids) {
      if (ids.length === 0) return;
      await db.query(`DELETE FROM ${table} WHERE account_id = $1 AND id = ANY($2::text[])`, [
        accountId,
        ids,
      ]);
    },

    async deleteAll(accountId) {
      await db.query(`DELETE FROM ${table} WHERE account_id = $1`, [accountId]);
    },
  };
}

/** The account's points this search may see: its user's and the tenant's, never others'. */
function visibleTo(
  accountId: string,
  search: VectorSearchOptions,
): { where: string; params: unknown[] } {
  const params: unknown[] = [accountId];
  const conditions = ['account_id = $1'];
  if (search.scope === 'tenant' || !search.userId) {
    conditions.push(`scope = 'tenant'`);
  } else {
    params.push(search.userId);
    conditions.push(
      search.scope === 'user'
        ? `scope = 'user' AND user_id = $${params.length}`
        : `(scope = 'tenant' OR (scope = 'user' AND user_id = $${params.length}))`,
    );
  }
  if (search.kinds) {
    params.push(search.kinds);
    conditions.push(`kind = ANY($${params.length}::text[])`);
  }
  return { where: conditions.join(' AND '), params };
}
