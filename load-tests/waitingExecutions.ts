import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEventCatalog, eventSchemas } from '../contracts/index.js';
import {
  DocumentCatalog,
  WorkflowEngine,
  executionIndexMigrations,
  staticSecretStore,
} from '../domains/workflow/index.js';
import { createOutboundHttp } from '../infra/http/outboundHttp.js';
import { createJqExpressionEngine } from '../infra/jq/index.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { fmt } from './serverProcess.js';

const waiting = 1_000;
const timerSeconds = 45;

const listenWorkflow = `
document: { dsl: '1.0.3', namespace: bench, name: wait-for-event, version: '1.0.0' }
do:
  - awaitPayment:
      listen:
        to:
          one:
            with:
              type: bench.payment.received
            correlate:
              order:
                from: '\${ .data.orderId }'
                expect: '\${ .orderId }'
  - done:
      set: { paid: true }
`;
const waitWorkflow = `
document: { dsl: '1.0.3', namespace: bench, name: wait-for-time, version: '1.0.0' }
do:
  - cool: { wait: PT${timerSeconds}S }
  - done: { set: { waited: true } }
`;

// GC on demand, for heap figures that hold only what is still referenced.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/**
 * 1,000 executions waiting at once (half on an event, half on a timer): memory per waiting
 * execution in this process, then a restart (a new engine on the same database, nothing in
 * memory) and how long until all are resumed and completed.
 */
export async function waitingExecutionsBenchmark(): Promise<void> {
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
  await migrate(db, [...eventStoreMigrations, ...executionIndexMigrations]);
  const eventStore = createPgEventStore({
    singleStatementAppends: true,
    db,
    clock: systemClock,
    ids: uuidV7Ids,
    validate: createEventCatalog(eventSchemas).validate,
  });
  const catalog = new DocumentCatalog();
  const listen = await catalog.add(listenWorkflow);
  const wait = await catalog.add(waitWorkflow);
  const jq = await createJqExpressionEngine();
  const outbound = createOutboundHttp({ policyFor: () => ({ allowHosts: [] }) });
  const newEngine = () =>
    new WorkflowEngine({
      db,
      eventStore,
      definitions: catalog,
      secrets: staticSecretStore({}),
      outbound,
      expressions: jq,
      clock: systemClock,
      ids: uuidV7Ids,
      exclusive: true,
      maxConcurrentPerAccount: 10_000,
    });
  let engine = newEngine();
  await engine.start();
  try {
    const before = heapAfterGc();
    const rssBefore = process.memoryUsage().rss;
    const ids: Array<{ executionId: string; kind: 'listen' | 'wait'; orderId: string }> = [];
    const startedAt = performance.now();
    for (let i = 0; i < waiting; i++) {
      const kind = i % 2 === 0 ? 'listen' : 'wait';
      const workflow = kind === 'listen' ? listen : wait;
      const orderId = `order-${i}`;
      const { executionId } = await engine.startExecution({
        accountId: 'bench',
        workflowId: workflow.workflowId,
        version: workflow.version,
        input: { orderId },
        trigger: 'api',
        actor: { type: 'system', id: 'bench' },
        correlationId: orderId,
      });
      ids.push({ executionId, kind, orderId });
    }
    // Every execution parks once it only waits; wait until the index says so for all of them.
    for (;;) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM workflow_executions WHERE status = 'waiting' AND owner IS NULL`,
      );
      if (Number(rows[0]?.n) === waiting) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const startMs = performance.now() - startedAt;
    const perExecutionHeap = (heapAfterGc() - before) / waiting;
    const perExecutionRss = (process.memoryUsage().rss - rssBefore) / waiting;

    // A restart: the engine object and everything it held go away; a new one starts cold.
    await engine.stop();
    engine = newEngine();
    const restartedAt = performance.now();
    await engine.start();
    const listeners = ids.filter((entry) => entry.kind === 'listen');
    for (const entry of listeners) {
      await engine.publish('bench', {
        specversion: '1.0',
        id: `payment-${entry.orderId}`,
        source: 'https://bench.local/payments',
        type: 'bench.payment.received',
        data: { orderId: entry.orderId },
      });
    }
    await Promise.all(listeners.map((entry) => engine.awaitEnd(entry.executionId)));
    const listenersResumedMs = performance.now() - restartedAt;
    const timers = ids.filter((entry) => entry.kind === 'wait');
    await Promise.all(timers.map((entry) => engine.awaitEnd(entry.executionId)));
    const allDoneMs = performance.now() - restartedAt;
    let lateness = 0;
    for (const entry of timers) {
      const events = await engine.readEvents(entry.executionId);
      const scheduled = events.find((event) => event.type === 'TimerScheduled')?.data as {
        dueAt: string;
      };
      const fired = events.find((event) => event.type === 'TimerFired');
      if (fired)
        lateness = Math.max(lateness, Date.parse(fired.occurredAt) - Date.parse(scheduled.dueAt));
    }

    console.log(
      `\n${waiting} executions waiting at once (${waiting / 2} on an event, ${waiting / 2} on a ${timerSeconds} s timer), embedded`,
    );
    console.log(`  started and parked all in ${fmt(startMs / 1000, 1)} s`);
    console.log(
      `  memory per waiting execution: heap ${fmt(perExecutionHeap / 1024, 2)} KiB, RSS ${fmt(perExecutionRss / 1024, 2)} KiB (target < 20 KiB)`,
    );
    console.log(
      `  after a restart: ${waiting / 2} events published and their executions completed in ${fmt(listenersResumedMs / 1000, 2)} s`,
    );
    console.log(
      `  timers: all ${waiting / 2} completed ${fmt(allDoneMs / 1000, 1)} s after the restart; latest firing ${fmt(lateness, 0)} ms after its due time`,
    );
  } finally {
    await engine.stop();
    await outbound.close();
    jq.close?.();
    await db.close();
    await embedded.stop();
  }
}
