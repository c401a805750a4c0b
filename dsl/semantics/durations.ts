import { Duration } from 'luxon';
import type { JsonPath } from '../model/taskLists.js';
import type { DslProblem } from '../problems.js';
import { LruCache } from './lruCache.js';
import { shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import { isRuntimeExpression } from './runtimeExpression.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf } from './taskIndex.js';
import { isObject, objectOrEmpty } from './valueShapes.js';

/** The schema's `durationLiteral`; luxon alone also accepts `P`, `PT`, `P1DT` and `P-1D`. */
const isoDuration =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** Milliseconds per unit of an inline duration. */
const unitMilliseconds = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
} as const;
const durationParts = Object.keys(unitMilliseconds) as Array<keyof typeof unitMilliseconds>;

interface DurationSite {
  path: JsonPath;
  value: unknown;
  /** How a message names it: `wait`, `schedule.every`, `retry delay`. */
  label: string;
  /** What a zero duration would mean, for the fields where zero is surely a mistake. */
  zeroMeans?: string;
}

/** The duration fields of a retry policy. */
function retrySites(policy: unknown, base: JsonPath): DurationSite[] {
  const retry = objectOrEmpty(policy);
  const limit = objectOrEmpty(retry.limit);
  const jitter = objectOrEmpty(retry.jitter);
  return [
    { path: [...base, 'delay'], value: retry.delay, label: 'retry delay' },
    {
      path: [...base, 'limit', 'attempt', 'duration'],
      value: objectOrEmpty(limit.attempt).duration,
      label: 'retry limit.attempt.duration',
    },
    { path: [...base, 'limit', 'duration'], value: limit.duration, label: 'retry limit.duration' },
    { path: [...base, 'jitter', 'from'], value: jitter.from, label: 'retry jitter.from' },
    { path: [...base, 'jitter', 'to'], value: jitter.to, label: 'retry jitter.to' },
  ];
}

const timeoutSite = (timeout: unknown, base: JsonPath): DurationSite[] =>
  isObject(timeout)
    ? [{ path: [...base, 'after'], value: timeout.after, label: 'timeout.after' }]
    : [];

function durationSitesOf({ workflow, index }: SemanticInput): DurationSite[] {
  const use = objectOrEmpty(workflow.use);
  const schedule = objectOrEmpty(workflow.schedule);
  const sites: DurationSite[] = [
    ...timeoutSite(workflow.timeout, ['timeout']),
    {
      path: ['schedule', 'every'],
      value: schedule.every,
      label: 'schedule.every',
      zeroMeans: 'would start the workflow continuously',
    },
    { path: ['schedule', 'after'], value: schedule.after, label: 'schedule.after' },
  ];
  for (const [name, timeout] of Object.entries(objectOrEmpty(use.timeouts))) {
    sites.push(...timeoutSite(timeout, ['use', 'timeouts', name]));
  }
  for (const [name, retry] of Object.entries(objectOrEmpty(use.retries))) {
    sites.push(...retrySites(retry, ['use', 'retries', name]));
  }
  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    const at = (...relative: JsonPath) => [...entry.path, ...relative];
    sites.push(...timeoutSite(task.timeout, at('timeout')));
    if (entry.kind === 'wait') {
      sites.push({
        path: at('wait'),
        value: task.wait,
        label: 'wait',
        zeroMeans: 'waits for no time at all',
      });
    }
    if (entry.kind === 'try') {
      const retry = objectOrEmpty(task.catch).retry;
      if (isObject(retry)) sites.push(...retrySites(retry, at('catch', 'retry')));
    }
    const args = objectOrEmpty(task.with);
    if (task.call === 'asyncapi') {
      const consume = objectOrEmpty(objectOrEmpty(args.subscription).consume);
      sites.push({
        path: at('with', 'subscription', 'consume', 'for'),
        value: consume.for,
        label: 'consume.for',
      });
    }
    if (task.call === 'mcp')
      sites.push({ path: at('with', 'timeout'), value: args.timeout, label: 'timeout' });
    const lifetime = objectOrEmpty(objectOrEmpty(objectOrEmpty(task.run).container).lifetime);
    sites.push({
      path: at('run', 'container', 'lifetime', 'after'),
      value: lifetime.after,
      label: 'lifetime.after',
    });
  }
  return sites.filter((site) => site.value !== undefined);
}

// Luxon looks up the system locale on every parse; workflows repeat the same few durations.
const measuredIso = new LruCache<string, number | string>(1_000);

/** Milliseconds of an ISO 8601 duration, or why it is not one (the engine measures with it too). */
export function measureIso(value: string): number | string {
  let measured = measuredIso.get(value);
  if (measured === undefined) {
    measured = parseIso(value);
    measuredIso.set(value, measured);
  }
  return measured;
}

function parseIso(value: string): number | string {
  const parsed = Duration.fromISO(value);
  if (isoDuration.test(value) && parsed.isValid) return parsed.toMillis();
  const why = parsed.isValid
    ? 'write PnYnMnWnDTnHnMnS with at least one amount, and T only before hours, minutes or seconds'
    : (parsed.invalidExplanation ?? parsed.invalidReason ?? 'unparsable');
  // Luxon's explanation quotes the whole value again.
  return `'${shortened(value, 60)}' is not an ISO 8601 duration such as PT30S or P1DT12H (${shortened(why, 200)})`;
}

/** Milliseconds of a duration, or a reason it is not one; undefined for an expression. */
function measure(value: unknown): number | string | undefined {
  if (typeof value === 'string') return isRuntimeExpression(value) ? undefined : measureIso(value);
  if (isObject(value)) {
    const parts = durationParts.filter((part) => typeof value[part] === 'number');
    const negative = parts.find((part) => (value[part] as number) < 0);
    if (negative !== undefined) return `${negative} is negative; a duration cannot be`;
    return Duration.fromObject(
      Object.fromEntries(parts.map((p) => [p, value[p] as number])),
    ).toMillis();
  }
  return undefined;
}

/**
 * ISO 8601 durations parse (luxon, plus the schema's stricter shape), and a duration that must
 * pass time (`wait`, `schedule.every`) is not zero.
 */
export function checkDurations(input: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const site of durationSitesOf(input)) {
    const measured = measure(site.value);
    if (typeof measured === 'string') {
      problems.push(
        problemAt(input.document, {
          severity: 'error',
          code: 'duration-invalid',
          message: `${site.label}: ${measured}`,
          path: site.path,
        }),
      );
    } else if (measured === 0 && site.zeroMeans !== undefined) {
      problems.push(
        problemAt(input.document, {
          severity: 'warning',
          code: 'duration-invalid',
          message: `${site.label} is zero and ${site.zeroMeans}`,
          path: site.path,
        }),
      );
    }
  }
  return problems;
}
