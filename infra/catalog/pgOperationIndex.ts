import { AwpError } from '../../contracts/index.js';
import type { Database, Migration } from '../../contracts/index.js';
import { operationSearchText } from '../../domains/agent/index.js';
import type { OperationIndex, OperationKey } from '../../domains/agent/index.js';
import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';
import { checkDimension } from '../memory/vectorStoreMigrations.js';

export interface PgOperationIndexOptions {
  /** Migrated with `operationIndexMigrations(dimension)` (after pgvector is installed). */
  db: Database;
  embeddings: EmbeddingsProvider;
  dimension: number;
  /** Operations embedded per request to the model. Default 128. */
  batchSize?: number;
  /** Longest a search waits for the account's operations to be embedded. Default 2 s. */
  refreshWaitMs?: number;
  /** How long after a failed refresh searches do not start another. Default 60 s. */
  retryAfterFailureMs?: number;
  /** Told when embedding or searching fails; the catalog then searches by full text. */
  onFailure?(error: unknown, accountId: string): void;
}

const tableOf = (dimension: number) => {
  checkDimension(dimension);
  return `agent_operation_vectors_${dimension}`;
};

/**
 * One vector per catalog operation, in a table per dimension. Rows go with their operation
 * (a foreign key with ON DELETE CASCADE): a re-import or a removal drops them, and the next
 * refresh embeds what is new. No HNSW index: a search is within one tenant's operations,
 * which an exact scan of its rows (the key starts with account_id) ranks exactly and fast,
 * where an approximate index over every tenant's rows could filter a small tenant's away.
 */
export function operationIndexMigrations(dimension: number): Migration[] {
  const table = tableOf(dimension);
  return [
    {
      id: `2026-12-02-01-agent-operation-vectors-${dimension}`,
      sql: `
        CREATE TABLE IF NOT EXISTS ${table} (
          account_id    text NOT NULL,
          connector_id  text NOT NULL,
          operation_id  text NOT NULL,
          embedding     vector(${dimension}) NOT NULL,
          PRIMARY KEY (account_id, connector_id, operation_id),
          FOREIGN KEY (account_id, connector_id, operation_id)
            REFERENCES agent_connector_operations (account_id, connector_id, operation_id)
            ON DELETE CASCADE
        );
      `,
    },
  ];
}

interface PendingRow {
  connector_id: string;
  operation_id: string;
  method: string;
  path: string;
  summary: string | null;
  description: string | null;
}

/**
 * The catalog's semantic index in pgvector. A refresh embeds the account's operations that
 * have no vector yet, a batch at a time; refreshes of one account run one at a time in this
 * process, and replicas may overlap harmlessly (a vector already there is kept).
 */
export function createPgOperationIndex(options: PgOperationIndexOptions): OperationIndex {
  const { db, embeddings, dimension } = options;
  const table = tableOf(dimension);
  const batchSize = options.batchSize ?? 128;
  const running = new Map<string, Promise<void>>();
  const failedAt = new Map<string, number>();
  const refreshWaitMs = options.refreshWaitMs ?? 2_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 60_000;

  async function fill(accountId: string): Promise<void> {
    for (;;) {
      const { rows } = await db.query<PendingRow>(
        `SELECT o.connector_id, o.operation_id, o.method, o.path, o.summary, o.description
         FROM agent_connector_operations o
         WHERE o.account_id = $1 AND NOT EXISTS (
           SELECT 1 FROM ${table} v WHERE v.account_id = o.account_id
             AND v.connector_id = o.connector_id AND v.operation_id = o.operation_id)
         ORDER BY o.connector_id, o.operation_id
         LIMIT $2`,
        [accountId, batchSize],
      );
      if (rows.length === 0) return;
      const vectors = await embeddings.embed(
        rows.map((row) => operationSearchText({ ...row, operationId: row.operation_id })),
      );
      vectors.forEach(checkLength);
      // Joined to the operations as they were read: one removed or re-imported with other
      // text meanwhile is skipped (the re-import's own refresh embeds its new text).
      await db.query(
        `INSERT INTO ${table} (account_id, connector_id, operation_id, embedding)
         SELECT o.account_id, o.connector_id, o.operation_id, v.embedding::vector
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[])
           AS v(connector_id, operation_id, method, path, summary, description, embedding)
         JOIN agent_connector_operations o ON o.account_id = $1
           AND o.connector_id = v.connector_id AND o.operation_id = v.operation_id
           AND o.method = v.method AND o.path = v.path
           AND o.summary IS NOT DISTINCT FROM v.summary
           AND o.description IS NOT DISTINCT FROM v.description
         ON CONFLICT DO NOTHING`,
        [
          accountId,
          rows.map((row) => row.connector_id),
          rows.map((row) => row.operation_id),
          rows.map((row) => row.method),
          rows.map((row) => row.path),
          rows.map((row) => row.summary),
          rows.map((row) => row.description),
          vectors.map((vector) => `[${vector.join(',')}]`),
        ],
      );
      if (rows.length < batchSize) return;
    }
  }

  function checkLength(vector: readonly number[]): void {
    if (vector.length !== dimension) {
      throw new AwpError(
        'unavailable',
        `the embeddings model answers vectors of ${vector.length} dimensions, but ` +
          `AWP_EMBEDDINGS_DIMENSIONS is ${dimension}`,
      );
    }
  }

  function refresh(accountId: string): Promise<void> {
    const current = running.get(accountId);
    if (current) return current;
    const started = fill(accountId)
      .catch((error: unknown) => {
        failedAt.set(accountId, Date.now());
        options.onFailure?.(error, accountId);
        throw error;
      })
      .finally(() => running.delete(accountId));
    running.set(accountId, started);
    return started;
  }

  /**
   * What a search waits for before it reads the vectors: the refresh, for `refreshWaitMs` at
   * most (after that the search ranks what is embedded so far), and none shortly after a
   * failed one, which would fail again and be paid for at every turn.
   */
  async function settled(accountId: string): Promise<void> {
    if (Date.now() - (failedAt.get(accountId) ?? -Infinity) < retryAfterFailureMs) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, refreshWaitMs);
    });
    await Promise.race([refresh(accountId).catch(() => undefined), waited]);
    clearTimeout(timer);
  }

  return {
    refresh,
    async nearest(accountId, query, limit) {
      try {
        const [[vector]] = await Promise.all([embeddings.embed([query]), settled(accountId)]);
        if (!vector) return [];
        checkLength(vector);
        const { rows } = await db.query<{ connector_id: string; operation_id: string }>(
          `SELECT connector_id, operation_id FROM ${table}
           WHERE account_id = $1
           ORDER BY embedding <=> $2::vector(${dimension}), connector_id, operation_id
           LIMIT $3`,
          [accountId, `[${vector.join(',')}]`, limit],
        );
        return rows.map((row): OperationKey => ({
          connectorId: row.connector_id,
          operationId: row.operation_id,
        }));
      } catch (error) {
        options.onFailure?.(error, accountId);
        throw error;
      }
    },
  };
}
