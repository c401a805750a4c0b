import type { Database, Migration } from '../../contracts/index.js';
import { startEmbeddedPostgres } from '../../infra/pglite/embeddedPostgres.js';
import { migrate } from '../../infra/postgres/migrate.js';
import { createPgDatabase } from '../../infra/postgres/pgDatabase.js';
import { createTestDatabase } from './realServices.js';

export interface OpenedDatabase {
  db: Database;
  close(): Promise<void>;
}

/** Both engines an adapter contract suite runs on: PGlite through its socket, and PostgreSQL. */
export type DatabaseKind = 'pglite' | 'postgres';

export async function openTestDatabase(
  kind: DatabaseKind,
  migrations: readonly Migration[],
): Promise<OpenedDatabase> {
  if (kind === 'pglite') {
    const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
    const db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
    await migrate(db, migrations);
    return {
      db,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  }
  const database = await createTestDatabase();
  const db = createPgDatabase({ connectionString: database.url, poolSize: 10 });
  await migrate(db, migrations);
  return {
    db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
