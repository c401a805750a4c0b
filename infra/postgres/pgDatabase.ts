import pg from 'pg';
import type { Database, Queryable } from '../../contracts/index.js';

export interface PgDatabaseOptions {
  connectionString: string;
  poolSize: number;
  /** Shown in pg_stat_activity, so operators can tell AWP's connections apart. */
  applicationName?: string;
}

/** The `Database` port over a `pg` pool: real PostgreSQL, or PGlite behind pglite-socket. */
export function createPgDatabase(options: PgDatabaseOptions): Database & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    application_name: options.applicationName ?? 'awp',
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);

  const query: Queryable['query'] = async (sql, params) => {
    const result = await pool.query(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.rowCount };
  };

  return {
    pool,
    query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async (sql, params) => {
            const result = await client.query(sql, params as unknown[] | undefined);
            return { rows: result.rows, rowCount: result.rowCount };
          },
        };
        const value = await work(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
