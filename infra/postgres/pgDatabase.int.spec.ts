import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { startEmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import type { EmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import { createPgDatabase } from './pgDatabase.js';

describe('pg database adapter under load', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await embedded.stop();
  });

  it('tells a caller that waited too long for a connection the database is busy (unavailable), and loses nothing', async () => {
    const db = createPgDatabase({
      connectionString: embedded.url,
      poolSize: 1,
      acquireTimeoutMs: 100,
    });
    try {
      await db.query('CREATE TABLE held (n int)');
      let release = (): void => undefined;
      const holding = db.transaction(async (tx) => {
        await tx.query('INSERT INTO held (n) VALUES ($1)', [1]);
        await new Promise<void>((resolve) => (release = resolve));
      });
      const waited = await db.query('SELECT count(*) FROM held').catch((error: unknown) => error);
      expect(waited).toBeInstanceOf(AwpError);
      expect(waited).toMatchObject({ code: 'unavailable', retryable: true });
      const inTransaction = await db
        .transaction(async (tx) => tx.query('SELECT 1'))
        .catch((error: unknown) => error);
      expect(inTransaction).toMatchObject({ code: 'unavailable' });
      release();
      await holding;
      const { rows } = await db.query<{ n: number }>('SELECT n FROM held');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});
