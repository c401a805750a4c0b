/** A problem in a draft, positioned in its text (as `dsl/` reports it). */
export interface DraftProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  path: string;
  line: number;
  column: number;
}

/** A value only the user can give (`<<missing: …>>` in the document). */
export interface DraftOpenQuestion {
  question: string;
  problem: DraftProblem;
}

/** A task that writes or deletes in the tenant's systems. */
export interface DraftSideEffect {
  task: string;
  effect: 'write' | 'delete';
  target: string;
}

/** A workflow document the agent wrote in a conversation, with its check and summary. */
export interface DraftView {
  draftId: string;
  conversationId: string;
  previousDraftId: string | null;
  agentId: string;
  /** The Serverless Workflow 1.0 document (YAML). */
  document: string;
  /** True when it passed validation and grounding with no value missing: approvable. */
  valid: boolean;
  problems: DraftProblem[];
  openQuestions: DraftOpenQuestion[];
  /** Generated from the validated definition, not from the chat. */
  summary: string;
  sideEffects: DraftSideEffect[];
  repairRounds: number;
  model: string;
  createdAt: string;
  status: 'draft' | 'approved';
  workflowId: string | null;
  workflowVersion: string | null;
  /** The latest dry run (`…/simulate`), shown with the approval. */
  simulation: DraftSimulationView | null;
}

/** A dry run of a draft: how it ended, its task trace and the calls it made (all simulated). */
export interface DraftSimulationView {
  status: string;
  output?: unknown;
  error?: unknown;
  tasks: unknown[];
  calls: Array<{ method: string; url: string; status: number; mocked: boolean }>;
  simulatedAt: string;
}

/**
 * A response the user supplies instead of the document's example: for one catalog operation
 * (`operationId`), or for calls by `method` and `url` (a `call: http` endpoint; `{name}`
 * matches one path segment). Exactly one of the two keys.
 */
export interface SimulationFixtureBody {
  /**
   * @minLength 1 must not be empty
   * @maxLength 200 must be at most 200 characters
   */
  operationId?: string;
  /**
   * @pattern ^[A-Za-z]+$ must be an HTTP method name, such as GET
   * @maxLength 10 must be at most 10 characters
   */
  method?: string;
  /**
   * @minLength 1 must not be empty
   * @maxLength 2048 must be at most 2048 characters
   */
  url?: string;
  /**
   * @isInt must be a whole number
   * @minimum 100 must be an HTTP status, from 100
   * @maximum 599 must be an HTTP status, up to 599
   */
  status?: number;
  body: unknown;
}

export interface SimulateDraftRequest {
  /** The workflow input for the dry run. */
  input?: unknown;
  /** @maxItems 200 must hold at most 200 fixtures */
  fixtures?: SimulationFixtureBody[];
}

export interface DraftList {
  items: DraftView[];
}

/** One change between two drafts, classified for running executions and callers. */
export interface DraftChange {
  kind: string;
  compatibility: 'compatible' | 'breaking';
  path: string;
  task?: string;
  /** What changed, and why it is breaking or safe. */
  reason: string;
}

export interface DraftDiffView {
  from: string;
  to: string;
  breaking: boolean;
  changes: DraftChange[];
  /** The same changes as readable lines. */
  text: string;
}

export interface ApproveDraftRequest {
  /**
   * Add the draft as a new version of this workflow instead of the one this conversation
   * approved before (or of a new workflow, the default for a first approval).
   * @maxLength 128
   */
  workflowId?: string;
}
