import type { Migration } from '../../contracts/index.js';

/** pgvector's `vector` type holds at most this many dimensions. */
export const maxPgVectorDimension = 16_000;
/** Its HNSW index covers at most this many; larger vectors are searched exactly. */
export const maxHnswDimension = 2_000;

/** One table per dimension, as Qdrant has one collection per dimension. */
export function memoryTableName(dimension: number): string {
  checkDimension(dimension);
  return `agent_memory_${dimension}`;
}

export function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > maxPgVectorDimension) {
    throw new RangeError(
      `a memory store's dimension is a whole number from 1 to ${maxPgVectorDimension}, ` +
        `got ${dimension}`,
    );
  }
}

/**
 * pgvector must be installed on the server (PGlite loads it in infra/pglite). Checked first
 * so an operator reads what to install, not `could not open extension control file`. The
 * extension is not marked trusted: an ordinary role needs a superuser to create it once.
 */
export const pgvectorExtension: Migration = {
  id: '2026-11-29-00-pgvector',
  sql: `
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
        RETURN;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        RAISE EXCEPTION 'agent memory needs the pgvector extension, which this PostgreSQL server does not have: install the package postgresql-%-pgvector on the database server (development machines: infra/dev/pgvector/install.sh), then start AWP again',
          current_setting('server_version_num')::int / 10000;
      END IF;
      CREATE EXTENSION vector;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'agent memory needs the pgvector extension, and this role may not create it: a superuser runs CREATE EXTENSION vector in database % once, then start AWP again',
        current_database();
    END $$;
  `,
};

/**
 * The memory table for one embedding dimension. The primary key starts with account_id, so
 * ids are per tenant and every lookup is tenant-first. HNSW rather than IVFFlat: memories
 * arrive one by one from an empty table, and IVFFlat's lists are fixed by the rows present
 * when the index is built, while HNSW stays accurate as rows are added.
 */
function memoryTable(dimension: number): Migration {
  const table = memoryTableName(dimension);
  const index =
    dimension <= maxHnswDimension
      ? `CREATE INDEX IF NOT EXISTS ${table}_embedding ON ${table}
           USING hnsw (embedding vector_cosine_ops);`
      : '';
  return {
    id: `2026-11-29-01-agent-memory-${dimension}`,
    sql: `
      CREATE TABLE IF NOT EXISTS ${table} (
        account_id  text NOT NULL,
        id          text NOT NULL,
        scope       text NOT NULL CHECK (scope IN ('user', 'tenant')),
        user_id     text,
        kind        text NOT NULL,
        text        text NOT NULL,
        embedding   vector(${dimension}) NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, id),
        CONSTRAINT ${table}_owner CHECK ((scope = 'user') = (user_id IS NOT NULL))
      );
      CREATE INDEX IF NOT EXISTS ${table}_visible ON ${table} (account_id, scope, user_id);
      ${index}
    `,
  };
}

/** What a pgvector memory store of this dimension needs; run with infra/postgres `migrate`. */
export function vectorStoreMigrations(dimension: number): Migration[] {
  return [pgvectorExtension, memoryTable(dimension)];
}
