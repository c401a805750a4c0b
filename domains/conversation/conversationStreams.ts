import { AwpError, StreamVersionConflict, conversationTopic } from '../../contracts/index.js';
import type {
  ConversationEvent,
  EventEnvelope,
  EventMetadata,
  EventStore,
} from '../../contracts/index.js';
import { conversationDecider } from './decide.js';
import type { ConversationCommand } from './decide.js';
import { conversationStreamId, existing } from './conversation.js';
import type { Conversation, ExistingConversation } from './conversation.js';

export interface ConversationCommandResult {
  /** The conversation once the command is applied. */
  conversation: ExistingConversation;
  /** What was appended; empty when the command changed nothing. */
  events: EventEnvelope[];
}

/** Appends that lose a race (a reply recorded while the person posts) are decided again. */
const attempts = 3;

/**
 * Reads and writes conversation streams for one account. A stream another account wrote reads
 * as absent, so every command and read answers `not_found` for it, never a hint it exists.
 */
export class ConversationStreams {
  constructor(private readonly eventStore: EventStore) {}

  /** The conversation as its stream says now; `absent` when it is not the account's. */
  async load(accountId: string, conversationId: string): Promise<Conversation> {
    return (await this.read(accountId, conversationId)).state;
  }

  async require(accountId: string, conversationId: string): Promise<ExistingConversation> {
    return existing(await this.load(accountId, conversationId), conversationId);
  }

  /**
   * Load → fold → decide → append with the version read. On a version conflict the command is
   * decided again against the newer history: each command here is valid or not on its own
   * merits, so a retry cannot apply anything twice.
   */
  async execute(
    conversationId: string,
    command: ConversationCommand,
    metadata: EventMetadata,
  ): Promise<ConversationCommandResult> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.read(metadata.accountId, conversationId);
      const decided = conversationDecider.decide(command, state);
      if (state.status === 'absent' && version > 0) {
        // Only a start can pass the decider on an absent state; ids are UUIDv7, so this is a
        // client-chosen id colliding with another account's stream.
        throw new AwpError('conflict', `conversation '${conversationId}' already exists`);
      }
      if (decided.length === 0) {
        return { conversation: existing(state, conversationId), events: [] };
      }
      try {
        const result = await this.eventStore.append({
          streamId: conversationStreamId(conversationId),
          expectedVersion: version === 0 ? 'no_stream' : version,
          events: decided,
          metadata,
          topic: conversationTopic,
        });
        const after = result.events.reduce(
          (current, event) => conversationDecider.evolve(current, event as ConversationEnvelope),
          state,
        );
        return { conversation: existing(after, conversationId), events: result.events };
      } catch (error) {
        if (!(error instanceof StreamVersionConflict) || attempt >= attempts) throw error;
      }
    }
  }

  private async read(
    accountId: string,
    conversationId: string,
  ): Promise<{ state: Conversation; version: number }> {
    const events = await this.eventStore.readStream(conversationStreamId(conversationId));
    // The account is checked on the first event: no other account can append to a stream
    // that exists, because every command loads it through here first.
    const owned = events[0]?.accountId === accountId;
    const state = owned
      ? events.reduce(
          (current, event) => conversationDecider.evolve(current, event as ConversationEnvelope),
          conversationDecider.initialState(),
        )
      : conversationDecider.initialState();
    return { state, version: events.length };
  }
}

type ConversationEnvelope = EventEnvelope & ConversationEvent;
