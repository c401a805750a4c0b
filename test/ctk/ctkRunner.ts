import type { EphemeralEngine } from '../../infra/runtime/ephemeralEngine.js';
import type { CtkScenario } from '../support/ctkFeatures.js';
import type { CtkServer } from '../support/servers/index.js';
import { checkScenario, scenarioInput } from './ctkSteps.js';
import type { CtkRun } from './ctkSteps.js';

export interface CtkResult {
  scenario: CtkScenario;
  failures: string[];
}

/**
 * Runs one conformance scenario on a real engine: the document with its public hosts pointed
 * at the local stand-in server, the scenario's input, then every assertion the feature states.
 */
export async function runScenario(
  engine: EphemeralEngine,
  server: CtkServer,
  scenario: CtkScenario,
): Promise<CtkResult> {
  try {
    const result = await engine.run(server.rewrite(scenario.workflow), scenarioInput(scenario));
    const events = await engine.engine.readEvents(result.executionId);
    const completedTasks = events
      .filter((event) => event.type === 'TaskCompleted')
      .map((event) => event.data as { taskPath: string; taskName: string })
      .filter((data) => /^\/do\/\d+\/[^/]+$/.test(data.taskPath))
      .map((data) => data.taskName);
    const run: CtkRun = {
      status: result.status,
      ...(result.output === undefined ? {} : { output: result.output }),
      ...(result.error ? { error: result.error as unknown as Record<string, unknown> } : {}),
      completedTasks,
    };
    return { scenario, failures: checkScenario(scenario, run) };
  } catch (error) {
    return { scenario, failures: [`the run failed: ${(error as Error).message}`] };
  }
}

/** `N passed, N failed`, the line the kit's result is reported with. */
export function summarize(results: readonly CtkResult[]): string {
  const failed = results.filter((result) => result.failures.length > 0).length;
  return `CTK: ${results.length - failed} passed, ${failed} failed`;
}
