import type { Database, Migration } from '../../contracts/index.js';

/**
 * Time-boxed leadership stored in a table. Unlike a session advisory lock it needs no dedicated
 * connection, so it behaves the same on PGlite (one shared session) and on PostgreSQL.
 */
export const leaseMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-00-leases',
    sql: `
      CREATE TABLE IF NOT EXISTS leases (
        name        text PRIMARY KEY,
        holder      text NOT NULL,
        expires_at  timestamptz NOT NULL
      );
    `,
  },
];

export interface Lease {
  /** True when `holder` holds (or just took, or renewed) the lease. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

export function createLease(db: Database, name: string, holder: string, ttlMs: number): Lease {
  return {
    async tryAcquire() {
      const { rowCount } = await db.query(
        `INSERT INTO leases (name, holder, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
         ON CONFLICT (name) DO UPDATE
           SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()`,
        [name, holder, ttlMs],
      );
      return rowCount === 1;
    },
    async release() {
      await db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
  };
}
