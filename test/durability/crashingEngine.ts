import { createEventCatalog, eventSchemas } from '../../contracts/index.js';
import {
  DocumentCatalog,
  WorkflowEngine,
  executionIndexMigrations,
  staticSecretStore,
} from '../../domains/workflow/index.js';
import type { FaultInjector, FaultPoint } from '../../domains/workflow/index.js';
import { createOutboundHttp } from '../../infra/http/outboundHttp.js';
import { createJqExpressionEngine } from '../../infra/jq/index.js';
import { startEmbeddedPostgres } from '../../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../../infra/postgres/migrate.js';
import { createPgDatabase } from '../../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../../infra/system/systemClock.js';

/**
 * A process that runs one execution on a real engine and can die at a chosen point:
 * `AWP_TEST_FAULT=after-call:2` sends it SIGKILL the second time an HTTP call returns. Run it
 * again without a fault and the engine must finish the execution from its log.
 *
 * Environment: AWP_TEST_DATABASE (a postgres:// URL, or a directory for PGlite),
 * AWP_TEST_WORKFLOW (the DSL text), AWP_TEST_EXECUTION_ID, AWP_TEST_INPUT, AWP_TEST_SECRETS,
 * AWP_TEST_ALLOW (comma-separated hosts), AWP_TEST_FAULT, AWP_TEST_LEASE_MS.
 */
const env = process.env;
const [faultPoint, faultCount] = (env.AWP_TEST_FAULT ?? '').split(':');
let seen = 0;
const faults: FaultInjector = {
  reached(point: FaultPoint) {
    if (point !== faultPoint) return;
    seen += 1;
    if (seen === Number(faultCount)) {
      process.stdout.write(`KILLED at ${point}:${seen}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
};

const target = env.AWP_TEST_DATABASE as string;
const embedded = target.startsWith('postgres')
  ? undefined
  : await startEmbeddedPostgres({ dataDir: target });
const db = createPgDatabase({
  connectionString: embedded?.url ?? target,
  poolSize: embedded ? 1 : 5,
});
await migrate(db, [...eventStoreMigrations, ...executionIndexMigrations]);
const catalog = new DocumentCatalog();
const workflow = await catalog.add(env.AWP_TEST_WORKFLOW as string);
const outbound = createOutboundHttp({
  policyFor: () => ({ allowHosts: (env.AWP_TEST_ALLOW ?? '').split(',').filter(Boolean) }),
});
const engine = new WorkflowEngine({
  db,
  eventStore: createPgEventStore({
    singleStatementAppends: embedded !== undefined,
    db,
    clock: systemClock,
    ids: uuidV7Ids,
    validate: createEventCatalog(eventSchemas).validate,
  }),
  definitions: catalog,
  secrets: staticSecretStore(JSON.parse(env.AWP_TEST_SECRETS ?? '{}') as Record<string, unknown>),
  outbound,
  expressions: await createJqExpressionEngine(),
  clock: systemClock,
  ids: uuidV7Ids,
  faults,
  ...(env.AWP_TEST_DEBUG
    ? {
        log: {
          info: (d: object, m: string) => console.error('INFO', m, d),
          warn: (d: object, m: string) => console.error('WARN', m, d),
          error: (d: object, m: string) => console.error('ERROR', m, d),
        },
      }
    : {}),
  exclusive: env.AWP_TEST_LEASE_MS === undefined,
  leaseMs: Number(env.AWP_TEST_LEASE_MS ?? 15_000),
  pollMs: 100,
  parkAfterMs: 500,
});
const t0 = Number(env.AWP_TEST_T0 ?? Date.now());
const debug = (what: string) =>
  env.AWP_TEST_DEBUG && console.error(`${Date.now() - t0} ms: ${what}`);
await engine.start();
debug('engine started');
const executionId = env.AWP_TEST_EXECUTION_ID as string;
await engine.startExecution({
  accountId: 'crash-test',
  workflowId: workflow.workflowId,
  version: workflow.version,
  input: JSON.parse(env.AWP_TEST_INPUT ?? '{}') as unknown,
  trigger: 'api',
  actor: { type: 'system', id: 'crash-test' },
  correlationId: executionId,
  executionId,
});
debug('execution started');
if (env.AWP_TEST_DEBUG) {
  setInterval(() => {
    void (async () => {
      const row = await engine.index.find(executionId);
      const events = await engine.readEvents(executionId);
      debug(`index ${JSON.stringify(row)} events ${events.map((e) => e.type).join(',')}`);
    })();
  }, 3000).unref();
}
const ended = await engine.awaitEnd(executionId);
debug('ended');
process.stdout.write(
  `RESULT ${JSON.stringify({ status: ended.status, output: ended.outputJson, error: ended.error ?? null })}\n`,
);
await engine.stop();
await outbound.close();
await db.close();
await embedded?.stop();
process.exit(0);
