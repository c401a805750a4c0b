import type { ConversationEvent, Decider } from '../../contracts/index.js';
import { branchConversation } from './commands/branchConversation.js';
import type { BranchConversation } from './commands/branchConversation.js';
import { editMessage } from './commands/editMessage.js';
import type { EditMessage } from './commands/editMessage.js';
import { endConversation } from './commands/endConversation.js';
import type { EndConversation } from './commands/endConversation.js';
import { postMessage } from './commands/postMessage.js';
import type { PostMessage } from './commands/postMessage.js';
import { recordMessage } from './commands/recordMessage.js';
import type { RecordMessage } from './commands/recordMessage.js';
import { startConversation } from './commands/startConversation.js';
import type { StartConversation } from './commands/startConversation.js';
import { evolveConversation, initialConversation } from './conversation.js';
import type { Conversation } from './conversation.js';

export type ConversationCommand =
  | StartConversation
  | BranchConversation
  | PostMessage
  | RecordMessage
  | EditMessage
  | EndConversation;

/** Returns the events a command causes: none when it changes nothing (an edit to the same text). */
export function decideConversation(
  command: ConversationCommand,
  state: Conversation,
): ConversationEvent[] {
  switch (command.type) {
    case 'StartConversation':
      return startConversation(command, state);
    case 'BranchConversation':
      return branchConversation(command, state);
    case 'PostMessage':
      return postMessage(command, state);
    case 'RecordMessage':
      return recordMessage(command, state);
    case 'EditMessage':
      return editMessage(command, state);
    case 'EndConversation':
      return endConversation(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

export const conversationDecider: Decider<ConversationCommand, Conversation, ConversationEvent> = {
  initialState: initialConversation,
  evolve: evolveConversation,
  decide: decideConversation,
};
