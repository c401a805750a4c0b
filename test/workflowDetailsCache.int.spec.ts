import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCatalog, eventSchemas } from '../contracts/index.js';
import type { EventStore } from '../contracts/index.js';
import { WorkflowRegistry } from '../domains/workflow/index.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import type { EmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';

const document = `document: { dsl: '1.0.3', namespace: kitchen, name: read-me, version: '1.0.0' }
do:
  - one: { set: { ok: true } }
`;
const actor = { type: 'user', id: 'chef' } as const;

/**
 * `GET /v1/workflows/{id}` reads through the registry's short cache. When the entry goes stale
 * under load, every request waiting at that moment must share one read of the stream: before,
 * each queued its own (16 clients, 16 reads a second on the embedded database's one
 * connection), and the p99 of the authenticated-gateway benchmark was those queues.
 */
describe('the workflow details cache', () => {
  let embedded: EmbeddedPostgres;
  let db: ReturnType<typeof createPgDatabase>;
  let eventStore: EventStore;
  let streamReads = 0;
  let now = 0;
  let registry: WorkflowRegistry;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
    db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
    await migrate(db, eventStoreMigrations);
    const { validate } = createEventCatalog(eventSchemas);
    const store = createPgEventStore({ db, clock: systemClock, ids: uuidV7Ids, validate });
    eventStore = {
      ...store,
      async readStream(streamId) {
        streamReads += 1;
        return store.readStream(streamId);
      },
    };
    registry = new WorkflowRegistry({ db, eventStore, ids: uuidV7Ids, now: () => now });
  });

  afterAll(async () => {
    await db.close();
    await embedded.stop();
  });

  it('shares one read among the requests that find an entry stale together', async () => {
    const { workflowId } = await registry.create({
      ...{ accountId: 'acme', text: document, actor, correlationId: 'c-1' },
    });
    now += 5_000; // what the create remembered is stale now
    streamReads = 0;
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => registry.get('acme', workflowId)),
    );
    expect(streamReads).toBe(1);
    expect(new Set(answers.map((a) => a?.workflowId))).toEqual(new Set([workflowId]));
    // Fresh again: answered without reading.
    await registry.get('acme', workflowId);
    expect(streamReads).toBe(1);
  });

  it('does not remember a workflow that is not there, nor another tenant’s', async () => {
    const { workflowId } = await registry.create({
      ...{ accountId: 'acme', text: document.replace('read-me', 'other'), actor },
      correlationId: 'c-2',
    });
    streamReads = 0;
    expect(await registry.get('acme', 'no-such-workflow')).toBeUndefined();
    expect(await registry.get('acme', 'no-such-workflow')).toBeUndefined();
    expect(streamReads).toBe(2);
    expect(await registry.get('rival', workflowId)).toBeUndefined();
  });
});
