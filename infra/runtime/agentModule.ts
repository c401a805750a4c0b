import {
  AgentConfigs,
  AgentReplies,
  ConnectorCatalogStore,
  DraftStore,
  agentConfigMigrations,
  connectorMigrations,
  conversationOwnerMigrations,
  conversationOwnersProjection,
  createAgentApiRouter,
  createModelRouter,
  draftMigrations,
} from '../../domains/agent/index.js';
import { AwpError } from '../../contracts/index.js';
import {
  SecretVault,
  createQuotaGate,
  createTenantDirectory,
  secretStoreMigrations,
} from '../../domains/platform/index.js';
import { serverSentEvents } from '../../gateway/streaming/index.js';
import { createOpenApiDocumentFetcher } from '../http/openApiDocumentFetcher.js';
import { createPgOperationIndex, operationIndexMigrations } from '../catalog/pgOperationIndex.js';
import { createPlatformLlm } from '../llm/providerConfig.js';
import { sharedQueryEmbeddings } from '../llm/sharedQueryEmbeddings.js';
import { OpenApiReaderThread } from '../workers/openApiReaderThread.js';
import { hostAgentMemory } from './agentMemoryHost.js';
import type { DomainDeps, DomainModule } from './domainModule.js';
import {
  createHttpWorkflowPublisher,
  createHttpWorkflowSimulation,
} from './httpWorkflowPublisher.js';

export interface AgentModule extends DomainModule {
  /** The conversation domain's `AssistantReplies`, when both run in this process. */
  replies: AgentReplies;
  /** Uploaded connectors' documents, for `call: openapi` tasks (`awp://connectors/…`). */
  catalog: ConnectorCatalogStore;
}

/**
 * The agent domain as a process hosts it: the connector catalog (URL imports through the SSRF
 * guard, credentials into the tenant's secrets), the model router over the configured providers,
 * drafts, agent configurations, long-term memory (when an embeddings model is configured), and
 * the replies the conversation domain asks for. Approved drafts go to the workflow domain's
 * public API (`workflowApiUrl`), with the approver's credentials.
 */
export async function createAgentModule(deps: DomainDeps): Promise<AgentModule> {
  const { config } = deps;
  const workflowApiUrl =
    deps.workflowApiUrl ??
    (() => {
      throw new AwpError('unavailable', 'the workflow API is not reachable from this process');
    });
  const fetcher = createOpenApiDocumentFetcher({ allowHosts: config.outboundAllowHosts });
  const vault = new SecretVault({ ...deps, keys: await deps.secretKeys() });
  // Documents are validated off the event loop: a large one would stall every other request.
  const documentReader = new OpenApiReaderThread();
  const llm = createPlatformLlm(config);
  deps.logger.info({ models: llm.summary }, 'language models');
  // Memory recall and catalog retrieval embed the same query in each turn: one request.
  const embeddings = llm.embeddings && sharedQueryEmbeddings(llm.embeddings);
  // Operations found by meaning as well as by words, where the vectors can live beside them:
  // with memories in Qdrant the database may lack pgvector, and search stays full-text.
  const operationIndex =
    embeddings && config.embeddings && !config.qdrant
      ? createPgOperationIndex({
          db: deps.db,
          embeddings,
          dimension: config.embeddings.dimensions,
          onFailure: (error, accountId) =>
            deps.logger.warn(
              { err: error, accountId },
              'catalog search by meaning failed; searching by words only',
            ),
        })
      : undefined;
  const catalog = new ConnectorCatalogStore({
    ...(operationIndex ? { index: operationIndex } : {}),
    db: deps.db,
    reader: documentReader.read,
    eventStore: deps.eventStore,
    ids: deps.ids,
    clock: deps.clock,
    fetcher,
    credentials: {
      async store(accountId, secretName, value, actor) {
        await vault.write(accountId, secretName, credentialSecretValue(value), {
          actor,
          correlationId: deps.ids.newId(),
        });
      },
    },
  });
  // The tier's monthly token budget, metered by the platform from `AgentResponse` events.
  const quotas = createQuotaGate({
    db: deps.db,
    eventStore: deps.eventStore,
    directory: createTenantDirectory({ db: deps.db, limits: config.tierLimits, clock: deps.clock }),
    clock: deps.clock,
    onNoticeFailed: (error, accountId) =>
      deps.logger.warn({ err: error, accountId }, 'could not record QuotaExceeded'),
  });
  const router = createModelRouter({
    providers: llm.providers,
    prices: llm.prices,
    clock: deps.clock,
    budget: {
      assertWithinBudget: (accountId) =>
        quotas.admit(accountId, 'call_llm', { correlationId: deps.ids.newId() }),
    },
    firstChunkTimeoutMs: config.llm?.timeoutMs ?? 60_000,
  });
  const drafts = new DraftStore(deps);
  const agents = new AgentConfigs(deps);
  const hosted = hostAgentMemory({ ...deps, embeddings });
  const memory = hosted?.memory;
  // Stops the start-up dimension check when the process stops before the model answers.
  const stopping = new AbortController();
  const replies = new AgentReplies({
    router,
    platformPolicy: llm.defaultPolicy,
    configs: agents,
    catalog,
    secrets: {
      names: async (accountId) => (await vault.list(accountId)).map((secret) => secret.name),
    },
    drafts,
    eventStore: deps.eventStore,
    ...(memory ? { memory } : {}),
  });
  return {
    migrations: [
      ...secretStoreMigrations,
      ...connectorMigrations,
      ...draftMigrations,
      ...agentConfigMigrations,
      ...conversationOwnerMigrations,
      ...(hosted?.migrations ?? []),
      // After memory's, which install pgvector.
      ...(operationIndex && config.embeddings
        ? operationIndexMigrations(config.embeddings.dimensions)
        : []),
    ],
    projections: [conversationOwnersProjection],
    routers: [
      createAgentApiRouter({
        connectors: catalog,
        drafts,
        agents,
        publisher: createHttpWorkflowPublisher(workflowApiUrl),
        simulation: createHttpWorkflowSimulation(workflowApiUrl),
        ...(memory ? { memory } : {}),
        replies,
        eventStream: (open) => serverSentEvents(open),
        onUnexpectedFailure: (error, context) =>
          deps.logger.error({ err: error, ...context }, 'an assistant reply failed'),
      }),
    ],
    replies,
    catalog,
    start: async () => {
      // Not awaited: a slow embeddings server must not hold up start-up; it only logs.
      void hosted?.checkDimension(deps.logger, stopping.signal);
    },
    stop: async () => {
      stopping.abort();
      await Promise.all([fetcher.close(), hosted?.close(), documentReader.close()]);
    },
  };
}

/**
 * A connector credential as workflows use it: `bearer: { use: <secret> }` reads `token`,
 * `basic` reads `username` and `password`. A JSON object is stored as given; any other text
 * is taken as a bearer token, the common case for an API key.
 */
function credentialSecretValue(value: string): unknown {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: a bare token
  }
  return { token: value };
}
