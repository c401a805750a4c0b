import { isDeepStrictEqual } from 'node:util';
import { load as parseYaml } from 'js-yaml';
import type { CtkScenario, CtkStep } from '../support/ctkFeatures.js';

/** What a scenario's run produced, as the steps inspect it. */
export interface CtkRun {
  status: string;
  output?: unknown;
  error?: Record<string, unknown>;
  /** Names of the top-level tasks in the order they completed. */
  completedTasks: string[];
}

/** A step the runner does not understand is a failure, never a silent pass. */
type StepCheck = (run: CtkRun, step: CtkStep, match: RegExpMatchArray) => string | undefined;

const yamlOf = (step: CtkStep): unknown => parseYaml(step.docString ?? 'null');

function valueAt(value: unknown, path: string): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current))
      return { found: false };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

const show = (value: unknown) => JSON.stringify(value);

/** Every "Then/And" step of the kit, with the assertion it states. */
const checks: Array<[RegExp, StepCheck]> = [
  [
    /^the workflow should complete$/,
    (run) =>
      run.status === 'completed'
        ? undefined
        : `expected completed, got ${run.status} ${show(run.error)}`,
  ],
  [
    /^the workflow should complete with output:$/,
    (run, step) => {
      if (run.status !== 'completed')
        return `expected completed, got ${run.status} ${show(run.error)}`;
      const expected = yamlOf(step);
      return isDeepStrictEqual(run.output, expected)
        ? undefined
        : `output ${show(run.output)} is not ${show(expected)}`;
    },
  ],
  [
    /^the workflow should fault$/,
    (run) => (run.status === 'faulted' ? undefined : `expected faulted, got ${run.status}`),
  ],
  [
    /^the workflow should fault with error:$/,
    (run, step) => {
      if (run.status !== 'faulted') return `expected faulted, got ${run.status}`;
      const expected = yamlOf(step) as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        if (!isDeepStrictEqual(run.error?.[key], value))
          return `error.${key} is ${show(run.error?.[key])}, expected ${show(value)}`;
      }
      return undefined;
    },
  ],
  [
    /^the workflow output should have properties (.+)$/,
    (run, _step, match) => {
      const paths = [...(match[1] as string).matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
      const missing = paths.filter((path) => !valueAt(run.output, path).found);
      return missing.length === 0
        ? undefined
        : `output ${show(run.output)} lacks ${missing.join(', ')}`;
    },
  ],
  [
    /^the workflow output should have a '([^']+)' property with value:$/,
    (run, step, match) => {
      const at = valueAt(run.output, match[1] as string);
      const expected = yamlOf(step);
      return at.found && isDeepStrictEqual(at.value, expected)
        ? undefined
        : `${match[1]} is ${show(at.value)}, expected ${show(expected)}`;
    },
  ],
  [
    /^the workflow output should have a '([^']+)' property containing (\d+) items$/,
    (run, _step, match) => {
      const at = valueAt(run.output, match[1] as string);
      const count = Number(match[2]);
      return Array.isArray(at.value) && at.value.length === count
        ? undefined
        : `${match[1]} is ${show(at.value)}, expected ${count} items`;
    },
  ],
  [
    /^(\w+) should run first$/,
    (run, _s, m) =>
      run.completedTasks[0] === m[1] ? undefined : `first task was ${run.completedTasks[0]}`,
  ],
  [
    /^(\w+) should run last$/,
    (run, _s, m) =>
      run.completedTasks.at(-1) === m[1] ? undefined : `last task was ${run.completedTasks.at(-1)}`,
  ],
  [
    /^(\w+) should run after (\w+)$/,
    (run, _s, m) => {
      const later = run.completedTasks.indexOf(m[1] as string);
      const earlier = run.completedTasks.indexOf(m[2] as string);
      return earlier >= 0 && later > earlier
        ? undefined
        : `order was ${run.completedTasks.join(' → ')}`;
    },
  ],
];

/** The workflow input of a scenario ("And given the workflow input is:"), or an empty object. */
export function scenarioInput(scenario: CtkScenario): unknown {
  const step = scenario.steps.find((s) => s.text.startsWith('given the workflow input is'));
  return step ? yamlOf(step) : {};
}

/** The scenario's assertion steps: everything after "When the workflow is executed". */
export function assertionSteps(scenario: CtkScenario): CtkStep[] {
  const when = scenario.steps.findIndex((s) => s.text === 'the workflow is executed');
  return scenario.steps.slice(when + 1);
}

/** Checks every assertion step; returns the failures (empty when the scenario passes). */
export function checkScenario(scenario: CtkScenario, run: CtkRun): string[] {
  const failures: string[] = [];
  for (const step of assertionSteps(scenario)) {
    const found = checks.find(([pattern]) => pattern.test(step.text));
    if (!found) {
      failures.push(`unknown step: ${step.text}`);
      continue;
    }
    const problem = found[1](run, step, step.text.match(found[0]) as RegExpMatchArray);
    if (problem) failures.push(`${step.keyword} ${step.text}: ${problem}`);
  }
  return failures;
}
