export { AwpError, StreamVersionConflict, isAwpError } from './errors.js';
export type { ErrorCode, AwpErrorDetails, FieldViolation } from './errors.js';
export { parseInput } from './parseInput.js';
export type { RequestContext } from './requestContext.js';
export { roles, isRole } from './roles.js';
export type { Role } from './roles.js';
export {
  permissionMatrix,
  permissions,
  rolesHolding,
  roleGrants,
  assertPermitted,
} from './permissions.js';
export type { Permission } from './permissions.js';
export type { Actor, EventEnvelope, EventMetadata, PendingEvent } from './envelope.js';
export { createEventCatalog } from './avro/eventCatalog.js';
export type { EventCatalog, CatalogEntry } from './avro/eventCatalog.js';
export { createEventSerializer, subjectFor } from './avro/eventSerializer.js';
export type { EventSerializer } from './avro/eventSerializer.js';
export { frame, unframe } from './avro/confluentWireFormat.js';
export { eventSchemas, eventTypeNames } from './events/generated/eventSchemas.js';
export type { EventTypeName } from './events/generated/eventSchemas.js';
export type { EventDataByType } from './events/generated/avroTypes.js';
export type { EventSchemaEntry, AvroRecordSchema } from './events/eventSchemaEntry.js';
export { createConfluentRegistryClient } from './registry/confluentClient.js';
export type { ConfluentRegistryOptions } from './registry/confluentClient.js';
export type { Decider } from './decider.js';
export { createCommandHandler } from './commandHandler.js';
export type { CommandHandlerOptions, HandleRequest } from './commandHandler.js';
export { domainTopic } from './topics.js';
export { tenantTiers, platformTopic } from './events/platformEvents.js';
export type {
  TenantTier,
  TenantCreated,
  TenantCreatedData,
  QuotaExceededData,
  AuthEventData,
  SecretChangedData,
  PlatformEvent,
} from './events/platformEvents.js';
export { workflowTopic } from './events/workflowEvents.js';
export type {
  TimerPurpose,
  ExecutionTrigger,
  WorkflowCreatedData,
  WorkflowVersionAddedData,
  WorkflowExecutionStartedData,
  TaskStartedData,
  TaskCompletedData,
  TaskFaultedData,
  TimerScheduledData,
  TimerFiredData,
  EventAwaitedData,
  EventConsumedData,
  CloudEventEmittedData,
  WorkflowCompletedData,
  WorkflowFailedData,
  ExecutionCancelledData,
  ExecutionSuspendedData,
  ExecutionResumedData,
  OutboundPolicyChangedData,
  WorkflowDefinitionEvent,
  ExecutionEvent,
} from './events/workflowEvents.js';
export type { Clock } from './ports/clock.js';
export type { IdGenerator } from './ports/idGenerator.js';
export type { Database, Queryable, Migration } from './ports/database.js';
export { startOfLog } from './ports/eventStore.js';
export type {
  EventStore,
  GlobalCursor,
  LoggedEvent,
  LogPage,
  LogFilter,
  AppendRequest,
  AppendResult,
  ExpectedVersion,
  UniqueKey,
  StateWrite,
} from './ports/eventStore.js';
export type {
  Bus,
  BusMessage,
  ConsumedMessage,
  Subscription,
  SubscriptionOptions,
} from './ports/bus.js';
export type { Cache } from './ports/cache.js';
export type { SchemaRegistry } from './ports/schemaRegistry.js';
export type { Projection } from './ports/projection.js';
export { conversationTopic } from './events/conversationEvents.js';
export type {
  MessageRole,
  ConversationStartedData,
  MessageReceivedData,
  ConversationEndedData,
  ConversationEvent,
} from './events/conversationEvents.js';
export { agentTopic } from './events/agentEvents.js';
export type {
  ConnectorSource,
  MemoryScope,
  MemoryKind,
  AgentResponseData,
  DSLGeneratedData,
  ModelSwitchedData,
  ConnectorImportedData,
  ConnectorRemovedData,
  AgentConfiguredData,
  DraftApprovedData,
  MemoryRecordedData,
  MemoryForgottenData,
  ConnectorEvent,
  DraftEvent,
} from './events/agentEvents.js';
