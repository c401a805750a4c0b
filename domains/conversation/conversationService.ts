import type Router from '@koa/router';
import type {
  Database,
  EventStore,
  IdGenerator,
  Migration,
  Projection,
} from '../../contracts/index.js';
import { createConversationApiRouter } from './api/conversationApiRouter.js';
import { openConversationSocket } from './api/conversationSocket.js';
import type { ConversationSocket, ConversationSocketRequest } from './api/conversationSocket.js';
import type { EventStreamWriter } from './api/requestScope.js';
import { Conversations } from './conversations.js';
import { conversationMessagesProjection } from './readModels/conversationMessages.js';
import { ConversationQueries } from './readModels/conversationQueries.js';
import { conversationSummariesProjection } from './readModels/conversationSummaries.js';
import { conversationMigrations } from './readModels/readModelMigrations.js';
import type { AssistantReplies } from './replies/assistantReplies.js';
import type { ReplyChannels } from './replies/replyChannels.js';
import { ReplyHub } from './replies/replyHub.js';
import { ReplyRunner } from './replies/replyRunner.js';
import type { ReplyRunnerDeps } from './replies/replyRunner.js';

export interface ConversationServiceDeps {
  db: Database;
  eventStore: EventStore;
  ids: IdGenerator;
  /** Who writes the assistant's replies; `noAssistantReplies` where nobody does. */
  assistant: AssistantReplies;
  /** The gateway's Server-Sent Events writer. */
  eventStream: EventStreamWriter;
  /** Where replies' events go for their followers; by default this process's memory. */
  channels?: ReplyChannels;
  replyTimeoutMs?: number;
  onUnexpectedFailure?: ReplyRunnerDeps['onUnexpectedFailure'];
  onChannelFailure?: ReplyRunnerDeps['onChannelFailure'];
}

/** The conversation domain as a process hosts it. */
export interface ConversationService {
  migrations: readonly Migration[];
  projections: readonly Projection[];
  router: Router;
  /** The WebSocket exchange at `conversationSocketPath`, for the gateway to carry. */
  openSocket(request: ConversationSocketRequest): Promise<ConversationSocket>;
  /** Aborts the replies being written (their clients get an error event) and waits for them. */
  stop(): Promise<void>;
}

/** Wires the domain's parts once per platform instance. */
export function createConversationService(deps: ConversationServiceDeps): ConversationService {
  const conversations = new Conversations(deps);
  const hub = deps.channels ?? new ReplyHub();
  const replies = new ReplyRunner({
    conversations,
    hub,
    assistant: deps.assistant,
    ...(deps.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: deps.replyTimeoutMs }),
    ...(deps.onUnexpectedFailure ? { onUnexpectedFailure: deps.onUnexpectedFailure } : {}),
    ...(deps.onChannelFailure ? { onChannelFailure: deps.onChannelFailure } : {}),
  });
  const api = {
    conversations,
    queries: new ConversationQueries(deps.db),
    replies,
    hub,
    eventStream: deps.eventStream,
  };
  return {
    migrations: conversationMigrations,
    projections: [conversationSummariesProjection, conversationMessagesProjection],
    router: createConversationApiRouter(api),
    openSocket: (request) => openConversationSocket(api, request),
    // The replies first: each ends by telling its followers, through the channels.
    stop: async () => {
      await replies.stop();
      await hub.close();
    },
  };
}
