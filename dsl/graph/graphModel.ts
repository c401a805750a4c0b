import type { TaskListRole } from '../model/taskLists.js';
import type { TaskKind } from '../model/workflowModel.js';

/**
 * The control-flow graph of a workflow, as plain JSON: this shape is itself the export a UI or
 * the engine's diagnostics read (field names are stable; optional fields are omitted, never null).
 */
export interface WorkflowGraph {
  /** Start first, then tasks in document order (a composite task before its nested tasks), end last. */
  nodes: GraphNode[];
  /** Grouped by source node in node order; within a node: entries, exits, skip. */
  edges: GraphEdge[];
}

export type GraphNodeKind = 'start' | 'end' | TaskKind | 'unknown';

export interface GraphNode {
  /** `start`, `end`, or the JSON pointer of the task body (`/do/0/checkStock`). */
  id: string;
  /** The task name (`start` / `end` for the workflow's terminals). */
  label: string;
  kind: GraphNodeKind;
  /** The composite task (do, for, fork, try) whose list holds this task; absent at top level. */
  parent?: string;
  /** Which list the task sits in: 'workflow' at top level, 'catch' for a try's `catch.do`, … */
  role?: TaskListRole;
  /** Short display values, such as the call type, the HTTP method or the wait duration. */
  attributes: Record<string, string>;
  /** False when no path from start leads here (a task after `then: end` that nothing targets). */
  reachable: boolean;
}

/** Every edge kind, in the order a legend lists them. */
export const graphEdgeKinds = [
  'next',
  'then',
  'exit',
  'end',
  'loop',
  'body',
  'branch',
  'case',
  'default',
  'catch',
  'raise',
  'if-skipped',
] as const;

/**
 * Why control moves along an edge:
 * - `next`: the task completed with `continue` (implicit or explicit): to the following task, or,
 *   after the last one, wherever the enclosing composite task continues (the workflow end at top level);
 * - `then`: `then: <task name>`, to that task of the same list;
 * - `exit`: `then: exit`, leaving the enclosing list: to where its composite task continues;
 * - `end`: `then: end`, to the workflow end;
 * - `loop`: a for body completed (ran off its end or exited): back to the for task;
 * - `body`: a do, for or try task entering its first task;
 * - `branch`: a fork task starting one of its branches;
 * - `case` / `default`: a switch case with / without `when`; `default` also marks the fall-through
 *   taken when no case matches and the switch has no default case;
 * - `catch`: a try task's handler: to its `catch.do`, or on past the try when it has none;
 * - `raise`: a raise task to the catch of the nearest enclosing try that may catch the error, or
 *   to the workflow end as a fault;
 * - `if-skipped`: a task with `if` was skipped, and its `then` with it: on to the following task.
 */
export type GraphEdgeKind = (typeof graphEdgeKinds)[number];

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** A case's name and `when`, a catch's error filter, a raised error's type. */
  label?: string;
}

/** The ids of the workflow's terminals; task ids are JSON pointers, so they never clash. */
export const startNodeId = 'start';
export const endNodeId = 'end';
