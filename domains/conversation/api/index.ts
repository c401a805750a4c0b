export { createConversationApiRouter } from './conversationApiRouter.js';
export { conversationSocketPath, openConversationSocket } from './conversationSocket.js';
export type { ConversationSocket, ConversationSocketRequest } from './conversationSocket.js';
export type { ConversationApiDeps, EventStreamWriter } from './requestScope.js';
export type {
  ConversationEnding,
  ConversationStatusFilter,
  MessageContent,
  NewBranch,
  NewConversation,
  PostedMessage,
} from './apiModels.js';
// tsoa finds the controllers through this entry file (tsoa.json, `domains`).
export { ConversationsController } from './conversationsController.js';
export { MessagesController } from './messagesController.js';
