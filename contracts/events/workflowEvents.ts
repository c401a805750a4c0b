import { domainTopic } from '../topics.js';
import type { AwpWorkflow, EventDataByType } from './generated/avroTypes.js';

/** Why the engine set a durable timer: a wait task, a retry backoff or a timeout. */
export type TimerPurpose = AwpWorkflow.TimerPurpose;
/** What started an execution. */
export type ExecutionTrigger = AwpWorkflow.ExecutionTrigger;

/** Payload types come from contracts/schemas/workflow/*.avsc, so they cannot drift. */
export type WorkflowCreatedData = EventDataByType['WorkflowCreated'];
export type WorkflowVersionAddedData = EventDataByType['WorkflowVersionAdded'];
export type WorkflowExecutionStartedData = EventDataByType['WorkflowExecutionStarted'];
export type TaskStartedData = EventDataByType['TaskStarted'];
export type TaskCompletedData = EventDataByType['TaskCompleted'];
export type TaskFaultedData = EventDataByType['TaskFaulted'];
export type TimerScheduledData = EventDataByType['TimerScheduled'];
export type TimerFiredData = EventDataByType['TimerFired'];
export type EventAwaitedData = EventDataByType['EventAwaited'];
export type EventConsumedData = EventDataByType['EventConsumed'];
export type CloudEventEmittedData = EventDataByType['CloudEventEmitted'];
export type WorkflowCompletedData = EventDataByType['WorkflowCompleted'];
export type WorkflowFailedData = EventDataByType['WorkflowFailed'];
export type ExecutionCancelledData = EventDataByType['ExecutionCancelled'];
export type ExecutionSuspendedData = EventDataByType['ExecutionSuspended'];
export type ExecutionResumedData = EventDataByType['ExecutionResumed'];
export type OutboundPolicyChangedData = EventDataByType['OutboundPolicyChanged'];

/** Events of a workflow definition's stream, `workflow-<id>`. */
export type WorkflowDefinitionEvent =
  | { type: 'WorkflowCreated'; data: WorkflowCreatedData }
  | { type: 'WorkflowVersionAdded'; data: WorkflowVersionAddedData };

/**
 * Events of an execution's stream, `execution-<id>`. WorkflowStarted.avsc is not among them:
 * WorkflowExecutionStarted replaced it, and its schema stays only because it was published.
 */
export type ExecutionEvent =
  | { type: 'WorkflowExecutionStarted'; data: WorkflowExecutionStartedData }
  | { type: 'TaskStarted'; data: TaskStartedData }
  | { type: 'TaskCompleted'; data: TaskCompletedData }
  | { type: 'TaskFaulted'; data: TaskFaultedData }
  | { type: 'TimerScheduled'; data: TimerScheduledData }
  | { type: 'TimerFired'; data: TimerFiredData }
  | { type: 'EventAwaited'; data: EventAwaitedData }
  | { type: 'EventConsumed'; data: EventConsumedData }
  | { type: 'CloudEventEmitted'; data: CloudEventEmittedData }
  | { type: 'WorkflowCompleted'; data: WorkflowCompletedData }
  | { type: 'WorkflowFailed'; data: WorkflowFailedData }
  | { type: 'ExecutionCancelled'; data: ExecutionCancelledData }
  | { type: 'ExecutionSuspended'; data: ExecutionSuspendedData }
  | { type: 'ExecutionResumed'; data: ExecutionResumedData };

/** The Kafka topic carrying every workflow-domain event. */
export const workflowTopic = domainTopic('workflow');
