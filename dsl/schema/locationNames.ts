import { childOf, isRecord } from './instancePaths.js';
import type { Segment } from './instancePaths.js';

/**
 * A place in a workflow as its author thinks of it: the innermost thing with a name (a task, a
 * switch case, a reusable definition in `use`, a top-level section) and the property path left
 * inside it. `['do', 0, 'checkStock', 'with', 'endpoint']` is task 'checkStock', `with.endpoint`.
 */
export interface NamedLocation {
  owner: string;
  rest: Segment[];
}

/** How the workflow as a whole is named. */
export const workflowOwner = 'the workflow';

/** Keys whose value is a task list (`do` also inside `for`, `catch` and `foreach`). */
const taskListKeys = new Set(['do', 'branches', 'try', 'before', 'after']);

/** `use` sections that map names to definitions. */
const namedUseSections = new Set([
  'authentications',
  'errors',
  'functions',
  'retries',
  'timeouts',
  'catalogs',
]);

/** Top-level sections named on their own; `do` and `timeout` read better as 'the workflow'. */
const namedSections = new Set(['document', 'input', 'output', 'use', 'schedule']);

/** Names the location at `path` in `document` (the parsed workflow). */
export function nameLocation(path: readonly Segment[], document: unknown): NamedLocation {
  let owner = workflowOwner;
  let start = 0;
  const [first, second, third, fourth] = path;
  if (
    first === 'use' &&
    typeof second === 'string' &&
    namedUseSections.has(second) &&
    third !== undefined
  ) {
    owner = `use.${second} '${third}'`;
    start = 3;
  } else if (
    first === 'use' &&
    second === 'extensions' &&
    typeof third === 'number' &&
    fourth !== undefined
  ) {
    owner = `use.extensions '${fourth}'`;
    start = 4;
  } else if (typeof first === 'string' && namedSections.has(first)) {
    owner = first;
    start = 1;
  }

  let value: unknown = document;
  for (const segment of path.slice(0, start)) value = childOf(value, segment);
  let task: string | undefined;
  for (let i = start; i < path.length; i++) {
    const [segment, index, name] = [path[i]!, path[i + 1], path[i + 2]];
    const list = childOf(value, segment);
    const item = typeof index === 'number' && Array.isArray(list) ? list[index] : undefined;
    const isTask = taskListKeys.has(String(segment)) && isRecord(item);
    const isCase = segment === 'switch' && task !== undefined && isRecord(item);
    if (typeof name !== 'string' || !(isTask || isCase)) {
      value = list;
      continue;
    }
    owner = isTask ? `task '${name}'` : `${task} case '${name}'`;
    if (isTask) task = owner;
    start = i + 3;
    value = childOf(item, name);
    i += 2;
  }
  return { owner, rest: path.slice(start) };
}

/** `with.endpoint.uri`, `arguments[0]`. */
export function dottedPath(path: readonly Segment[]): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${segment}`,
    )
    .join('');
}

/** What a sentence about the location starts with: `task 'x'` or `task 'x': 'with.endpoint'`. */
export function subjectOf(location: NamedLocation): string {
  return location.rest.length === 0
    ? location.owner
    : `${location.owner}: '${dottedPath(location.rest)}'`;
}
