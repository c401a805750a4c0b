import type { SameMembers } from '../../../contracts/api/index.js';
import type { IndexedExecution } from '../executions/runtime/executionIndex.js';
import type { ExecutionStatus } from '../executions/runtime/executionState.js';
import type { WorkflowSummary } from '../readModels/workflowSummary.js';

/*
 * The bodies the workflow API takes and returns besides the domain's own views (WorkflowDetails,
 * ExecutionView): tsoa validates requests against these types and writes them into the
 * OpenAPI document, so their JSDoc is the API's documentation.
 */

/** A Serverless Workflow 1.0 document, as YAML or JSON text. */
export interface WorkflowDocumentBody {
  /**
   * The DSL text. Invalid documents are refused with every problem's position.
   * @minLength 1 must not be empty
   */
  document: string;
  /**
   * The conversation the workflow was written in (set by the agent when a draft is approved);
   * recorded on the workflow's creation, ignored for later versions.
   * @maxLength 128
   */
  sourceConversationId?: string;
}

/** One page of the account's workflows; pass `next` back as `after` for the following page. */
export interface WorkflowPage {
  items: WorkflowSummary[];
  next: string | null;
}

/** The text of one version, exactly as it was submitted. */
export interface WorkflowVersionDocument {
  workflowId: string;
  version: string;
  document: string;
}

export interface StartExecutionBody {
  /** The workflow's input (checked against its `input.schema`, when it declares one). */
  input?: unknown;
  /**
   * The version to run; the latest when absent.
   * @minLength 1 must not be empty
   */
  version?: string;
}

/** Where to follow an execution. */
export interface ExecutionLinks {
  self: string;
  events: string;
  workflow: string;
}

/** An execution was started; it runs on after this answer. */
export interface ExecutionAccepted {
  executionId: string;
  status: ExecutionStatus;
  links: ExecutionLinks;
}

// An enum rather than the engine's union type: tsoa checks an enum as one value among several
// and says which are allowed, where a union's failure comes out as a dump of every branch.
/** Executions in this status only. */
export enum ExecutionStatusFilter {
  running = 'running',
  waiting = 'waiting',
  suspended = 'suspended',
  cancelled = 'cancelled',
  faulted = 'faulted',
  completed = 'completed',
}

/** Compiles only while the filter lists exactly the engine's statuses. */
const _filterListsEveryStatus: SameMembers<`${ExecutionStatusFilter}`, ExecutionStatus> = true;

/** One page of executions, newest first; pass `next` back as `before` for older ones. */
export interface ExecutionPage {
  items: IndexedExecution[];
  next: string | null;
}

export interface ExecutionControlBody {
  /**
   * Why, for whoever reads the execution's history.
   * @maxLength 1000 must be at most 1000 characters
   */
  reason?: string;
}

/**
 * A CloudEvent 1.0 in structured JSON mode (`application/cloudevents+json` or
 * `application/json`). Binary mode (`ce-*` headers, the body as `data`) is accepted too.
 */
export interface CloudEventBody {
  specversion: '1.0';
  /** @minLength 1 must not be empty */
  id: string;
  /** @minLength 1 must not be empty */
  source: string;
  /** @minLength 1 must not be empty */
  type: string;
  datacontenttype?: string;
  dataschema?: string;
  subject?: string;
  time?: string;
  data?: unknown;
  /** Extension attributes, matched by `listen` filters like the standard ones. */
  [attribute: string]: unknown;
}

/** How many waiting `listen` tasks the event was delivered to. */
export interface EventDelivery {
  delivered: number;
}

/** A new outbound allow-list for the account. */
export interface OutboundPolicyBody {
  /**
   * `host`, `host:port`, an IP, `[v6]:port` or a CIDR, at most 100.
   * @maxItems 100
   */
  allowHosts: string[];
}

export interface OutboundPolicyResult {
  allowHosts: string[];
  /** How many times the account set it (0: never). */
  version: number;
}
