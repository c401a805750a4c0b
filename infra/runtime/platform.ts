import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  createConfluentRegistryClient,
  createEventCatalog,
  createEventSerializer,
  eventSchemas,
} from '../../contracts/index.js';
import type { Clock, IdGenerator, Migration } from '../../contracts/index.js';
import {
  createSchemaRegistryRouter,
  schemaRegistryMigrations,
} from '../../contracts/registry/index.js';
import { createGateway } from '../../gateway/index.js';
import { createApiDocsRouter } from '../../gateway/openapi/index.js';
import { createWebSocketGateway } from '../../gateway/streaming/index.js';
import type { Authenticator } from '../../gateway/index.js';
import type { ProjectionRunner } from '../../projections/index.js';
import { createAdminRoutes } from '../admin/adminRoutes.js';
import {
  projectionMigrations,
  registerProjectionLag,
  startProjections,
} from '../../projections/index.js';
import { inProcessBusMigrations } from '../bus/inProcessBus.js';
import type { Config } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import type { Logger } from '../logging/logger.js';
import { startOutboxRelay } from '../outbox/outboxRelay.js';
import { eventStoreMigrations } from '../postgres/eventStoreMigrations.js';
import { createLease, leaseMigrations } from '../postgres/lease.js';
import { migrate } from '../postgres/migrate.js';
import { createPgEventStore } from '../postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';
import type { EmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import { openAdapters } from './adapters.js';
import type { ProfileDescription } from './adapters.js';
import { loadDomainModule } from './domainModules.js';
import type { DomainName } from './domainModules.js';
import { createGatewaySecurity, gatewaySecurityMigrations } from './gatewaySecurity.js';
import type { DevIssuer } from '../auth/devIssuer.js';
import {
  createQuotaGate,
  createTenantDirectory,
  platformMigrations,
} from '../../domains/platform/index.js';
import type { MasterKeys } from '../../domains/platform/index.js';
import type { AssistantReplies } from '../../domains/conversation/index.js';
import { openMasterKeys } from '../secrets/masterKeySource.js';
import { createHttpAssistantReplies, missingAgentUrl } from './httpAssistantReplies.js';
import { missingWorkflowUrl, workflowApiLocation } from './workflowApiLocation.js';
import { createAgentModule } from './agentModule.js';

/** Long enough to ride out a slow batch, short enough that a dead relay is replaced quickly. */
const relayLeaseTtlMs = 15_000;

export interface PlatformOptions {
  config: Config;
  /** Domains this process hosts: all of them embedded, a subset with `awp serve`. */
  services: readonly DomainName[];
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  authenticator?: Authenticator;
  /** See `openAdapters`: an embedded database already starting. */
  embeddedDatabase?: Promise<EmbeddedPostgres>;
  /** Who writes assistant replies in conversations (tests script one); none when absent. */
  assistantReplies?: AssistantReplies;
}

export interface RunningPlatform {
  url: string;
  port: number;
  profile: ProfileDescription;
  /** The development issuer this process trusts (`awp token`), when it trusts one. */
  devIssuer: DevIssuer | undefined;
  /** Stop accepting, drain in-flight requests, stop workers, close connections. */
  stop(): Promise<void>;
}

/** Starts one AWP process: adapters, migrations, relay, projections and the HTTP gateway. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;

  const adapters = await openAdapters(config, logger, clock, options.embeddedDatabase);
  const { db, backgroundDb, bus, cache } = adapters;
  // Reversed at stop: the server stops accepting first, then the workers, then connections.
  const workers: Array<() => Promise<void>> = [];
  const stoppers: Array<() => Promise<void>> = [adapters.close, () => stopAll(workers)];
  try {
    const catalog = createEventCatalog(eventSchemas);
    let wakeRelay = (): void => undefined;
    const eventStore = createPgEventStore({
      singleStatementAppends: adapters.profile.database === 'pglite',
      db,
      clock,
      ids,
      onAppended: () => wakeRelay(),
      validate: catalog.validate,
    });
    let masterKeys: Promise<MasterKeys> | undefined;
    const secretKeys = () => (masterKeys ??= openMasterKeys(config));
    // Known once the server listens; what the agent calls to publish approved drafts.
    let url = '';
    const deps = { db, eventStore, clock, ids, config, logger, secretKeys };
    // The agent first: in one process, conversations get their replies from it in-process and
    // the engine reads uploaded connectors' documents from its catalog.
    const hostsWorkflow = options.services.includes('workflow');
    const agent = options.services.includes('agent')
      ? await createAgentModule({
          ...deps,
          workflowApiUrl: workflowApiLocation({
            configured: config.workflowUrl,
            hostsWorkflow,
            ownUrl: () => url,
          }),
        })
      : undefined;
    if (agent && !hostsWorkflow && config.workflowUrl === undefined) {
      logger.warn(missingWorkflowUrl);
    }
    const assistantReplies =
      options.assistantReplies ??
      agent?.replies ??
      (config.agentUrl === undefined
        ? undefined
        : createHttpAssistantReplies({
            baseUrl: config.agentUrl,
            maxBodyBytes: config.bodyLimitBytes,
          }));
    if (options.services.includes('conversation') && !assistantReplies) {
      logger.warn(missingAgentUrl);
    }
    const modules = [
      ...(agent ? [agent] : []),
      ...(await Promise.all(
        options.services
          .filter((name) => name !== 'agent')
          .map((name) =>
            loadDomainModule(name, {
              ...deps,
              ...(assistantReplies ? { assistantReplies } : {}),
              ...(agent ? { connectorDocuments: () => agent.catalog } : {}),
            }),
          ),
      )),
    ];
    // Without an external registry every process serves the built-in one from the shared
    // database, so any replica answers for all of them.
    const builtInRegistry = config.schemaRegistryUrl === undefined;

    const migrations: Migration[] = [
      ...eventStoreMigrations,
      ...leaseMigrations,
      ...projectionMigrations,
      ...schemaRegistryMigrations,
      ...(adapters.profile.bus === 'in-process' ? inProcessBusMigrations : []),
      // Every process authenticates and admits requests, whichever domains it hosts.
      ...sharedOnce([
        ...platformMigrations,
        ...gatewaySecurityMigrations,
        ...modules.flatMap((m) => m.migrations),
      ]),
    ];
    const applied = await migrate(db, migrations);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    for (const module of modules) {
      if (!module.start) continue;
      await module.start();
      if (module.stop) workers.push(module.stop);
    }

    const projectionList = modules.flatMap((m) => m.projections);
    // Assigned once the projections start (after the server listens); admin calls wait for it.
    let projections: ProjectionRunner | undefined = undefined;
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'awp_' });
    registerProjectionLag(registry, bus, projectionList);
    const directory = createTenantDirectory({ db, limits: config.tierLimits, clock });
    const security = await createGatewaySecurity({
      ...{ config, db, eventStore, clock, ids, logger },
      tenants: {
        directory,
        quotas: createQuotaGate({
          ...{ db, eventStore, directory, clock },
          onNoticeFailed: (error, accountId) =>
            logger.warn({ err: error, accountId }, 'could not record QuotaExceeded'),
        }),
      },
      ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    });
    workers.push(security.close);
    const app = createGateway({
      logger,
      registry,
      bodyLimitBytes: config.bodyLimitBytes,
      authenticator: security.authenticator,
      guards: security.guards,
      publicRouters: [createApiDocsRouter()],
      routers: [
        ...modules.flatMap((m) => m.routers),
        ...(builtInRegistry ? [createSchemaRegistryRouter({ db })] : []),
        createAdminRoutes({
          eventStore,
          projections: () => projections,
          adminToken: config.adminToken,
        }),
      ],
      readiness: [
        { name: 'database', check: () => db.ping() },
        { name: 'bus', check: () => bus.ping() },
        { name: 'cache', check: () => cache.ping() },
      ],
    });

    const server = createServer(app.callback());
    // Modules' WebSocket endpoints, authenticated like the HTTP routes, on the same port.
    const sockets = createWebSocketGateway({
      authenticator: security.authenticator,
      routes: modules.flatMap((m) => m.webSockets ?? []),
      tenants: directory,
    });
    server.on('upgrade', sockets.handleUpgrade);
    server.listen(config.port, config.host);
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    stoppers.push(() => closeServer(server, config.shutdownTimeoutMs));
    // Pushed after the server, so it runs before it: upgraded sockets would hold `close` open.
    stoppers.push(sockets.close);

    url = ownUrl(config.host, port);
    // The relay and the projections start once the built-in registry can answer them.
    const serializer = createEventSerializer({
      catalog,
      registry: createConfluentRegistryClient({
        url: config.schemaRegistryUrl ?? `${url}/schema-registry`,
      }),
    });
    const relay = startOutboxRelay({
      db: backgroundDb,
      bus,
      serializer,
      logger,
      pollMs: config.relayPollMs,
      lease: createLease(
        backgroundDb,
        'outbox-relay',
        `${hostname()}:${process.pid}:${ids.newId()}`,
        relayLeaseTtlMs,
      ),
      leaseTtlMs: relayLeaseTtlMs,
    });
    wakeRelay = relay.wake;
    workers.push(relay.stop);

    projections = await startProjections({
      bus,
      db: backgroundDb,
      eventStore,
      serializer,
      logger,
      projections: projectionList,
    });
    workers.push(projections.stop);

    logger.info({ url, profile: adapters.profile, services: options.services }, 'AWP is listening');
    return {
      url,
      port,
      profile: adapters.profile,
      devIssuer: security.devIssuer,
      stop: () => stopAll(stoppers),
    };
  } catch (error) {
    await stopAll(stoppers);
    throw error;
  }
}

/**
 * Where this process can be reached from this machine: what it reports and what it calls itself
 * at (the built-in registry). A wildcard bind is reached on loopback; IPv6 needs brackets.
 */
function ownUrl(host: string, port: number): string {
  const anyAddress = host === '0.0.0.0' || host === '::' || host === '';
  const reachable = anyAddress ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

/**
 * Modules may list the same migration (the secret store's table, which the platform domain
 * writes and the workflow engine reads): applied once. The same id with other SQL is a bug.
 */
function sharedOnce(migrations: readonly Migration[]): Migration[] {
  const byId = new Map<string, Migration>();
  for (const migration of migrations) {
    const seen = byId.get(migration.id);
    if (seen && seen.sql !== migration.sql) {
      throw new Error(`two modules define migration '${migration.id}' differently`);
    }
    byId.set(migration.id, migration);
  }
  return [...byId.values()];
}

async function stopAll(stoppers: Array<() => Promise<void>>): Promise<void> {
  for (const stop of [...stoppers].reverse()) {
    await stop().catch(() => undefined);
  }
}

/** Stops accepting, lets in-flight requests finish, then cuts whatever is left at the deadline. */
async function closeServer(server: ReturnType<typeof createServer>, timeoutMs: number) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(deadline);
}
