import type { DomainName } from './serviceNames.js';
import type { DomainDeps, DomainModule } from './domainModule.js';
import { createAgentModule } from './agentModule.js';
import { createWorkflowModule } from './workflowModule.js';
import {
  ApiKeys,
  SecretVault,
  createPlatformApiRouter,
  createTenantDirectory,
  platformMigrations,
  secretStoreMigrations,
  tenantsProjection,
  usageProjection,
} from '../../domains/platform/index.js';
import { adminAccess } from '../admin/adminAccess.js';
import {
  conversationSocketPath,
  createConversationService,
  noAssistantReplies,
} from '../../domains/conversation/index.js';
import { serverSentEvents } from '../../gateway/streaming/index.js';

export type { DomainDeps, DomainModule } from './domainModule.js';
export type { DomainName } from './serviceNames.js';

/** Every domain the hosting process can load; `serviceNames.ts` lists the same names. */
export const domainModules: Partial<
  Record<DomainName, (deps: DomainDeps) => DomainModule | Promise<DomainModule>>
> = {
  platform: async (deps) => {
    const { db, eventStore, ids, clock, config } = deps;
    return {
      migrations: [...platformMigrations, ...secretStoreMigrations],
      projections: [tenantsProjection, usageProjection],
      routers: [
        createPlatformApiRouter({
          db,
          eventStore,
          ids,
          clock,
          directory: createTenantDirectory({ db, limits: config.tierLimits, clock }),
          vault: new SecretVault({ ...deps, keys: await deps.secretKeys() }),
          apiKeys: new ApiKeys(deps),
          adminGuard: adminAccess(config.adminToken),
        }),
      ],
    };
  },
  conversation: async (deps) => {
    const { config } = deps;
    // Replicas share replies through Redis, so a client resumes on any of them. Loaded only
    // when configured, as the other Redis clients are.
    const channels = config.redisUrl
      ? new (await import('../replies/redisReplyChannels.js')).RedisReplyChannels({
          url: config.redisUrl,
          keyPrefix: `${config.topicPrefix}awp:`,
        })
      : undefined;
    const service = createConversationService({
      ...deps,
      ...(channels ? { channels } : {}),
      onChannelFailure: (error, context) =>
        deps.logger.warn({ err: error, ...context }, 'a reply could not reach its followers'),
      // Replies are the agent domain's, bound by the host; until then nobody writes them.
      assistant: deps.assistantReplies ?? noAssistantReplies,
      eventStream: (open) => serverSentEvents(open),
      onUnexpectedFailure: (error, context) =>
        deps.logger.error({ err: error, ...context }, 'an assistant reply failed'),
    });
    return {
      migrations: service.migrations,
      projections: service.projections,
      routers: [service.router],
      webSockets: [
        {
          path: conversationSocketPath,
          permission: 'conversation:write',
          open: ({ context, params, credentials, send }) =>
            service.openSocket({
              caller: {
                accountId: context.accountId,
                actor: context.actor,
                correlationId: context.correlationId,
                credentials,
              },
              conversationId: params[0] ?? '',
              send,
            }),
        },
      ],
      // A module's `stop` runs only when it has a `start`; the replies need stopping.
      start: async () => undefined,
      stop: () => service.stop(),
    };
  },
  // platform.ts builds the agent before the others (their replies and documents come from it).
  agent: (deps) => createAgentModule(deps),
  workflow: (deps) => createWorkflowModule(deps),
};

export async function loadDomainModule(name: DomainName, deps: DomainDeps): Promise<DomainModule> {
  const create = domainModules[name];
  if (!create) throw new Error(`service '${name}' is not available yet`);
  return create(deps);
}
