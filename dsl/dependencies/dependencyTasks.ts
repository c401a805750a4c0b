import { taskListsOf } from '../model/taskLists.js';
import type { JsonPath } from '../model/taskLists.js';
import type { TaskKind } from '../model/workflowModel.js';
import { pointerOf } from '../problems.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A task whose needs count, wherever it is written. */
export interface DependencyTask {
  /** JSON pointer of the task body. */
  site: string;
  path: JsonPath;
  body: Record<string, unknown>;
  kind: TaskKind | undefined;
}

/** The tasks in and below `list`, their paths moved from the synthetic root by `rebase`. */
function tasksBelow(
  list: unknown,
  rebase: (syntheticPath: JsonPath) => JsonPath,
): DependencyTask[] {
  return taskListsOf({ do: list })
    .flatMap((entry) => entry.tasks)
    .map((entry) => {
      const path = rebase(entry.path);
      return { site: pointerOf(path), path, body: entry.task as never, kind: entry.kind };
    });
}

/** Appends one by one: `push(...tasks)` throws once a list outgrows the engine's argument limit. */
function append(found: DependencyTask[], tasks: readonly DependencyTask[]): void {
  for (const task of tasks) found.push(task);
}

const listAt = (listPath: JsonPath) => (path: JsonPath) => [...listPath, ...path.slice(1)];
const taskAt = (taskPath: JsonPath) => (path: JsonPath) => [...taskPath, ...path.slice(3)];

/** Task lists the flow walk does not cover: a listen's or an AsyncAPI subscription's `foreach.do`. */
function iteratorLists(task: DependencyTask): Array<{ list: unknown; path: JsonPath }> {
  const found: Array<{ list: unknown; path: JsonPath }> = [];
  const listen = task.body.listen;
  if (isObject(task.body.foreach) && listen !== undefined) {
    found.push({ list: task.body.foreach.do, path: [...task.path, 'foreach', 'do'] });
  }
  const args = task.body.with;
  if (isObject(args) && isObject(args.subscription) && isObject(args.subscription.foreach)) {
    found.push({
      list: args.subscription.foreach.do,
      path: [...task.path, 'with', 'subscription', 'foreach', 'do'],
    });
  }
  return found;
}

/**
 * Every task of the workflow that can need something: the flow's tasks, `use.functions`, the
 * `before`/`after` lists of `use.extensions`, and the `foreach.do` of listens and subscriptions.
 */
export function dependencyTasksOf(workflow: unknown): DependencyTask[] {
  if (!isObject(workflow)) return [];
  const use = isObject(workflow.use) ? workflow.use : {};
  const found = tasksBelow(workflow.do, (path) => path);
  const functions = isObject(use.functions) ? use.functions : {};
  for (const [name, body] of Object.entries(functions)) {
    append(found, tasksBelow([{ [name]: body }], taskAt(['use', 'functions', name])));
  }
  const extensions = Array.isArray(use.extensions) ? use.extensions : [];
  extensions.forEach((item, index) => {
    if (!isObject(item)) return;
    for (const [name, extension] of Object.entries(item)) {
      if (!isObject(extension)) continue;
      for (const when of ['before', 'after'] as const) {
        const path = ['use', 'extensions', index, name, when];
        append(found, tasksBelow(extension[when], listAt(path)));
      }
    }
  });
  for (let i = 0; i < found.length; i += 1) {
    for (const { list, path } of iteratorLists(found[i] as DependencyTask)) {
      append(found, tasksBelow(list, listAt(path)));
    }
  }
  return found;
}

/** The workflow-level entry a value outside every task belongs to (`/use/catalogs/global`, `/input/schema`). */
export function workflowSiteOf(path: readonly (string | number)[]): string {
  return pointerOf(path.slice(0, path[0] === 'use' ? 3 : 2));
}
