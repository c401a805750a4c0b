import type { EmitTask, ListenTask, TaskList } from '../../../../../dsl/model/workflowModel.js';
import type { CloudEvent, EventFilter } from '../executionHost.js';
import { matchesEventFilter } from '../eventMatching.js';
import { isExpression } from '../runtimeExpressions.js';
import type { TaskResult, TaskRun } from '../taskRun.js';

/** `emit`: a CloudEvent from `event.with`; its id is stable per invocation, so a replay re-emits the same event. */
export async function runEmit(run: TaskRun): Promise<TaskResult> {
  const task = run.task as EmitTask;
  const at = `${run.position.reference}/emit/event/with`;
  const { expressions, host } = run.interpreter;
  const properties = expressions.evaluateDeep(
    task.emit.event.with ?? {},
    run.input,
    run.variables(),
    at,
  ) as Record<string, unknown>;
  const event = {
    specversion: '1.0',
    id:
      typeof properties.id === 'string' ? properties.id : host.idFor(run.invocation.idempotencyKey),
    time:
      typeof properties.time === 'string'
        ? properties.time
        : new Date(run.invocation.startedAt).toISOString(),
    ...(properties.data !== undefined && properties.datacontenttype === undefined
      ? { datacontenttype: 'application/json' }
      : {}),
    ...properties,
  } as unknown as CloudEvent;
  await host.emit(run.invocation.key, event);
  return { output: event };
}

interface Strategy {
  mode: 'one' | 'any' | 'all';
  filters: EventFilter[];
  until?: { expression?: string; filters?: EventFilter[]; mode?: 'one' | 'any' | 'all' };
}

/**
 * `listen`: waits for the events of its consumption strategy (`one`, `any` with an optional
 * `until`, `all`), durably. The output is the consumed events in order (their data, envelope or
 * raw data per `read`), each run through `foreach` when given; `until` events are not included.
 */
export async function runListen(run: TaskRun): Promise<TaskResult> {
  const task = run.task as ListenTask;
  const at = `${run.position.reference}/listen/to`;
  const strategy = strategyOf(run, task.listen.to, at);
  const untilFilters = strategy.until?.filters ?? [];
  const { expressions, host } = run.interpreter;
  const feed = host.listen(
    run.invocation.key,
    { filters: [...strategy.filters, ...untilFilters] },
    run.signal,
  );
  const consumed: CloudEvent[] = [];
  const satisfied = new Set<number>();
  const untilSatisfied = new Set<number>();
  // The subscription ends with the task (done or faulted), not when the run is merely parked
  // or replaced: the event a parked execution waits for must still find it.
  try {
    for (;;) {
      const event = await feed.next();
      const untilIndex = untilFilters.findIndex((filter) =>
        matchesEventFilter(expressions, filter, event, at),
      );
      const index = strategy.filters.findIndex((filter) =>
        matchesEventFilter(expressions, filter, event, at),
      );
      if (index < 0 && untilIndex >= 0) {
        untilSatisfied.add(untilIndex);
        if (strategy.until?.mode !== 'all' || untilSatisfied.size === untilFilters.length) break;
        continue;
      }
      if (index < 0 && strategy.filters.length > 0) continue;
      consumed.push(event);
      satisfied.add(index);
      if (strategy.mode === 'one') break;
      if (strategy.mode === 'all' && satisfied.size >= strategy.filters.length) break;
      if (strategy.mode === 'any' && strategy.until === undefined) break;
      if (strategy.until?.expression !== undefined) {
        const read = consumed.map((item) => readEvent(item, task.listen.read));
        if (expressions.test(strategy.until.expression, read, run.variables(), `${at}/until`))
          break;
      }
    }
  } catch (error) {
    if (!run.signal.aborted) feed.close();
    throw error;
  }
  feed.close();
  const events = consumed.map((event) => readEvent(event, task.listen.read));
  return { output: await iterate(run, task, events) };
}

function strategyOf(run: TaskRun, to: Record<string, unknown>, at: string): Strategy {
  const filters = (value: unknown): EventFilter[] =>
    (Array.isArray(value) ? value : [value]).map((filter) =>
      prepareFilter(run, filter as EventFilter, at),
    );
  if (to.one !== undefined) return { mode: 'one', filters: filters(to.one) };
  if (to.all !== undefined) return { mode: 'all', filters: filters(to.all) };
  const strategy: Strategy = { mode: 'any', filters: filters(to.any ?? []) };
  const until = to.until;
  if (typeof until === 'string') strategy.until = { expression: until };
  else if (typeof until === 'object' && until !== null) {
    const nested = until as Record<string, unknown>;
    const mode = nested.all !== undefined ? 'all' : nested.one !== undefined ? 'one' : 'any';
    strategy.until = { mode, filters: filters(nested.all ?? nested.one ?? nested.any ?? []) };
  }
  return strategy;
}

/** Correlation expectations written as expressions are evaluated now, on the task input. */
function prepareFilter(run: TaskRun, filter: EventFilter, at: string): EventFilter {
  if (!filter.correlate) return { with: filter.with ?? {} };
  const correlate: EventFilter['correlate'] = {};
  for (const [name, correlation] of Object.entries(filter.correlate)) {
    const expect = isExpression(correlation.expect)
      ? run.interpreter.expressions.evaluate(
          correlation.expect,
          run.input,
          run.variables(),
          `${at}/correlate/${name}/expect`,
        )
      : correlation.expect;
    correlate[name] = { from: correlation.from, ...(expect === undefined ? {} : { expect }) };
  }
  return { with: filter.with ?? {}, correlate };
}

function readEvent(event: CloudEvent, read: 'data' | 'envelope' | 'raw' | undefined): unknown {
  if (read === 'envelope') return event;
  return event.data ?? null;
}

async function iterate(run: TaskRun, task: ListenTask, events: unknown[]): Promise<unknown> {
  const foreach = task.foreach as
    { item?: string; at?: string; do?: TaskList; output?: { as?: unknown } } | undefined;
  if (!foreach) return events;
  const outputs: unknown[] = [];
  for (const [index, event] of events.entries()) {
    const variables = { [foreach.item ?? 'item']: event, [foreach.at ?? 'index']: index };
    let output = event;
    if (foreach.do) {
      const result = await run.interpreter.runNested(
        foreach.do,
        event,
        run.scope,
        run.position,
        { segment: 'foreach/do', iteration: index, variables },
        run.signal,
      );
      output = result.output;
    }
    if (foreach.output?.as !== undefined) {
      output = run.interpreter.transform(
        foreach.output.as,
        output,
        run.variables(variables),
        `${run.position.reference}/foreach/output/as`,
      );
    }
    outputs.push(output);
  }
  return outputs;
}
