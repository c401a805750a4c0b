import type { Readable } from 'node:stream';
import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import type { Context, Middleware } from 'koa';
import { requirePermission, securityRequirementOf } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type { RequestContext } from '../../../contracts/index.js';
import type { ConversationCaller, Conversations } from '../conversations.js';
import type { ConversationQueries } from '../readModels/conversationQueries.js';
import type { ReplyEvent } from '../replies/replyEvents.js';
import type { ReplyChannels } from '../replies/replyChannels.js';
import type { ReplyRunner } from '../replies/replyRunner.js';

/**
 * Writes a live stream as Server-Sent Events. The host gives the gateway's: the wire format and
 * the problem+json of `error` events are the edge's business, not this domain's.
 */
export type EventStreamWriter = (
  open: (signal: AbortSignal) => AsyncIterable<ReplyEvent>,
) => Readable;

/** What the conversation API needs from its host: one set per platform instance. */
export interface ConversationApiDeps {
  conversations: Conversations;
  queries: ConversationQueries;
  replies: ReplyRunner;
  hub: ReplyChannels;
  eventStream: EventStreamWriter;
}

/** Everything a controller works with for one request: the caller and the deps. */
export interface RequestScope {
  deps: ConversationApiDeps;
  caller: ConversationCaller;
}

/** Where the scope waits for tsoa's container, on the request's Koa state. */
const scopeKey = 'conversationApiScope';

/**
 * Puts this router's deps and the caller on the request. Every conversation belongs to an
 * account, so a caller without one is refused here, before any validation.
 */
export function provideRequestScope(deps: ConversationApiDeps): Middleware {
  return async function provideConversationScope(ctx, next) {
    const request = ctx.state.requestContext as RequestContext | undefined;
    if (!request?.accountId) {
      throw new AwpError('unauthorized', 'the conversation API needs an authenticated account');
    }
    const { accountId, actor, correlationId } = request;
    const authorization = ctx.get('authorization');
    const account = ctx.get('x-awp-account');
    const user = ctx.get('x-awp-user');
    const credentials = {
      ...(authorization ? { authorization } : {}),
      ...(account ? { account } : {}),
      ...(user ? { user } : {}),
    };
    ctx.state[scopeKey] = {
      deps,
      caller: { accountId, actor, correlationId, credentials },
    } satisfies RequestScope;
    await next();
  };
}

type ControllerClass<T> = new (scope: RequestScope) => T;

/**
 * tsoa's `iocModule`: builds each controller for the request it serves, from the scope the
 * middleware above stored, so two platforms in one process (as tests run them) keep apart.
 */
export const iocContainer: IocContainerFactory = function conversationApiContainer(
  request: unknown,
) {
  const ctx = (request as { ctx: Context }).ctx;
  const scope = ctx.state[scopeKey] as RequestScope | undefined;
  function get<T>(controller: ServiceIdentifier<T>): T {
    if (!scope || typeof controller !== 'function') {
      throw new AwpError('internal', 'the conversation API router was mounted without its scope');
    }
    return new (controller as ControllerClass<T>)(scope);
  }
  // tsoa types `get` as two overloads (sync and async); the synchronous one is what this is.
  return { get } as IocContainer;
};

/** The template's hook for an action's `@Security('bearer', [permission])`. */
export function authorize(security: ReadonlyArray<Record<string, string[]>>): Middleware {
  const requirement = securityRequirementOf(security);
  if (requirement.scheme !== 'bearer') {
    throw new Error(`the conversation API has tenant actions only, not ${requirement.scheme} ones`);
  }
  return requirePermission(requirement.permission);
}
