import { canonicalJson, clipped, compactValue, deepEqual, isObject, own } from './jsonValues.js';
import { redactSecrets } from './redactSecrets.js';
import type { TaskIndex } from './taskIndex.js';
import type { TaskMatching } from './taskMatching.js';
import type { Compatibility, WorkflowChange } from './workflowChange.js';

/**
 * Events the workflow consumes: `listen.to` of its tasks and `schedule.on`. Producers do not fail
 * when nobody consumes their events, which is exactly the danger: a producer that sends
 * `payment.received` for an order workflow to continue gets no error and no effect. So:
 *
 * - an event type no longer consumed, or no longer enough on its own (removed from an `any`),
 *   is breaking: producers are silently ignored, and executions waiting at that task for it
 *   would never be resumed by it;
 * - a filter narrowed (an attribute or correlation added, `any` turned into `all`, an event
 *   added to an `all`) is breaking: events that matched may no longer, and executions already
 *   waiting may wait for an event no producer sends;
 * - widening (an attribute removed, `all` to `any`) and newly consumed types are compatible;
 * - a changed attribute value or `until` cannot be compared (regular and runtime expressions):
 *   breaking.
 */

interface Filter {
  key: string;
  value: Record<string, unknown>;
  pointer: string;
}

interface Strategy {
  /** `one` accepts exactly what an `any` of one filter does, so both read as `any`. */
  mode: 'all' | 'any' | undefined;
  filters: Filter[];
  until: unknown;
}

interface ConsumerSite {
  /** "task 'waitForPayment'" or "the schedule". */
  label: string;
  task?: string;
  starts: boolean;
  pointer: string;
  raw: unknown;
  strategy: Strategy;
}

/**
 * An event filter's identity: its `type` when it has one, else its attributes, with credentials
 * redacted: the key is shown in reasons.
 */
export function eventKey(properties: unknown): string {
  if (isObject(properties) && typeof properties.type === 'string') return properties.type;
  return canonicalJson(redactSecrets(properties));
}

function strategyOf(value: unknown, pointer: string): Strategy {
  const strategy: Strategy = { mode: undefined, filters: [], until: undefined };
  if (!isObject(value)) return strategy;
  const push = (filter: unknown, at: string) => {
    if (isObject(filter))
      strategy.filters.push({ key: eventKey(filter.with), value: filter, pointer: at });
  };
  if (Array.isArray(value.all)) {
    strategy.mode = 'all';
    value.all.forEach((filter, i) => push(filter, `${pointer}/all/${i}`));
  } else if (Array.isArray(value.any)) {
    strategy.mode = 'any';
    value.any.forEach((filter, i) => push(filter, `${pointer}/any/${i}`));
  } else if (value.one !== undefined) {
    strategy.mode = 'any';
    push(value.one, `${pointer}/one`);
  }
  strategy.until = value.until;
  return strategy;
}

function consumerSites(workflow: unknown, index: TaskIndex): ConsumerSite[] {
  const sites: ConsumerSite[] = [];
  for (const task of index.tasks) {
    if (task.entry.kind !== 'listen') continue;
    const listen = (task.entry.task as { listen?: unknown }).listen;
    const raw = isObject(listen) ? listen.to : undefined;
    const pointer = `${task.pointer}/listen/to`;
    sites.push({
      label: `task '${task.qname}'`,
      task: task.qname,
      starts: false,
      pointer,
      raw,
      strategy: strategyOf(raw, pointer),
    });
  }
  const schedule = isObject(workflow) ? workflow.schedule : undefined;
  if (isObject(schedule) && schedule.on !== undefined) {
    const pointer = '/schedule/on';
    const raw = schedule.on;
    sites.push({
      label: 'the schedule',
      starts: true,
      pointer,
      raw,
      strategy: strategyOf(raw, pointer),
    });
  }
  return sites;
}

/** Every consumed event type (the `until` strategies' too), with the first place it appears. */
function catalogue(sites: ConsumerSite[]): Map<string, { site: ConsumerSite; pointer: string }> {
  const found = new Map<string, { site: ConsumerSite; pointer: string }>();
  for (const site of sites) {
    const until = strategyOf(site.strategy.until, `${site.pointer}/until`);
    for (const filter of [...site.strategy.filters, ...until.filters]) {
      if (!found.has(filter.key)) found.set(filter.key, { site, pointer: filter.pointer });
    }
  }
  return found;
}

