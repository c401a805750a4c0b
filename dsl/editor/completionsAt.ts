import { taskKinds } from '../model/workflowModel.js';
import { workflowJsonSchema } from '../schema/workflowSchema.js';
import { itemKeys } from './blockOutline.js';
import { cursorContext } from './cursorContext.js';
import type { CursorContext, CursorPosition } from './cursorContext.js';
import { keysOf, resolveRef, schemaLevels, valuesOf } from './schemaLevels.js';
import type { JsonSchema, SchemaLeaf } from './schemaLevels.js';
import {
  commonHttpMethods,
  declaredNames,
  flowKeywordDetails,
  httpMethodTitle,
  referenceSectionByTitle,
} from './valueSources.js';
import type { UseSection } from './valueSources.js';

/** One suggestion for the cursor's position. */
export interface Completion {
  label: string;
  /** `task` marks the keys that make a task what it is (`call`, `do`, …). */
  kind: 'key' | 'value' | 'task';
  /** The first sentence of the schema's description, or its title. */
  detail?: string;
  /** What to insert when it differs from the label: `key: `, or a value that needs quotes. */
  insertText?: string;
}

/**
 * The keys or values that fit at `position` (1-based) of a workflow being typed, derived from the
 * official schema and the names the document declares; only those starting with what is already
 * typed there. Tolerates broken documents and never throws: [] when nothing fits.
 */
export function completionsAt(text: string, position: CursorPosition): Completion[] {
  try {
    const context = cursorContext(text, position);
    if (context === undefined) return [];
    const root = workflowJsonSchema();
    const levels = schemaLevels(root, context.path, context.data);
    const found =
      context.at === 'key'
        ? [
            ...keyCompletions(context, levels, root),
            ...(context.itemStart ? valueCompletions(context, levels) : []),
          ]
        : valueCompletions(context, levels);
    const typed = context.prefix.toLowerCase();
    return found.filter((completion) => completion.label.toLowerCase().startsWith(typed));
  } catch {
    // Completion is a convenience: a case not foreseen yields nothing rather than an error.
    return [];
  }
}

function keyCompletions(
  context: CursorContext,
  levels: SchemaLeaf[][],
  root: JsonSchema,
): Completion[] {
  const here = levels.at(-1) ?? [];
  const present = new Set(Object.keys(dataAt(context.data, context.path) ?? {}));
  const keys = keysOf(here).filter(({ key }) => !present.has(key));
  const isTask = here.some((leaf) => leaf.via.includes('task'));
  // Until its kind is written, a task's other keys say little: offer what it can be.
  if (isTask && !taskKinds.some((kind) => present.has(kind))) {
    const offered = new Set(keys.map(({ key }) => key));
    return taskKinds
      .filter((kind) => offered.has(kind))
      .map((kind) =>
        keyCompletion(kind, 'task', describe(resolveRef(root, `#/$defs/${kind}Task`))),
      );
  }
  return keys.map(({ key, schema }) => keyCompletion(key, 'key', describe(schema, root)));
}

function keyCompletion(key: string, kind: 'key' | 'task', detail: string | undefined): Completion {
  const completion: Completion = { label: key, kind, insertText: `${key}: ` };
  if (detail !== undefined) completion.detail = detail;
  return completion;
}

function valueCompletions(context: CursorContext, levels: SchemaLeaf[][]): Completion[] {
  const here = levels.at(-1) ?? [];
  const isFlowDirective = here.some((leaf) => leaf.via.includes('flowDirective'));
  const completions: Completion[] = valuesOf(here).map(({ value, leaf }) => {
    const keyword = isFlowDirective ? flowKeywordDetails[String(value)] : undefined;
    return valueCompletion(value, keyword ?? explain(leaf.schema) ?? explain(leaf.context));
  });
  const enumerated = completions.length;
  const root = context.containers[0];
  const names = (section: UseSection, detail: string) => {
    if (root === undefined) return;
    for (const name of declaredNames(context.outline, root, section)) {
      completions.push(valueCompletion(name, detail));
    }
  };
  const parent = levels.at(-2) ?? [];
  if (context.path.at(-1) === 'call' && parent.some((leaf) => leaf.via.includes('callTask'))) {
    names('functions', 'a function declared in use.functions');
  }
  const sections = new Set(here.map((leaf) => referenceSectionByTitle[String(leaf.schema.title)]));
  for (const section of sections) {
    if (section !== undefined) names(section, `declared in use.${section}`);
  }
  if (isFlowDirective) {
    completions.push(...siblingTasks(context, levels));
  }
  const isHttpMethod = here.some((leaf) => leaf.schema.title === httpMethodTitle);
  if (isHttpMethod && enumerated === 0) {
    completions.push(...commonHttpMethods.map((method) => valueCompletion(method, 'HTTP method')));
  }
  const seen = new Set<string>();
  return completions.filter(({ label }) => !seen.has(label) && seen.add(label));
}

/** The other tasks of the task list nearest the cursor: the targets a flow directive may name. */
function siblingTasks(context: CursorContext, levels: SchemaLeaf[][]): Completion[] {
  for (let depth = context.path.length - 1; depth >= 0; depth--) {
    const list = context.containers[depth];
    if (list?.kind !== 'seq') continue;
    if (!(levels[depth] ?? []).some((leaf) => leaf.via.includes('taskList'))) continue;
    const current = context.path[depth];
    const tasks = itemKeys(context.outline, list);
    return tasks
      .filter((_, index) => index !== current)
      .map(({ key }) => valueCompletion(key, 'a task in the same list'));
  }
  return [];
}

function valueCompletion(value: string | number | boolean, detail: string | undefined): Completion {
  const completion: Completion = { label: String(value), kind: 'value' };
  if (detail !== undefined) completion.detail = detail;
  // A string goes in plain when YAML reads it back as that string, in (JSON's) double quotes
  // otherwise: a task named `123` or `true` must not become a number or a boolean.
  const plain =
    typeof value !== 'string' ||
    (/^[A-Za-z_][\w./-]*$/.test(value) && !/^(true|false|null)$/i.test(value));
  if (!plain) completion.insertText = JSON.stringify(value);
  return completion;
}

function dataAt(data: unknown, path: readonly (string | number)[]): object | undefined {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null ? node : undefined;
}

/** The first sentence of a schema's description (its `$ref` target's if it has none), or its title. */
function describe(schema: unknown, root?: JsonSchema): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const { description, title, $ref } = schema as JsonSchema;
  if (typeof description === 'string' && description.trim() !== '') {
    return firstSentence(description);
  }
  if (root !== undefined && typeof $ref === 'string') {
    const target = describe(resolveRef(root, $ref));
    if (target !== undefined) return target;
  }
  return typeof title === 'string' ? title : undefined;
}

/** A value's detail: the first sentence of its schema's description; titles name, not explain. */
function explain(schema: JsonSchema | undefined): string | undefined {
  const description = schema?.description;
  return typeof description === 'string' && description.trim() !== ''
    ? firstSentence(description)
    : undefined;
}

function firstSentence(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  // The first full stop that ends a sentence: not the one of "e.g." or "i.e.".
  const end = /(?<!\b(?:e\.g|i\.e))[.!?](?=\s|$)/.exec(flat);
  return end === null ? flat : flat.slice(0, end.index + 1);
}
