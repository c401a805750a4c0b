/**
 * The typed model of a Serverless Workflow 1.0 document, for the parts AWP's code reads. A
 * document that passed the official schema has this shape; fields the schema allows and AWP does
 * not interpret stay reachable as `unknown`.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface WorkflowDefinition {
  document: WorkflowHeader;
  input?: { schema?: SchemaDefinition; from?: unknown };
  use?: WorkflowResources;
  do: TaskList;
  timeout?: unknown;
  output?: { schema?: SchemaDefinition; as?: unknown };
  schedule?: WorkflowSchedule;
}

export interface WorkflowHeader {
  dsl: string;
  namespace: string;
  name: string;
  version: string;
  title?: string;
  summary?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export interface SchemaDefinition {
  format?: string;
  document?: JsonValue;
  resource?: { endpoint: Endpoint; name?: string };
}

export interface WorkflowResources {
  authentications?: Record<string, Record<string, unknown>>;
  errors?: Record<string, Record<string, unknown>>;
  extensions?: Array<Record<string, Record<string, unknown>>>;
  functions?: Record<string, Task>;
  retries?: Record<string, Record<string, unknown>>;
  secrets?: string[];
  timeouts?: Record<string, Record<string, unknown>>;
  catalogs?: Record<string, Record<string, unknown>>;
}

export interface WorkflowSchedule {
  every?: Duration;
  cron?: string;
  after?: Duration;
  on?: Record<string, unknown>;
}

/** An ISO 8601 duration (`PT5S`), a runtime expression, or its parts. */
export type Duration =
  | string
  | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };

/** A URI (template), a runtime expression, or `{ uri, authentication }`. */
export type Endpoint = string | { uri: string; authentication?: AuthenticationReference };
export type AuthenticationReference = { use: string } | Record<string, unknown>;

/** Each item names one task: `[{ checkStock: { call: http, … } }, …]`. */
export type TaskList = Array<Record<string, Task>>;

/** `continue`, `exit`, `end`, or the name of a task in the same list. */
export type FlowDirective = string;

export interface TaskBase {
  if?: string;
  input?: Record<string, unknown>;
  output?: Record<string, unknown>;
  export?: Record<string, unknown>;
  timeout?: unknown;
  then?: FlowDirective;
  metadata?: Record<string, unknown>;
}

export interface CallTask extends TaskBase {
  call: string;
  with?: Record<string, unknown>;
}
export interface DoTask extends TaskBase {
  do: TaskList;
}
export interface ForkTask extends TaskBase {
  fork: { branches: TaskList; compete?: boolean };
}
export interface EmitTask extends TaskBase {
  emit: { event: { with?: Record<string, unknown> } & Record<string, unknown> };
}
export interface ForTask extends TaskBase {
  for: { each?: string; in: string; at?: string };
  while?: string;
  do: TaskList;
}
export interface ListenTask extends TaskBase {
  listen: { to: Record<string, unknown>; read?: 'data' | 'envelope' | 'raw' };
  foreach?: Record<string, unknown>;
}
export interface RaiseTask extends TaskBase {
  raise: { error: string | Record<string, unknown> };
}
export interface RunTask extends TaskBase {
  run: {
    await?: boolean;
    return?: string;
    container?: Record<string, unknown>;
    script?: Record<string, unknown>;
    shell?: Record<string, unknown>;
    workflow?: { namespace: string; name: string; version: string; input?: unknown };
  };
}
export interface SetTask extends TaskBase {
  set: Record<string, unknown> | string;
}
export interface SwitchTask extends TaskBase {
  switch: Array<Record<string, { when?: string; then: FlowDirective }>>;
}
export interface TryTask extends TaskBase {
  try: TaskList;
  catch: {
    errors?: { with?: Record<string, unknown> };
    as?: string;
    when?: string;
    exceptWhen?: string;
    retry?: string | Record<string, unknown>;
    do?: TaskList;
  };
}
export interface WaitTask extends TaskBase {
  wait: Duration;
}

export type Task =
  | CallTask
  | DoTask
  | ForkTask
  | EmitTask
  | ForTask
  | ListenTask
  | RaiseTask
  | RunTask
  | SetTask
  | SwitchTask
  | TryTask
  | WaitTask;

/** The key that makes a task what it is; `for` is checked before `do` (a for task has both). */
export const taskKinds = [
  'call',
  'for',
  'do',
  'fork',
  'emit',
  'listen',
  'raise',
  'run',
  'set',
  'switch',
  'try',
  'wait',
] as const;
export type TaskKind = (typeof taskKinds)[number];

export function taskKindOf(task: unknown): TaskKind | undefined {
  if (typeof task !== 'object' || task === null) return undefined;
  return taskKinds.find((kind) => kind in task);
}

/** The flow directives that are not task names. */
export const flowKeywords = ['continue', 'exit', 'end'] as const;

/** What a `run` task can start; which of them a platform allows is its operator's choice. */
export const runKinds = ['container', 'script', 'shell', 'workflow'] as const;
export type RunKind = (typeof runKinds)[number];
