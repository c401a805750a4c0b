import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../contracts/index.js';
import { connectorMigrations } from '../../domains/agent/index.js';
import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../test/support/testDatabases.js';
import { pgvectorExtension } from '../memory/vectorStoreMigrations.js';
import { createPgOperationIndex, operationIndexMigrations } from './pgOperationIndex.js';

const dimension = 4;

/** Meaning, as far as this test needs it: one dimension per topic. */
const topics = [
  ['oven', 'ovens', 'workload', 'busy', 'cooks'],
  ['stock', 'inventory', 'flour', 'pantry'],
  ['invoice', 'invoices', 'billing'],
];
function topicVector(text: string): number[] {
  const words = text.toLowerCase().split(/[^a-z]+/);
  const vector = topics.map((topic) => words.filter((word) => topic.includes(word)).length);
  vector.push(0.05);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** The embeddings port, answering from `topicVector` and counting what it was asked. */
function topicEmbeddings(
  answer: (texts: readonly string[]) => number[][] = (t) => t.map(topicVector),
) {
  const requests: string[][] = [];
  const provider: EmbeddingsProvider = {
    name: 'topics',
    model: 'topics-1',
    async embed(texts) {
      requests.push([...texts]);
      return answer(texts);
    },
  };
  return { provider, requests };
}

/** A connector with these operations (id and summary), written as an import would. */
async function importConnector(
  db: Database,
  accountId: string,
  connectorId: string,
  operations: ReadonlyArray<[operationId: string, summary: string]>,
): Promise<void> {
  await db.query(
    `INSERT INTO agent_connectors (account_id, connector_id, name, name_key, version, source,
       document_uri, document, document_sha256, openapi_version, title, api_version,
       operation_count, not_callable, imported_at, imported_by)
     VALUES ($1, $2, $2, $2, 1, 'upload', 'awp://x', '{}', 'sha', '3.0.3', 't', '1', $3,
       '[]', now(), '{}')
     ON CONFLICT (account_id, connector_id) DO NOTHING`,
    [accountId, connectorId, operations.length],
  );
  await db.query(
    'DELETE FROM agent_connector_operations WHERE account_id = $1 AND connector_id = $2',
    [accountId, connectorId],
  );
  for (const [operationId, summary] of operations) {
    await db.query(
      `INSERT INTO agent_connector_operations (account_id, connector_id, operation_id, method,
         path, summary, operation, search_terms)
       VALUES ($1, $2, $3, 'get', $4, $5, '{}', $3)`,
      [accountId, connectorId, operationId, `/${operationId}`, summary],
    );
  }
}

function operationIndexSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind, [
      ...connectorMigrations,
      pgvectorExtension,
      ...operationIndexMigrations(dimension),
    ]);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('embeds what is missing, a batch at a time, and nothing twice', async () => {
    const { provider, requests } = topicEmbeddings();
    const index = createPgOperationIndex({
      db: opened.db,
      embeddings: provider,
      dimension,
      batchSize: 2,
    });
    await importConnector(opened.db, 'acme', 'kitchen', [
      ['getOvenLoad', 'Current oven workload'],
      ['getStock', 'Flour and pantry stock'],
      ['listInvoices', 'Billing invoices'],
    ]);
    await index.refresh('acme');
    expect(requests.map((batch) => batch.length)).toEqual([2, 1]);
    await index.refresh('acme');
    expect(requests).toHaveLength(2);
    expect(await index.nearest('acme', 'how busy are the cooks?', 2)).toEqual([
      { connectorId: 'kitchen', operationId: 'getOvenLoad' },
      expect.objectContaining({ connectorId: 'kitchen' }),
    ]);
  });

  it('searches one account’s operations only', async () => {
    const { provider } = topicEmbeddings();
    const index = createPgOperationIndex({ db: opened.db, embeddings: provider, dimension });
    await importConnector(opened.db, 'rival', 'bills', [['sendInvoice', 'Billing invoices']]);
    const found = await index.nearest('rival', 'oven workload', 10);
    expect(found).toEqual([{ connectorId: 'bills', operationId: 'sendInvoice' }]);
  });

  it('re-embeds a re-imported connector, and drops the vectors of operations it lost', async () => {
    const { provider, requests } = topicEmbeddings();
    const index = createPgOperationIndex({ db: opened.db, embeddings: provider, dimension });
    await importConnector(opened.db, 'acme', 'kitchen', [
      ['getOvenLoad', 'Current oven workload'],
      ['countFlour', 'Inventory of flour'],
    ]);
    expect(await index.nearest('acme', 'pantry inventory', 1)).toEqual([
      { connectorId: 'kitchen', operationId: 'countFlour' },
    ]);
    // A re-import replaces the connector's operations whole: both are embedded again (beside
    // the query), and the two it no longer has lose their vectors.
    expect(requests.flat().sort()).toEqual([
      'countFlour: GET /countFlour\nInventory of flour',
      'getOvenLoad: GET /getOvenLoad\nCurrent oven workload',
      'pantry inventory',
    ]);
    const { rows } = await opened.db.query<{ operation_id: string }>(
      `SELECT operation_id FROM agent_operation_vectors_${dimension}
       WHERE account_id = 'acme' ORDER BY operation_id`,
    );
    expect(rows.map((row) => row.operation_id)).toEqual(['countFlour', 'getOvenLoad']);
  });

  it('refuses vectors of another size, and says which setting disagrees', async () => {
    const failures: unknown[] = [];
    const { provider } = topicEmbeddings((texts) => texts.map(() => [1, 0]));
    const index = createPgOperationIndex({
      db: opened.db,
      embeddings: provider,
      dimension,
      onFailure: (error) => failures.push(error),
    });
    await importConnector(opened.db, 'other', 'kitchen', [['getOvenLoad', 'Oven workload']]);
    await expect(index.refresh('other')).rejects.toThrow(/AWP_EMBEDDINGS_DIMENSIONS is 4/);
    await expect(index.nearest('other', 'oven', 3)).rejects.toThrow(/2 dimensions/);
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });
}

describe('catalog operation index on PGlite (embedded profile)', () => {
  operationIndexSuite('pglite');
});

describeWithServices(
  ['postgres'],
  'catalog operation index on PostgreSQL (distributed profile)',
  () => {
    operationIndexSuite('postgres');
  },
);
