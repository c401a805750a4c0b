import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AwpError,
  StreamVersionConflict,
  createEventCatalog,
  eventSchemas,
} from '../../../contracts/index.js';
import type { Database, EventEnvelope, EventStore } from '../../../contracts/index.js';
import { openTestDatabase } from '../../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../../test/support/testDatabases.js';
import { describeWithServices } from '../../../test/support/realServices.js';
import { ConnectorCatalogStore } from './connectorCatalogStore.js';
import type { ConnectorCatalogDeps } from './connectorCatalogStore.js';
import {
  inventoryApiDocument,
  ordersApiDocument,
  ordersApiYaml,
} from './connectorFixtures.spec.js';
import { connectorMigrations } from './connectorMigrations.js';
import type { ConnectorCredentials } from './ports/connectorCredentials.js';

/**
 * The catalog over real SQL (PGlite and PostgreSQL). Appends go to an event store that keeps
 * the events in memory, checked against their Avro schemas, and runs the catalog's `alongside`
 * writes in a transaction, as the Postgres event store does (the API spec in test/ uses that).
 */

const { validate } = createEventCatalog(eventSchemas);
const change = { actor: { type: 'user', id: 'ada' } as const, correlationId: 'corr-1' };
const secretValue = 'sk_live_never-show-this-9f8e7d';

function transactionalEventStore(db: Database) {
  const events: EventEnvelope[] = [];
  const store: Pick<EventStore, 'append'> = {
    async append(request) {
      return db.transaction(async (tx) => {
        const current = events.filter((e) => e.streamId === request.streamId).length;
        const expected = request.expectedVersion === 'no_stream' ? 0 : request.expectedVersion;
        if (expected !== 'any' && expected !== current) {
          throw new StreamVersionConflict(request.streamId, String(expected), current);
        }
        const envelopes = request.events.map((event, index) => {
          const envelope: EventEnvelope = {
            eventId: `0193${String(events.length + index).padStart(4, '0')}-0000-7000-8000-000000000000`,
            type: event.type,
            streamId: request.streamId,
            streamVersion: current + index + 1,
            schemaVersion: 1,
            occurredAt: new Date().toISOString(),
            data: event.data,
            ...request.metadata,
          };
          validate(envelope);
          return envelope;
        });
        for (const write of request.alongside ?? []) await tx.query(write.sql, write.params);
        events.push(...envelopes);
        return { nextVersion: current + envelopes.length, events: envelopes };
      });
    },
  };
  return { store, events };
}

function connectorCatalogSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  let events: EventEnvelope[];
  let stored: Array<{ accountId: string; secretName: string; value: string }>;
  let catalog: ConnectorCatalogStore;
  let ids = 0;

  const credentials: ConnectorCredentials = {
    async store(accountId, secretName, value) {
      stored.push({ accountId, secretName, value });
    },
  };
  function catalogWith(overrides: Partial<ConnectorCatalogDeps> = {}) {
    const eventStore = transactionalEventStore(opened.db);
    events = eventStore.events;
    return new ConnectorCatalogStore({
      db: opened.db,
      eventStore: eventStore.store,
      ids: { newId: () => `conn-${++ids}` },
      clock: { now: () => new Date('2026-11-30T10:00:00.000Z') },
      credentials,
      ...overrides,
    });
  }
  const upload = (accountId: string, name: string, document: string | Record<string, unknown>) =>
    catalog.importDocument(accountId, { name, document }, change);

  beforeAll(async () => {
    opened = await openTestDatabase(kind, connectorMigrations);
  });
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    await opened.db.query('DELETE FROM agent_connectors');
    stored = [];
    catalog = catalogWith();
  });

  it('imports a YAML upload: connector, operations and the event in one go', async () => {
    const report = await upload('acme', 'Orders', ordersApiYaml);
    const connectorId = report.connector.connectorId;
    expect(report).toMatchObject({
      created: true,
      connector: {
        name: 'Orders',
        version: 1,
        source: 'upload',
        sourceUrl: null,
        documentUri: `awp://connectors/${connectorId}/openapi.json`,
        title: 'Orders API',
        openapiVersion: '3.0.3',
        operationCount: 5,
        notCallableCount: 1,
        credentialSecret: null,
        importedBy: change.actor,
      },
    });
    expect(report.callable.map((operation) => operation.operationId)).toEqual([
      'listOrders',
      'createOrder',
      'getOrder',
      'cancelOrder',
      'getCategory',
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ConnectorImported',
      streamId: `connector-${connectorId}`,
      accountId: 'acme',
      data: {
        connectorId,
        name: 'Orders',
        source: 'upload',
        sourceUrl: null,
        documentSha256: report.connector.documentSha256,
        operationCount: 5,
        credentialSecrets: [],
      },
    });
    const details = await catalog.describe('acme', connectorId);
    expect(details.operations.find((o) => o.operationId === 'getOrder')).toMatchObject({
      connectorName: 'Orders',
      documentUri: report.connector.documentUri,
      effect: 'read',
      security: ['apiKey'],
    });
    expect(await catalog.document('acme', connectorId)).toEqual(ordersApiDocument());
    expect(await catalog.list('acme')).toEqual([report.connector]);
  });

  it('re-imports under the same name (any case) as the next version, replacing operations', async () => {
    const first = await catalog.importDocument(
      'acme',
      { name: 'Orders', document: ordersApiYaml, credentials: { secretName: 'ORDERS_KEY' } },
      change,
    );
    const second = await upload('acme', 'orders', inventoryApiDocument());
    expect(second.created).toBe(false);
    expect(second.connector).toMatchObject({
      connectorId: first.connector.connectorId,
      name: 'orders',
      version: 2,
      openapiVersion: '3.1.0',
      operationCount: 1,
      // The credential belongs to the API, not to one version of its document.
      credentialSecret: 'ORDERS_KEY',
    });
    const operations = await catalog.operations('acme');
    expect(operations.map((o) => o.operationId)).toEqual(['getStockLevel']);
    expect(events.map((e) => [e.type, e.streamVersion])).toEqual([
      ['ConnectorImported', 1],
      ['ConnectorImported', 2],
    ]);
    expect(await catalog.list('acme')).toHaveLength(1);
  });

  it('stores a credential value in the secrets and keeps only its name', async () => {
    const report = await catalog.importDocument(
      'acme',
      {
        name: 'Orders',
        document: ordersApiYaml,
        credentials: { secretName: 'ORDERS_KEY', value: secretValue },
      },
      change,
    );
    expect(stored).toEqual([{ accountId: 'acme', secretName: 'ORDERS_KEY', value: secretValue }]);
    expect(report.connector.credentialSecret).toBe('ORDERS_KEY');
    expect(events[0]?.data).toMatchObject({ credentialSecrets: ['ORDERS_KEY'] });
    expect((await catalog.operations('acme'))[0]?.credentialSecret).toBe('ORDERS_KEY');
    const everything = JSON.stringify([
      report,
      events,
      (await opened.db.query('SELECT * FROM agent_connectors')).rows,
      (await opened.db.query('SELECT * FROM agent_connector_operations')).rows,
    ]);
    expect(everything).not.toContain(secretValue);
  });

  it('stores no secret for an import it refuses, and none without a credential store', async () => {
    const refused = catalog.importDocument(
      'acme',
      { name: 'Orders', document: 'openapi: [', credentials: { secretName: 'K', value: 'v' } },
      change,
    );
    await expect(refused).rejects.toMatchObject({ code: 'validation' });
    const withoutStore = catalogWith({ credentials: undefined });
    await expect(
      withoutStore.importDocument(
        'acme',
        { name: 'Orders', document: ordersApiYaml, credentials: { secretName: 'K', value: 'v' } },
        change,
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(stored).toEqual([]);
    expect(await catalog.list('acme')).toEqual([]);
  });

  it('keeps tenants apart: another account’s connector does not exist for it', async () => {
    const { connector } = await upload('acme', 'Orders', ordersApiYaml);
    const notFound = {
      code: 'not_found',
      message: `connector '${connector.connectorId}' does not exist`,
    };
    await expect(catalog.describe('globex', connector.connectorId)).rejects.toMatchObject(notFound);
    await expect(catalog.document('globex', connector.connectorId)).rejects.toMatchObject(notFound);
    await expect(catalog.remove('globex', connector.connectorId, change)).rejects.toMatchObject(
      notFound,
    );
    expect(await catalog.list('globex')).toEqual([]);
    expect(await catalog.operations('globex')).toEqual([]);
    expect(await catalog.search('globex', 'orders', 10)).toEqual([]);
    expect(await catalog.mockResponse('globex', 'getOrder')).toBeUndefined();
    // Same name in another account: another connector.
    const theirs = await upload('globex', 'Orders', inventoryApiDocument());
    expect(theirs.created).toBe(true);
    expect(theirs.connector.connectorId).not.toBe(connector.connectorId);
    expect((await catalog.search('acme', 'stock', 10)).map((o) => o.operationId)).not.toContain(
      'getStockLevel',
    );
  });

  it('searches by full text, best match first, words of ids and paths included', async () => {
    await upload('acme', 'Orders', ordersApiYaml);
    await upload('acme', 'Inventory', inventoryApiDocument());
    const ids = async (query: string) =>
      (await catalog.search('acme', query, 10)).map((o) => o.operationId);
    expect((await ids('cancel order'))[0]).toBe('cancelOrder');
    expect(await ids('stock level')).toEqual(['getStockLevel']);
    expect((await ids('subcategories'))[0]).toBe('getCategory');
    expect(await ids('"newest first"')).toEqual(['listOrders']);
    const inOrders = await catalog.searchOperations('acme', 'stock', {
      limit: 10,
      connectorId: (await catalog.list('acme')).find((c) => c.name === 'Orders')?.connectorId,
    });
    expect(inOrders.matched).toBe(false);
    expect(inOrders.items.every((o) => o.connectorName === 'Orders')).toBe(true);
  });

  it('falls back to the account’s operations when nothing matches, capped', async () => {
    await upload('acme', 'Orders', ordersApiYaml);
    const result = await catalog.searchOperations('acme', 'zebra unicorn', { limit: 3 });
    expect(result).toMatchObject({ matched: false });
    expect(result.items.map((o) => o.operationId)).toEqual([
      'getCategory',
      'listOrders',
      'createOrder',
    ]);
    expect(await catalog.search('acme', `'&|!:*() <-> \\`, 10)).toHaveLength(5);
    expect(await catalog.search('acme', '', 2)).toHaveLength(2);
  });

  it('mocks an operation from its example, else from its schema', async () => {
    await upload('acme', 'Orders', ordersApiYaml);
    expect(await catalog.mockResponse('acme', 'getOrder')).toEqual({
      status: 200,
      body: { id: 'ord-7', status: 'shipped', total: 10, lines: [] },
    });
    const category = await catalog.mockResponse('acme', 'getCategory');
    expect(category).toMatchObject({ status: 200, body: { name: 'Tools' } });
    expect(await catalog.mockResponse('acme', 'noSuchOperation')).toBeUndefined();
  });

  it('imports by URL through the fetcher port, keeping the URL as the document’s place', async () => {
    const seen: string[] = [];
    const byUrl = catalogWith({
      fetcher: {
        async fetch(url, _signal, accountId) {
          seen.push(`${accountId} ${url}`);
          return { body: ordersApiYaml, contentType: 'application/yaml' };
        },
      },
    });
    const url = 'https://orders.example.test/openapi.yaml';
    const report = await byUrl.importFromUrl('acme', { name: 'Orders', url }, change);
    expect(seen).toEqual([`acme ${url}`]);
    expect(report.connector).toMatchObject({ source: 'url', sourceUrl: url, documentUri: url });
    await expect(
      byUrl.importFromUrl('acme', { name: 'Orders', url: 'file:///etc/passwd' }, change),
    ).rejects.toMatchObject({ code: 'validation', details: { field: 'url' } });
    await expect(
      catalog.importFromUrl('acme', { name: 'Orders', url }, change),
    ).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('removes a connector with its operations; the name then starts a new connector', async () => {
    const { connector } = await upload('acme', 'Orders', ordersApiYaml);
    await catalog.remove('acme', connector.connectorId, change);
    expect(events.at(-1)).toMatchObject({
      type: 'ConnectorRemoved',
      streamId: `connector-${connector.connectorId}`,
      streamVersion: 2,
      data: { connectorId: connector.connectorId },
    });
    expect(await catalog.list('acme')).toEqual([]);
    expect(await catalog.operations('acme')).toEqual([]);
    const again = await upload('acme', 'Orders', ordersApiYaml);
    expect(again.created).toBe(true);
    expect(again.connector.connectorId).not.toBe(connector.connectorId);
  });

  it('never keeps two connectors of one name, however imports race', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => upload('acme', 'Orders', ordersApiYaml)),
    );
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(AwpError);
        expect((result.reason as AwpError).code).toBe('conflict');
      }
    }
    expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
    expect(await catalog.list('acme')).toHaveLength(1);
  });

  it('refuses names it cannot keep, naming the field', async () => {
    await expect(upload('acme', ' ', ordersApiYaml)).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'name' },
    });
    await expect(
      catalog.importDocument(
        'acme',
        { name: 'Orders', document: ordersApiYaml, credentials: { secretName: '1-bad' } },
        change,
      ),
    ).rejects.toMatchObject({ details: { field: 'credentials.secretName' } });
  });
}

describe('connector catalog on PGlite', () => {
  connectorCatalogSuite('pglite');
});

describeWithServices(['postgres'], 'connector catalog on PostgreSQL', () => {
  connectorCatalogSuite('postgres');
});
