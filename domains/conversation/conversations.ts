import type { Actor, EventMetadata, EventStore, IdGenerator } from '../../contracts/index.js';
import type { RecordMessage } from './commands/recordMessage.js';
import { ownMessage } from './conversation.js';
import type { ExistingConversation } from './conversation.js';
import { ConversationStreams } from './conversationStreams.js';
import { messageView, summaryView } from './conversationViews.js';
import type { ConversationDetails, ConversationMessage } from './conversationViews.js';
import { historyOf } from './history.js';

export interface ConversationsDeps {
  eventStore: EventStore;
  ids: IdGenerator;
}

/** Who acts, for whom, within which request: every command's metadata. */
export interface ConversationCaller {
  accountId: string;
  actor: Actor;
  correlationId: string;
  /** The caller's own credential, for an assistant that runs in another process. */
  credentials?: CallerCredentials;
}

/**
 * The credential a request came with, as it came: an assistant in another process is called
 * with it, so it authorizes the turn exactly as it would the user's own call.
 */
export interface CallerCredentials {
  /** The `Authorization` header: a bearer JWT or an API key. */
  authorization?: string;
  /** The development `X-AWP-Account` header, when that is how the caller authenticated. */
  account?: string;
  /** With it, `X-AWP-User`. */
  user?: string;
}

/** A message just recorded, with the event that recorded it (the cause of what follows). */
export interface RecordedResult {
  message: ConversationMessage;
  conversation: ExistingConversation;
  eventId: string;
}

/** How many ancestors a branch may have: far more than anyone clicks, and a bound on reads. */
const maxLineage = 100;

/**
 * The conversation commands and the reads that must be current (a conversation with its
 * history): written as events on `conversation-<id>`, answered from the stream, never from the
 * read models, so a client that writes and then reads sees its write.
 */
export class Conversations {
  private readonly streams: ConversationStreams;

  constructor(private readonly deps: ConversationsDeps) {
    this.streams = new ConversationStreams(deps.eventStore);
  }

  async start(
    caller: ConversationCaller,
    request: { title?: string | null; agentId?: string | null },
  ): Promise<ConversationDetails> {
    const conversationId = this.deps.ids.newId();
    const { conversation } = await this.streams.execute(
      conversationId,
      {
        type: 'StartConversation',
        data: {
          conversationId,
          userId: caller.actor.id,
          title: request.title ?? null,
          agentId: request.agentId ?? null,
        },
      },
      metadataOf(caller),
    );
    return { ...summaryView(conversation), messages: [] };
  }

  /** A new conversation sharing `parentId`'s history up to and including `fromMessageId`. */
  async branch(
    caller: ConversationCaller,
    parentId: string,
    request: { fromMessageId: string; title?: string | null },
  ): Promise<ConversationDetails> {
    const lineage = await this.lineage(caller.accountId, parentId);
    const parent = lineage.at(-1) as ExistingConversation;
    const conversationId = this.deps.ids.newId();
    const { conversation } = await this.streams.execute(
      conversationId,
      {
        type: 'BranchConversation',
        data: {
          conversationId,
          userId: caller.actor.id,
          title: request.title ?? parent.title,
          agentId: parent.agentId,
          parentConversationId: parentId,
          fromMessageId: request.fromMessageId,
          parentMessageIds: historyOf(lineage).map((message) => message.messageId),
        },
      },
      metadataOf(caller),
    );
    return this.detailsOf([...lineage, conversation]);
  }

  /** Records a person's message; the reply orchestration answers it. */
  async post(
    caller: ConversationCaller,
    conversationId: string,
    content: string,
  ): Promise<RecordedResult> {
    const messageId = this.deps.ids.newId();
    const result = await this.streams.execute(
      conversationId,
      { type: 'PostMessage', data: { conversationId, messageId, content } },
      metadataOf(caller),
    );
    return recorded(result.conversation, messageId, result.events[0]?.eventId ?? '');
  }

  /** Records a message from the assistant, a tool or the system. */
  async record(
    caller: ConversationCaller & { causationId: string | null },
    message: Omit<RecordMessage['data'], 'messageId'>,
  ): Promise<RecordedResult> {
    const messageId = this.deps.ids.newId();
    const result = await this.streams.execute(
      message.conversationId,
      { type: 'RecordMessage', data: { ...message, messageId } },
      { ...metadataOf(caller), causationId: caller.causationId },
    );
    return recorded(result.conversation, messageId, result.events[0]?.eventId ?? '');
  }

  /** Replaces a user message's text, keeping the earlier one in its edit history. */
  async edit(
    caller: ConversationCaller,
    conversationId: string,
    messageId: string,
    content: string,
  ): Promise<ConversationMessage> {
    const { conversation } = await this.streams.execute(
      conversationId,
      {
        type: 'EditMessage',
        data: { conversationId, messageId, editId: this.deps.ids.newId(), content },
      },
      metadataOf(caller),
    );
    return messageView(conversationId, ownMessage(conversation, messageId));
  }

  async end(
    caller: ConversationCaller,
    conversationId: string,
    reason: string | null,
  ): Promise<ConversationDetails> {
    await this.streams.execute(
      conversationId,
      { type: 'EndConversation', data: { conversationId, reason } },
      metadataOf(caller),
    );
    return this.get(caller.accountId, conversationId);
  }

  /** The conversation with its whole history (a branch's inherited messages first). */
  async get(accountId: string, conversationId: string): Promise<ConversationDetails> {
    return this.detailsOf(await this.lineage(accountId, conversationId));
  }

  /** `not_found` unless the conversation exists in the account. */
  async require(accountId: string, conversationId: string): Promise<ExistingConversation> {
    return this.streams.require(accountId, conversationId);
  }

  /** The history a reply is written from: inherited messages, then the conversation's own. */
  async history(accountId: string, conversationId: string): Promise<ConversationMessage[]> {
    return historyOf(await this.lineage(accountId, conversationId));
  }

  /** From the root down to `conversationId`, each conversation read from its stream. */
  private async lineage(accountId: string, conversationId: string) {
    const lineage: ExistingConversation[] = [];
    let next: string | undefined = conversationId;
    while (next !== undefined && lineage.length < maxLineage) {
      const conversation: ExistingConversation = await this.streams.require(accountId, next);
      lineage.unshift(conversation);
      next = conversation.parent?.conversationId;
    }
    return lineage;
  }

  private detailsOf(lineage: readonly ExistingConversation[]): ConversationDetails {
    const conversation = lineage.at(-1) as ExistingConversation;
    return { ...summaryView(conversation), messages: historyOf(lineage) };
  }
}

function metadataOf(caller: ConversationCaller): EventMetadata {
  return {
    accountId: caller.accountId,
    correlationId: caller.correlationId,
    causationId: null,
    actor: caller.actor,
  };
}

function recorded(
  conversation: ExistingConversation,
  messageId: string,
  eventId: string,
): RecordedResult {
  const message = messageView(conversation.conversationId, ownMessage(conversation, messageId));
  return { message, conversation, eventId };
}
