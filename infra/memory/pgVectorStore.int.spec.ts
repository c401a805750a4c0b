import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind } from '../../test/support/testDatabases.js';
import {
  contractDimension,
  vectorStoreContract,
} from '../../test/contracts/vectorStoreContract.js';
import { createPgVectorStore } from './pgVectorStore.js';
import { vectorStoreMigrations } from './vectorStoreMigrations.js';

const openStore = (kind: DatabaseKind) => async () => {
  const opened = await openTestDatabase(kind, vectorStoreMigrations(contractDimension));
  return {
    store: createPgVectorStore({ db: opened.db, dimension: contractDimension }),
    close: opened.close,
  };
};

describe('pgvector memory store on PGlite (embedded profile)', () => {
  vectorStoreContract(openStore('pglite'));
});

describeWithServices(
  ['postgres'],
  'pgvector memory store on PostgreSQL (distributed profile)',
  () => {
    vectorStoreContract(openStore('postgres'));
  },
);

describe('pgvector memory store migrations', () => {
  it('say what to install when the server has no pgvector', async () => {
    // A PGlite started without the extension stands for a PostgreSQL server without it.
    const bare = await PGlite.create();
    try {
      const [extension] = vectorStoreMigrations(contractDimension);
      await expect(bare.exec(extension!.sql)).rejects.toThrow(
        /needs the pgvector extension.*install the package postgresql-\d+-pgvector/,
      );
    } finally {
      await bare.close();
    }
  });

  it('index vectors with HNSW up to 2000 dimensions and search larger ones exactly', () => {
    const [, small] = vectorStoreMigrations(1536);
    const [, large] = vectorStoreMigrations(3072);
    expect(small!.sql).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(large!.sql).not.toMatch(/hnsw/);
  });

  it('refuse a dimension pgvector cannot hold', () => {
    expect(() => vectorStoreMigrations(0)).toThrow(RangeError);
    expect(() => createPgVectorStore({ db: undefined as never, dimension: 16_001 })).toThrow(
      /1 to 16000/,
    );
  });
});
