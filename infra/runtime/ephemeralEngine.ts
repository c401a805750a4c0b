import { createEventCatalog, eventSchemas } from '../../contracts/index.js';
import {
  DocumentCatalog,
  WorkflowEngine,
  executionIndexMigrations,
  staticSecretStore,
} from '../../domains/workflow/index.js';
import type {
  EngineLimits,
  EngineLog,
  ExecutionState,
  ExpressionEngine,
  OutboundHttp,
  SecretStore,
  WorkflowProblem,
} from '../../domains/workflow/index.js';
import type { EventStore } from '../../contracts/index.js';
import type { HostResolver } from '../http/guardedLookup.js';
import { createOutboundHttp } from '../http/outboundHttp.js';
import { startEmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../postgres/eventStoreMigrations.js';
import { migrate } from '../postgres/migrate.js';
import { createPgDatabase } from '../postgres/pgDatabase.js';
import { createPgEventStore } from '../postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';

export interface EphemeralEngineOptions {
  expressions: ExpressionEngine;
  /** Hosts the SSRF guard lets through besides public addresses (`127.0.0.1:8080`, …). */
  allowHosts?: readonly string[];
  secrets?: Readonly<Record<string, unknown>>;
  limits?: Partial<EngineLimits>;
  log?: EngineLog;
  resolve?: HostResolver;
  /** Outbound call time limit. */
  callTimeoutMs?: number;
  /** Replaces the guarded HTTP client (a dry run answers every call itself). */
  outbound?: OutboundHttp;
  /** Replaces `secrets` (a dry run hands out stand-ins for whatever is asked). */
  secretStore?: SecretStore;
}

export interface WorkflowRunResult {
  executionId: string;
  status: ExecutionState['status'];
  output?: unknown;
  error?: WorkflowProblem;
}

export interface EphemeralEngine {
  engine: WorkflowEngine;
  catalog: DocumentCatalog;
  /** The engine's own log: an execution's events, for its trace. */
  eventStore: EventStore;
  /** Validates and registers a document (throws `validation` with positioned problems). */
  add(text: string): ReturnType<DocumentCatalog['add']>;
  /**
   * Runs the document to its end and returns the output or the error. With `accountId`, the
   * document and the execution are that account's alone: runs under different accounts may
   * go side by side, even of the same workflow.
   */
  run(
    text: string,
    input: unknown,
    signal?: AbortSignal,
    accountId?: string,
  ): Promise<WorkflowRunResult>;
  stop(): Promise<void>;
}

const localAccount = 'local';

/**
 * A whole engine in a throwaway in-memory database: the same event store, index and
 * interpreter as the platform, for `awp run` and the conformance kit.
 */
export async function startEphemeralEngine(
  options: EphemeralEngineOptions,
): Promise<EphemeralEngine> {
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
  await migrate(db, [...eventStoreMigrations, ...executionIndexMigrations]);
  const catalog = new DocumentCatalog();
  const events = createEventCatalog(eventSchemas);
  const eventStore = createPgEventStore({
    singleStatementAppends: true,
    db,
    clock: systemClock,
    ids: uuidV7Ids,
    validate: events.validate,
  });
  const guarded = options.outbound
    ? undefined
    : createOutboundHttp({
        policyFor: () => ({ allowHosts: options.allowHosts ?? [] }),
        ...(options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }),
        ...(options.resolve ? { resolve: options.resolve } : {}),
      });
  const outbound = (options.outbound ?? guarded) as OutboundHttp;
  const engine = new WorkflowEngine({
    db,
    eventStore,
    definitions: catalog,
    secrets: options.secretStore ?? staticSecretStore(options.secrets ?? {}),
    outbound,
    expressions: options.expressions,
    clock: systemClock,
    ids: uuidV7Ids,
    exclusive: true,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await engine.start();

  async function run(
    text: string,
    input: unknown,
    signal?: AbortSignal,
    accountId?: string,
  ): Promise<WorkflowRunResult> {
    const workflow = await catalog.add(text, accountId);
    const { executionId } = await engine.startExecution({
      accountId: accountId ?? localAccount,
      workflowId: workflow.workflowId,
      version: workflow.version,
      input,
      trigger: 'api',
      actor: { type: 'user', id: 'local' },
      correlationId: uuidV7Ids.newId(),
    });
    const state = await engine.awaitEnd(executionId, signal);
    return {
      executionId,
      status: state.status,
      ...(state.status === 'completed'
        ? { output: JSON.parse(state.outputJson ?? 'null') as unknown }
        : {}),
      ...(state.error ? { error: state.error } : {}),
    };
  }

  return {
    engine,
    catalog,
    eventStore,
    add: (text) => catalog.add(text),
    run,
    async stop() {
      await engine.stop();
      await guarded?.close();
      await db.close();
      await embedded.stop();
    },
  };
}