export function consumedEventChanges(
  before: unknown,
  after: unknown,
  indexes: { before: TaskIndex; after: TaskIndex },
  matching: TaskMatching,
): WorkflowChange[] {
  const sitesBefore = consumerSites(before, indexes.before);
  const sitesAfter = consumerSites(after, indexes.after);
  const consumedBefore = catalogue(sitesBefore);
  const consumedAfter = catalogue(sitesAfter);
  const changes: WorkflowChange[] = [];
  const reported = new Set<string>();

  const siteOf = new Map(sitesAfter.map((site) => [site.task, site]));
  for (const was of sitesBefore) {
    const now =
      was.task === undefined
        ? siteOf.get(undefined)
        : siteOf.get(matching.pairOfBefore.get(was.task)?.after.qname ?? '');
    if (now === undefined) continue;
    const found = compareSites(was, now, consumedAfter, reported);
    if (found.length === 0 && !deepEqual(normalized(was.strategy), normalized(now.strategy))) {
      found.push({
        kind: 'event-filter-changed',
        path: now.pointer,
        task: now.task,
        compatibility: 'breaking',
        reason: `the events ${now.label} consumes changed in a way AWP cannot classify, so it counts as breaking`,
        before: compactValue(was.raw),
        after: compactValue(now.raw),
      });
    }
    for (const change of found) changes.push(change);
  }

  for (const [key, { site, pointer }] of consumedBefore) {
    if (consumedAfter.has(key) || reported.has(key)) continue;
    changes.push({
      kind: 'event-consumed-removed',
      path: pointer,
      task: site.task,
      compatibility: 'breaking',
      reason: `the workflow no longer consumes '${clipped(key)}' events (${site.starts ? 'they started it' : `${site.label} listened for them`}): producers sending them are now silently ignored`,
      before: compactValue(key),
    });
  }
  for (const [key, { site, pointer }] of consumedAfter) {
    if (consumedBefore.has(key) || reported.has(key)) continue;
    changes.push({
      kind: 'event-consumed-added',
      path: pointer,
      task: site.task,
      compatibility: 'compatible',
      reason: site.starts
        ? `the workflow now also starts on '${clipped(key)}' events; nothing that worked before changes`
        : `${site.label} listens for '${clipped(key)}' events, which the workflow did not consume before: executions that reach it wait for one, so some producer must send them`,
      after: compactValue(key),
    });
  }
  return changes;
}

/** A strategy without its pointers and filter order, for "did anything really change". */
const normalized = (strategy: Strategy) => ({
  mode: strategy.mode,
  until: strategy.until,
  filters: Object.fromEntries(strategy.filters.map((f) => [f.key, f.value])),
});

