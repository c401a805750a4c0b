import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createEventCatalog, eventSchemas, startOfLog, workflowTopic } from '../contracts/index.js';
import { createWorkflowApiRouter } from '../domains/workflow/api/index.js';
import {
  OutboundPolicies,
  WorkflowEngine,
  WorkflowRegistry,
  executionIndexMigrations,
  staticSecretStore,
  workflowReadModelMigrations,
  workflowsProjection,
} from '../domains/workflow/index.js';
import { createGateway } from '../gateway/index.js';
import { devAccountAuthenticator } from '../gateway/middleware/devAccountAuthenticator.js';
import { createOutboundHttp } from '../infra/http/outboundHttp.js';
import { parseOutboundPolicy } from '../infra/http/outboundPolicy.js';
import { createJqExpressionEngine } from '../infra/jq/index.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { eventually } from './support/eventually.js';

export interface WorkflowApiHarnessOptions {
  /** Hosts the engine's SSRF guard lets the workflows call (`127.0.0.1:port`). */
  allowHosts?: string[];
  bodyLimitBytes?: number;
}

export type WorkflowApiHarness = Awaited<ReturnType<typeof startWorkflowApi>>;

/**
 * The workflow API as a process hosts it, in this one: the gateway with the interim
 * `X-AWP-Account` authenticator, the tsoa routes, the real registry and engine on an in-memory
 * PGlite, and real jq. Also listening on a loopback port, for streams read as they arrive.
 */
export async function startWorkflowApi(options: WorkflowApiHarnessOptions = {}) {
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
  await migrate(db, [
    ...eventStoreMigrations,
    ...executionIndexMigrations,
    ...workflowReadModelMigrations,
  ]);
  const { validate } = createEventCatalog(eventSchemas);
  const eventStore = createPgEventStore({ db, clock: systemClock, ids: uuidV7Ids, validate });
  const registry = new WorkflowRegistry({ db, eventStore, ids: uuidV7Ids });
  const expressions = await createJqExpressionEngine();
  const outboundPolicies = new OutboundPolicies({
    eventStore,
    validateAllowHosts: (allowHosts) => void parseOutboundPolicy({ allowHosts }),
  });
  const outbound = createOutboundHttp({
    policyFor: async (accountId) => ({
      allowHosts: [
        ...(options.allowHosts ?? []),
        ...(await outboundPolicies.allowHosts(accountId)),
      ],
    }),
  });
  const engine = new WorkflowEngine({
    ...{ db, eventStore, definitions: registry, outbound, expressions },
    ...{ secrets: staticSecretStore({}), clock: systemClock, ids: uuidV7Ids, exclusive: true },
  });
  await engine.start();
  const router = createWorkflowApiRouter({
    ...{ registry, engine, outboundPolicies },
    ...{ eventPollMs: 20, heartbeatMs: 150 },
  });
  const app = createGateway({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    readiness: [],
    routers: [router],
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    authenticator: devAccountAuthenticator,
  });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const http = request(app.callback());

  async function createWorkflow(document: string, account = acme): Promise<string> {
    const response = await http
      .post('/v1/workflows')
      .set('X-AWP-Account', account)
      .send({ document });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.workflowId as string;
  }

  async function startExecution(workflowId: string, input: unknown = {}): Promise<string> {
    const response = await http
      .post(`/v1/workflows/${workflowId}/executions`)
      .set('X-AWP-Account', acme)
      .send({ input });
    if (response.status !== 202) throw new Error(JSON.stringify(response.body));
    return response.body.executionId as string;
  }

  /** The execution's view once it reaches `status` (executions run on after 202). */
  function executionWhen(executionId: string, status: string) {
    return eventually(async () => {
      const response = await http.get(`/v1/executions/${executionId}`).set('X-AWP-Account', acme);
      return response.body.status === status ? response.body : undefined;
    });
  }

  return {
    http,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registry,
    engine,
    outboundPolicies,
    createWorkflow,
    startExecution,
    executionWhen,
    /** The read model as the projection runner builds it: every workflow event applied. */
    async project() {
      const page = await eventStore.readAll(startOfLog, 1_000, { topics: [workflowTopic] });
      for (const event of page.events) await workflowsProjection.apply(db, event);
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await engine.stop();
      await outbound.close();
      await expressions.close();
      await db.close();
      await embedded.stop();
    },
  };
}

/** The account most tests act for. */
export const acme = 'acme';

/** A workflow document with the given task list (indented two spaces under `do:`). */
export const workflow = (name: string, version: string, tasks: string) => `
document: { dsl: '1.0.0', namespace: api-test, name: ${name}, version: '${version}' }
do:
${tasks}`;

/** A workflow whose one task waits an hour: an execution that stays waiting. */
export const hourlong = (name: string) => workflow(name, '1.0.0', '  - nap:\n      wait: PT1H');

/** Reads a Server-Sent Events body into its messages (comments and `retry` left out). */
export function sseMessages(text: string): Array<{ id: number; event: string; data: unknown }> {
  return text
    .split('\n\n')
    .map((block) => Object.fromEntries(block.split('\n').map((line) => line.split(': ', 2))))
    .filter((fields) => fields.id !== undefined)
    .map((fields) => ({
      id: Number(fields.id),
      event: fields.event as string,
      data: JSON.parse(fields.data as string) as unknown,
    }));
}
