export { createConversationService } from './conversationService.js';
export type { ConversationService, ConversationServiceDeps } from './conversationService.js';
export { conversationDecider } from './decide.js';
export type { ConversationCommand } from './decide.js';
export { conversationStreamId } from './conversation.js';
export type { Conversation, ExistingConversation, RecordedMessage } from './conversation.js';
export { Conversations } from './conversations.js';
export type { ConversationCaller, ConversationsDeps } from './conversations.js';
export type {
  ConversationDetails,
  ConversationMessage,
  ConversationRole,
  ConversationStatus,
  ConversationSummary,
  MessageRevision,
} from './conversationViews.js';
export { noAssistantReplies } from './replies/assistantReplies.js';
export type {
  AssistantReplies,
  AssistantReplyRequest,
  ReplyChunk,
  ReplyHistoryEntry,
} from './replies/assistantReplies.js';
export type {
  ReplyDone,
  ReplyEvent,
  ReplyInfo,
  UnnumberedReplyEvent,
} from './replies/replyEvents.js';
export { ReplyHub } from './replies/replyHub.js';
export type { ReplyHubOptions } from './replies/replyHub.js';
export type { ReplyChannels, ReplyWriter } from './replies/replyChannels.js';
export { ReplyRunner } from './replies/replyRunner.js';
export type { ReplyRunnerDeps, StartedReply } from './replies/replyRunner.js';
export { conversationMigrations } from './readModels/readModelMigrations.js';
export { conversationSummariesProjection } from './readModels/conversationSummaries.js';
export { conversationMessagesProjection } from './readModels/conversationMessages.js';
export { ConversationQueries } from './readModels/conversationQueries.js';
export type {
  ConversationPage,
  ConversationSearchHit,
  ConversationSearchResults,
} from './readModels/conversationQueries.js';
export {
  conversationSocketPath,
  createConversationApiRouter,
  openConversationSocket,
} from './api/index.js';
export type {
  ConversationApiDeps,
  ConversationSocket,
  ConversationSocketRequest,
  EventStreamWriter,
} from './api/index.js';
