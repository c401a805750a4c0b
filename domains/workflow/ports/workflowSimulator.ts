import type { TaskHistoryEntry } from '../queries/executionView.js';
import type { WorkflowProblem } from '../executions/interpreter/workflowError.js';

/** A canned answer for calls matching `method` and the URL template (`{param}` matches a segment). */
export interface SimulatedResponse {
  method: string;
  /** Absolute URL template, e.g. `https://kitchen.example/schedules/{scheduleId}`. */
  url: string;
  status: number;
  body: unknown;
}

export interface SimulationRequest {
  accountId: string;
  /** The workflow document (YAML or JSON text); it need not be registered. */
  document: string;
  input: unknown;
  /** Documents the workflow loads (`call: openapi`), by the URI it names them with. */
  documents: Readonly<Record<string, unknown>>;
  responses: readonly SimulatedResponse[];
}

/** One outbound request the simulated run made, and what answered it. */
export interface SimulatedCall {
  method: string;
  url: string;
  status: number;
  /** False: no canned response matched, and the call failed without leaving the platform. */
  mocked: boolean;
}

export interface SimulationResult {
  status: string;
  output?: unknown;
  error?: WorkflowProblem;
  /** The execution trace: every task invocation in order, with its output or error. */
  tasks: TaskHistoryEntry[];
  calls: SimulatedCall[];
}

/**
 * A dry run: the real engine runs the document against canned responses only. Nothing is
 * called outside the platform, no real secret is read (each declared secret is a stand-in), and
 * nothing is recorded in the account's executions.
 */
export interface WorkflowSimulator {
  simulate(request: SimulationRequest): Promise<SimulationResult>;
}
