import type { EventEnvelope } from '../../contracts/index.js';
import type { ExecutionState } from '../../domains/workflow/index.js';
import { createJqExpressionEngine } from '../../infra/jq/index.js';
import type { JqExpressionEngine, JqExpressionEngineOptions } from '../../infra/jq/index.js';
import { startEphemeralEngine } from '../../infra/runtime/ephemeralEngine.js';
import type {
  EphemeralEngine,
  EphemeralEngineOptions,
} from '../../infra/runtime/ephemeralEngine.js';

/** An ephemeral engine on real jq, with the shortcuts the engine suites share. */
export interface EngineUnderTest extends EphemeralEngine {
  jq: JqExpressionEngine;
  /** Adds the document and starts an execution without waiting for it. */
  start(text: string, input?: unknown): Promise<string>;
  /** The execution's events, in stream order. */
  events(executionId: string): Promise<EventEnvelope[]>;
  /** The data of the execution's events of one type, in stream order. */
  eventsOfType<T = Record<string, unknown>>(executionId: string, type: string): Promise<T[]>;
  awaitEnd(executionId: string): Promise<ExecutionState>;
}

export const actor = { type: 'user', id: 'engine-tests' } as const;
export const account = 'local';

export async function startEngineUnderTest(
  options: Omit<EphemeralEngineOptions, 'expressions'> & { jq?: JqExpressionEngineOptions } = {},
): Promise<EngineUnderTest> {
  const { jq: jqOptions, ...engineOptions } = options;
  const jq = await createJqExpressionEngine(jqOptions);
  const ephemeral = await startEphemeralEngine({ ...engineOptions, expressions: jq });
  const { engine } = ephemeral;

  async function start(text: string, input: unknown = {}): Promise<string> {
    const added = await ephemeral.add(text);
    const { executionId } = await engine.startExecution({
      accountId: account,
      workflowId: added.workflowId,
      version: added.version,
      input,
      trigger: 'api',
      actor,
      correlationId: 'engine-tests',
    });
    return executionId;
  }

  async function eventsOfType<T>(executionId: string, type: string): Promise<T[]> {
    const events = await engine.readEvents(executionId);
    return events.filter((event) => event.type === type).map((event) => event.data as T);
  }

  return {
    ...ephemeral,
    jq,
    start,
    events: (executionId) => engine.readEvents(executionId),
    eventsOfType,
    awaitEnd: (executionId) => engine.awaitEnd(executionId),
    async stop() {
      await ephemeral.stop();
      await jq.close();
    },
  };
}

/** The output a completed execution recorded. */
export function outputOf(state: ExecutionState): unknown {
  return state.outputJson === null ? null : (JSON.parse(state.outputJson) as unknown);
}
