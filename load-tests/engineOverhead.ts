import { createJqExpressionEngine } from '../infra/jq/index.js';
import { startEphemeralEngine } from '../infra/runtime/ephemeralEngine.js';
import { fmt } from './serverProcess.js';

const taskCount = 100;
const rounds = 5;
const executionsPerRound = 20;

/** The benchmark workflow: 100 `set` tasks, each with two jq expressions over the data so far. */
export function setWorkflow(tasks: number): string {
  const lines = [
    `document: { dsl: '1.0.3', namespace: bench, name: set-${tasks}, version: '1.0.0' }`,
    'do:',
  ];
  for (let i = 0; i < tasks; i++) {
    lines.push(
      `  - step${i}:`,
      '      set:',
      `        n: '\${ .n + 1 }'`,
      `        label: '\${ "step-" + (.n | tostring) }'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const expressions = ['.n + 1', '"step-" + (.n | tostring)'];

/**
 * Engine overhead: executions of a 100-task `set` workflow on the embedded profile (PGlite in
 * this process, so one core does everything), every task's event persisted. Baseline: the same
 * jq expressions, compiled once, evaluated in a plain loop on the same jq engine.
 */
export async function engineOverheadBenchmark(): Promise<void> {
  const jq = await createJqExpressionEngine();
  const engine = await startEphemeralEngine({ expressions: jq });
  const text = setWorkflow(taskCount);
  try {
    const workflow = await engine.add(text);
    const runOnce = async () => {
      const { executionId } = await engine.engine.startExecution({
        accountId: 'bench',
        workflowId: workflow.workflowId,
        version: workflow.version,
        input: { n: 0 },
        trigger: 'api',
        actor: { type: 'system', id: 'bench' },
        correlationId: 'bench',
      });
      const state = await engine.engine.awaitEnd(executionId);
      if (state.status !== 'completed') throw new Error(`bench execution ${state.status}`);
      return executionId;
    };
    for (let i = 0; i < 5; i++) await runOnce();
    const events = (await engine.engine.readEvents(await runOnce())).length;

    const engineRates: number[] = [];
    const baselineRates: number[] = [];
    const compiled = expressions.map((program) => jq.compile(program, []));
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      for (let i = 0; i < executionsPerRound; i++) await runOnce();
      engineRates.push((executionsPerRound * taskCount) / ((performance.now() - started) / 1000));

      const loopStarted = performance.now();
      let data: Record<string, unknown> = { n: 0 };
      for (let i = 0; i < executionsPerRound * taskCount; i++) {
        const [n] = (compiled[0] as (typeof compiled)[number]).run(data, {});
        const [label] = (compiled[1] as (typeof compiled)[number]).run(data, {});
        data = { n, label };
      }
      baselineRates.push(
        (executionsPerRound * taskCount) / ((performance.now() - loopStarted) / 1000),
      );
    }
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    console.log(
      `\nEngine overhead: ${taskCount}-task set workflow, embedded (PGlite), one core, ${events} events per execution`,
    );
    console.log(
      `  engine    ${fmt(median(engineRates), 0).padStart(8)} tasks/s   rounds: ${engineRates.map((r) => fmt(r, 0)).join(', ')}`,
    );
    console.log(
      `  jq loop   ${fmt(median(baselineRates), 0).padStart(8)} tasks/s   (same expressions, no engine, no events)`,
    );
    console.log(
      `  target    ≥ 2000 tasks/s with events persisted: ${median(engineRates) >= 2000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await engine.stop();
    jq.close?.();
  }
}
