import type { EventDependency } from './dependencyModel.js';
import { createDependencyIndex, definedFields, keyOf } from './dependencyIndex.js';
import type { DependencyIndex } from './dependencyIndex.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The type and source an event filter or emitted event names (`with`, dsl-reference "Event Properties"). */
function addEvent(
  index: DependencyIndex<EventDependency>,
  properties: unknown,
  site: string,
): void {
  const event = isObject(properties) ? properties : {};
  const type = text(event.type);
  const source = text(event.source);
  index.add(keyOf(type, source), () => definedFields({ type, source }), site);
}

/**
 * Every filter of an event consumption strategy (`one`, `any`, `all`, and an `until` that is a
 * strategy rather than an expression). `any: []` listens to every event, recorded as a filter
 * that constrains nothing.
 */
function addStrategy(
  index: DependencyIndex<EventDependency>,
  strategy: unknown,
  site: string,
): void {
  if (!isObject(strategy)) return;
  const filters = [
    ...(strategy.one === undefined ? [] : [strategy.one]),
    ...(Array.isArray(strategy.any) ? strategy.any : []),
    ...(Array.isArray(strategy.all) ? strategy.all : []),
  ];
  if (Array.isArray(strategy.any) && strategy.any.length === 0) filters.push({});
  for (const filter of filters) addEvent(index, isObject(filter) ? filter.with : undefined, site);
  addStrategy(index, strategy.until, site);
}

/** Collects the events a workflow waits for and the events it emits. */
export function createEventDependencies() {
  const consumed = createDependencyIndex<EventDependency>();
  const emitted = createDependencyIndex<EventDependency>();
  return {
    /** A listen task's `listen.to`, or the workflow's `schedule.on`. */
    consume(strategy: unknown, site: string): void {
      addStrategy(consumed, strategy, site);
    },
    /** An emit task's `emit.event` (its attributes are under `with`). */
    emit(event: unknown, site: string): void {
      const properties = isObject(event) && isObject(event.with) ? event.with : event;
      addEvent(emitted, properties, site);
    },
    results() {
      return { eventsConsumed: consumed.items(), eventsEmitted: emitted.items() };
    },
  };
}
