import { pointerOf, tasksOf } from '../../../dsl/index.js';
import type { Task, WorkflowDefinition } from '../../../dsl/index.js';
import type { CatalogOperation } from '../connectors/catalogOperation.js';

/** A task that changes something outside the workflow, shown to the user before approval. */
export interface SideEffect {
  /** JSON pointer of the task. */
  task: string;
  effect: 'write' | 'delete';
  /** What it calls: `orders.createOrder (POST /orders)` or `POST https://…`. */
  target: string;
}

export interface DraftSummary {
  /** One line per task, indented by nesting, in document order. */
  text: string;
  sideEffects: SideEffect[];
}

type Json = Record<string, unknown>;

/**
 * The plain-language account of a draft, built from the validated definition itself (never
 * from the chat or the model's own description), so what the user approves is what will run.
 * Calls that write or delete are listed separately.
 */
export function summarizeDraft(
  workflow: WorkflowDefinition,
  operations: readonly CatalogOperation[],
): DraftSummary {
  const meta = (workflow as unknown as { document: Json }).document;
  const lines = [
    `Workflow ${String(meta.namespace)}/${String(meta.name)} version ${String(meta.version)}` +
      (typeof meta.summary === 'string' ? `: ${meta.summary}` : ''),
  ];
  const schedule = (workflow as unknown as { schedule?: Json }).schedule;
  if (schedule) lines.push(`Starts ${describeSchedule(schedule)}.`);
  const sideEffects: SideEffect[] = [];
  for (const entry of tasksOf(workflow)) {
    const depth = entry.path.filter((segment) => segment === 'do' || segment === 'branches').length;
    const pointer = pointerOf(entry.path);
    const described = describeTask(entry.task, operations);
    if (described.effect) {
      sideEffects.push({ task: pointer, effect: described.effect, target: described.target ?? '' });
    }
    const flag = described.effect
      ? ` [${described.effect === 'delete' ? 'DELETES' : 'WRITES'}]`
      : '';
    lines.push(`${'  '.repeat(Math.max(0, depth - 1))}- ${entry.name}: ${described.text}${flag}`);
  }
  return { text: lines.join('\n'), sideEffects };
}

interface Described {
  text: string;
  effect?: 'write' | 'delete';
  target?: string;
}

function describeTask(task: Task, operations: readonly CatalogOperation[]): Described {
  const t = task as unknown as Json;
  if (typeof t.call === 'string') return describeCall(t.call, (t.with ?? {}) as Json, operations);
  if (t.set !== undefined) return { text: `sets ${keysOf(t.set)}` };
  if (Array.isArray(t.switch)) {
    const cases = t.switch.map((c) => Object.keys(c as Json)[0]).join(', ');
    return { text: `chooses one path: ${cases}` };
  }
  if (t.for !== undefined) {
    const loop = t.for as Json;
    return { text: `repeats for each ${String(loop.each ?? 'item')} in ${String(loop.in)}` };
  }
  if (t.fork !== undefined) {
    const branches = ((t.fork as Json).branches ?? []) as unknown[];
    return { text: `runs ${branches.length} branches at the same time` };
  }
  if (t.try !== undefined) return { text: 'tries the steps below and handles their errors' };
  if (t.wait !== undefined) return { text: `waits ${JSON.stringify(t.wait)}` };
  if (t.emit !== undefined) {
    const event = ((t.emit as Json).event ?? {}) as Json;
    const type = (event.with as Json | undefined)?.type;
    return { text: `publishes event ${String(type ?? '(untyped)')}` };
  }
  if (t.listen !== undefined) return { text: 'waits for an event' };
  if (t.raise !== undefined) return { text: 'stops with an error' };
  if (t.run !== undefined) return { text: `runs ${keysOf(t.run)}` };
  if (t.do !== undefined) return { text: 'does the steps below in order' };
  return { text: 'does a step' };
}

function describeCall(
  kind: string,
  settings: Json,
  operations: readonly CatalogOperation[],
): Described {
  if (kind === 'openapi') {
    const operationId = String(settings.operationId);
    const endpoint = (settings.document as Json | undefined)?.endpoint;
    const uri = typeof endpoint === 'string' ? endpoint : (endpoint as Json | undefined)?.uri;
    const operation = operations.find(
      (op) => op.operationId === operationId && op.documentUri === uri,
    );
    if (!operation) return { text: `calls operation ${operationId}` };
    const target = `${operation.connectorName}.${operationId} (${operation.method.toUpperCase()} ${operation.path})`;
    const what = operation.summary ? ` — ${operation.summary.slice(0, 120)}` : '';
    return operation.effect === 'read'
      ? { text: `reads with ${target}${what}` }
      : { text: `calls ${target}${what}`, effect: operation.effect, target };
  }
  if (kind === 'http') {
    const method = String(settings.method ?? 'get').toUpperCase();
    const endpoint = settings.endpoint;
    const uri =
      typeof endpoint === 'string' ? endpoint : String((endpoint as Json | undefined)?.uri);
    const target = `${method} ${uri}`;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS')
      return { text: `reads ${target}` };
    return { text: `sends ${target}`, effect: method === 'DELETE' ? 'delete' : 'write', target };
  }
  return { text: `calls ${kind}` };
}

function describeSchedule(schedule: Json): string {
  if (schedule.cron) return `on the schedule '${String(schedule.cron)}'`;
  if (schedule.every) return `every ${JSON.stringify(schedule.every)}`;
  if (schedule.on) return 'when its events arrive';
  return 'on its schedule';
}

function keysOf(value: unknown): string {
  return value !== null && typeof value === 'object'
    ? Object.keys(value).join(', ')
    : String(value);
}