function compareSites(
  was: ConsumerSite,
  now: ConsumerSite,
  consumedAfter: Map<string, unknown>,
  reported: Set<string>,
): WorkflowChange[] {
  const changes: WorkflowChange[] = [];
  const change = (
    kind: WorkflowChange['kind'],
    path: string,
    compatibility: Compatibility,
    reason: string,
    values: { before?: unknown; after?: unknown; at?: string[] } = {},
  ) =>
    changes.push({
      kind,
      path,
      task: now.task,
      compatibility,
      reason,
      before: compactValue(values.before, values.at),
      after: compactValue(values.after, values.at),
    });
  const waiting = now.starts
    ? 'events that started the workflow may no longer'
    : 'executions already waiting there may wait for an event no producer sends';

  if (was.strategy.mode !== now.strategy.mode && was.strategy.mode && now.strategy.mode) {
    const narrowed = now.strategy.mode === 'all';
    change(
      'event-filter-changed',
      now.pointer,
      narrowed ? 'breaking' : 'compatible',
      narrowed
        ? `${now.label} now needs all of its events instead of any one: ${waiting}`
        : `${now.label} now needs any one of its events instead of all: nothing that matched before stops matching`,
      { before: was.strategy.mode, after: now.strategy.mode },
    );
  }
  if (!deepEqual(was.strategy.until, now.strategy.until)) {
    change(
      'event-filter-changed',
      `${now.pointer}/until`,
      'breaking',
      `${now.label} changed when it stops listening (until), which changes how many events it consumes and outputs; AWP cannot compare the conditions, so it counts as breaking`,
      { before: was.strategy.until, after: now.strategy.until },
    );
  }

  const filtersWas = new Map(was.strategy.filters.map((f) => [f.key, f]));
  const filtersNow = new Map(now.strategy.filters.map((f) => [f.key, f]));
  const verb = now.starts ? 'starts the workflow' : 'resumes';
  for (const [key, filter] of filtersWas) {
    if (filtersNow.has(key)) continue;
    reported.add(key);
    const gone = !consumedAfter.has(key);
    const alone = was.strategy.mode !== 'all';
    const breaking = alone || gone;
    const consequence = alone
      ? now.starts
        ? `producers sending them no longer start executions`
        : `executions waiting there for one will not be resumed by it`
      : gone
        ? 'they are no longer consumed anywhere in the workflow, so producers sending them are silently ignored'
        : 'executions waiting there need one event fewer';
    change(
      'event-consumed-removed',
      filter.pointer,
      breaking ? 'breaking' : 'compatible',
      `${now.label} no longer ${alone ? verb + ' on' : 'needs'} '${clipped(key)}' events: ${consequence}`,
      { before: key },
    );
  }
  for (const [key, filter] of filtersNow) {
    if (filtersWas.has(key)) {
      compareFilter(filtersWas.get(key) as Filter, filter, now, change);
      continue;
    }
    reported.add(key);
    const needed = now.strategy.mode === 'all';
    change(
      'event-consumed-added',
      filter.pointer,
      needed ? 'breaking' : 'compatible',
      needed
        ? `${now.label} now also needs a '${clipped(key)}' event: ${waiting}`
        : `${now.label} now also ${verb} on '${clipped(key)}' events: nothing that matched before stops matching`,
      { after: key },
    );
  }
  return changes;
}

type Change = (
  kind: WorkflowChange['kind'],
  path: string,
  compatibility: Compatibility,
  reason: string,
  values?: { before?: unknown; after?: unknown; at?: string[] },
) => void;

/** Attribute by attribute: an attribute or correlation more is a narrower filter. */
function compareFilter(was: Filter, now: Filter, site: ConsumerSite, change: Change) {
  const parts = ['with', 'correlate'];
  for (const part of parts) {
    const b = isObject(was.value[part]) ? (was.value[part] as Record<string, unknown>) : {};
    const a = isObject(now.value[part]) ? (now.value[part] as Record<string, unknown>) : {};
    const noun = part === 'with' ? 'attribute' : 'correlation';
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const old = own(b, name);
      const current = own(a, name);
      if (deepEqual(old, current)) continue;
      const path = `${now.pointer}/${part}/${name}`;
      const subject = `the filter of ${site.label} for '${clipped(now.key)}' events`;
      if (!Object.hasOwn(b, name)) {
        change(
          'event-filter-changed',
          path,
          'breaking',
          `${subject} now also requires ${noun} '${name}': events that matched before may not, so producers' events can be ignored and waiting executions not resumed`,
          { after: current, at: [part, name] },
        );
      } else if (!Object.hasOwn(a, name)) {
        change(
          'event-filter-changed',
          path,
          'compatible',
          `${subject} no longer requires ${noun} '${name}': every event that matched before still matches`,
          { before: old, at: [part, name] },
        );
      } else {
        change(
          'event-filter-changed',
          path,
          'breaking',
          `${subject} now requires a different ${noun} '${name}'; AWP cannot compare regular or runtime expressions, so events that matched before may not`,
          { before: old, after: current, at: [part, name] },
        );
      }
    }
  }
  const others = (value: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(value).filter(([key]) => !parts.includes(key)));
  if (!deepEqual(others(was.value), others(now.value))) {
    change(
      'event-filter-changed',
      now.pointer,
      'breaking',
      `the filter of ${site.label} for '${clipped(now.key)}' events changed in a way AWP cannot classify, so it counts as breaking`,
      { before: was.value, after: now.value },
    );
  }
}
