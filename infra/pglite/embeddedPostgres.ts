import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** `postgres://` URL of the loopback socket; every query goes through `pg`, as in production. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory of the database files, or `memory://` for a throwaway database (tests). */
  dataDir: string;
  /** Connections the socket accepts; keep it at 1 (see `embeddedPoolSize` in runtime/adapters). */
  maxConnections?: number;
  port?: number;
}

/**
 * PGlite (Postgres compiled to WASM) served on 127.0.0.1 by pglite-socket, so the embedded
 * profile uses the same `pg` code paths as PostgreSQL. pgvector is loaded so agent memory can
 * search embeddings as it does on PostgreSQL; the extension is only made available here, and
 * `CREATE EXTENSION vector` (in the memory store's migration) still decides whether it is used.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(inMemory ? undefined : options.dataDir, {
    extensions: { vector },
  });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 1,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
