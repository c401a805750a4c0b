import { domainTopic } from '../topics.js';
import type { AwpConversation, EventDataByType } from './generated/avroTypes.js';

/** Who wrote a message: the user, the agent, the platform (system) or a tool result. */
export type MessageRole = AwpConversation.MessageRole;

/** Payload types come from contracts/schemas/conversation/*.avsc, so they cannot drift. */
export type ConversationStartedData = EventDataByType['ConversationStarted'];
export type MessageReceivedData = EventDataByType['MessageReceived'];
export type ConversationEndedData = EventDataByType['ConversationEnded'];

/** Events of a conversation's stream, `conversation-<id>`. */
export type ConversationEvent =
  | { type: 'ConversationStarted'; data: ConversationStartedData }
  | { type: 'MessageReceived'; data: MessageReceivedData }
  | { type: 'ConversationEnded'; data: ConversationEndedData };

export const conversationTopic = domainTopic('conversation');
