import type { Readable } from 'node:stream';
import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import type { Context, Middleware } from 'koa';
import { requirePermission, securityRequirementOf } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type { Actor, RequestContext } from '../../../contracts/index.js';
import type { AgentConfigs } from '../agents/agentConfigs.js';
import type { ConnectorCatalogStore } from '../connectors/connectorCatalogStore.js';
import type { CallerCredentials, WorkflowPublisher } from '../drafts/draftApproval.js';
import type { DraftStore } from '../drafts/draftStore.js';
import type { WorkflowSimulation } from '../drafts/draftSimulation.js';
import type { AgentMemory } from '../memory/agentMemory.js';
import type { AgentReplies } from '../replies/agentReplies.js';
import type { AgentReplyStreamEvent } from '../replies/replyStreamEvents.js';

/**
 * What the agent API needs from its host: one set per platform instance. Each concern of the
 * domain adds its own entry here (drafts, agent configurations…) and its controller reads it
 * from `scope.deps`; nothing else changes to add a controller.
 */
export interface AgentApiDeps {
  /** `/v1/connectors`: the tenants' imported OpenAPI documents. */
  connectors: ConnectorCatalogStore;
  /** `/v1/conversations/{id}/drafts`: the workflow documents written in conversations. */
  drafts: DraftStore;
  /** Where approved drafts go: the workflow domain's public API. */
  publisher: WorkflowPublisher;
  /** Dry runs of drafts: the workflow domain's `/v1/simulations`. */
  simulation: WorkflowSimulation;
  /** `/v1/agents`: model policies and repair budgets. */
  agents: AgentConfigs;
  /** `/v1/memories`; absent without an embeddings model (the API then answers 503). */
  memory?: AgentMemory;
  /** `/v1/agent-replies`: turns asked for by conversation services in other processes. */
  replies: Pick<AgentReplies, 'reply'>;
  /**
   * How long `/v1/agent-replies` waits to hear of a conversation started elsewhere a moment
   * ago (its `ConversationStarted` on the bus) before answering 404. Default 5 s.
   */
  conversationWaitMs?: number;
  /** Writes a live stream as Server-Sent Events: the host gives the gateway's writer. */
  eventStream(open: (signal: AbortSignal) => AsyncIterable<AgentReplyStreamEvent>): Readable;
  /** Told of replies that failed with something other than an `AwpError` (a bug), for the logs. */
  onUnexpectedFailure?(
    error: unknown,
    context: { accountId: string; conversationId: string },
  ): void;
}

/** Everything a controller works with for one request: the tenant, the caller and the deps. */
export interface RequestScope {
  deps: AgentApiDeps;
  accountId: string;
  actor: Actor;
  correlationId: string;
  /** The caller's own credential, forwarded when the agent acts for them on another domain. */
  credentials: CallerCredentials;
}

/** Where the scope waits for tsoa's container, on the request's Koa state. */
const scopeKey = 'agentApiScope';

/**
 * Puts this router's deps and the caller's tenant on the request. Everything the agent domain
 * serves belongs to an account, so a caller without one is refused here (401), before any
 * validation.
 */
export function provideRequestScope(deps: AgentApiDeps): Middleware {
  return async function provideAgentRequestScope(ctx, next) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    if (!request?.accountId) {
      throw new AwpError('unauthorized', 'the agent API needs an authenticated account');
    }
    const scope: RequestScope = {
      deps,
      accountId: request.accountId,
      actor: request.actor,
      correlationId: request.correlationId,
      credentials: {
        ...(ctx.get('authorization') ? { authorization: ctx.get('authorization') } : {}),
        ...(ctx.get('x-awp-account') ? { account: ctx.get('x-awp-account') } : {}),
        ...(ctx.get('x-awp-user') ? { user: ctx.get('x-awp-user') } : {}),
      },
    };
    ctx.state[scopeKey] = scope;
    await next();
  };
}

type ControllerClass<T> = new (scope: RequestScope) => T;

/**
 * tsoa's `iocModule`: builds each controller for the request it serves, from the scope the
 * middleware above stored. Every controller of this domain takes the scope as its one
 * constructor argument; dependencies never live in module state, so two platforms in one
 * process (as tests run them) keep apart.
 */
export const iocContainer: IocContainerFactory = function agentApiContainer(request: unknown) {
  const ctx = (request as { ctx: Context }).ctx;
  const scope = ctx.state[scopeKey] as RequestScope | undefined;
  function get<T>(controller: ServiceIdentifier<T>): T {
    if (!scope || typeof controller !== 'function') {
      throw new AwpError('internal', 'the agent API router was mounted without its scope');
    }
    return new (controller as ControllerClass<T>)(scope);
  }
  // tsoa types `get` as two overloads (sync and async); the synchronous one is what this is.
  return { get } as IocContainer;
};

/**
 * The template's hook for an action's `@Security('bearer', [permission])`: the caller's roles
 * must grant it (the matrix is `contracts/permissions.ts`). Every agent resource is a
 * tenant's, so there are no operator actions here.
 */
export function authorize(security: ReadonlyArray<Record<string, string[]>>): Middleware {
  const requirement = securityRequirementOf(security);
  if (requirement.scheme !== 'bearer') {
    throw new Error(`the agent API has tenant actions only, not ${requirement.scheme} ones`);
  }
  return requirePermission(requirement.permission);
}

/** Who asks for a change, as the domain's stores record it in their events. */
export function changeOf(scope: RequestScope): { actor: Actor; correlationId: string } {
  return { actor: scope.actor, correlationId: scope.correlationId };
}
