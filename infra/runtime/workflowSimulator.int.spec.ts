import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpressionEngine, SimulationRequest } from '../../domains/workflow/index.js';
import { createJqExpressionEngine } from '../jq/index.js';
import { createWorkflowSimulator } from './workflowSimulator.js';

/** The same workflow (name and version) each time: what two users dry-running one draft send. */
const fetchStatus = (
  extra = '',
) => `document: { dsl: '1.0.3', namespace: kitchen, name: status, version: '1.0.0' }
do:
${extra}  - ask:
      call: http
      with: { method: get, endpoint: https://kitchen.example/status }
      export: { as: '$context + { status: .status }' }
  - answer: { set: { status: '\${ $context.status }' } }
`;

const request = (document: string, status: string): SimulationRequest => ({
  accountId: 'acme',
  document,
  input: {},
  documents: {},
  responses: [
    { method: 'GET', url: 'https://kitchen.example/status', status: 200, body: { status } },
  ],
});

let expressions: ExpressionEngine;
beforeAll(async () => {
  expressions = await createJqExpressionEngine({ timeoutMs: 1_000 });
});

describe('the dry-run simulator', () => {
  const simulator = () => createWorkflowSimulator({ expressions, idleMs: 100 });
  const opened: Array<ReturnType<typeof simulator>> = [];
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('runs dry runs of the same workflow side by side, each with its own responses', async () => {
    const sim = simulator();
    opened.push(sim);
    const results = await Promise.all(
      ['open', 'busy', 'closed', 'open'].map((status) =>
        sim.simulate(request(fetchStatus(), status)),
      ),
    );
    expect(results.map((result) => result.output)).toEqual([
      { status: 'open' },
      { status: 'busy' },
      { status: 'closed' },
      { status: 'open' },
    ]);
    for (const result of results) {
      expect(result.calls).toEqual([
        { method: 'GET', url: 'https://kitchen.example/status', status: 200, mocked: true },
      ]);
    }
  }, 60_000);

  it('does not hold a quick dry run behind a slow one', async () => {
    const sim = simulator();
    opened.push(sim);
    await sim.simulate(request(fetchStatus(), 'warm')); // the engine started
    const finished: string[] = [];
    const slow = sim
      .simulate(request(fetchStatus('  - pause: { wait: { seconds: 1 } }\n'), 'slow'))
      .then(() => finished.push('slow'));
    const quick = sim.simulate(request(fetchStatus(), 'quick')).then(() => finished.push('quick'));
    await Promise.all([slow, quick]);
    expect(finished).toEqual(['quick', 'slow']);
  }, 60_000);

  it('starts its engine again after stopping it when idle', async () => {
    const sim = simulator();
    opened.push(sim);
    expect((await sim.simulate(request(fetchStatus(), 'first'))).output).toEqual({
      status: 'first',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await sim.simulate(request(fetchStatus(), 'second'))).output).toEqual({
      status: 'second',
    });
  }, 60_000);

  it('refuses a dry run when too many are waiting, saying to try again', async () => {
    const sim = createWorkflowSimulator({ expressions, concurrency: 1, maxWaiting: 1 });
    opened.push(sim);
    const slow = request(fetchStatus('  - pause: { wait: { seconds: 1 } }\n'), 'slow');
    const running = sim.simulate(slow);
    const waiting = sim.simulate(slow);
    await expect(sim.simulate(slow)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'too many dry runs at once (1 running, 1 waiting): try again shortly',
    });
    expect((await running).status).toBe('completed');
    expect((await waiting).status).toBe('completed');
  }, 60_000);

  it('refuses dry runs once closed', async () => {
    const sim = simulator();
    await sim.close();
    await expect(sim.simulate(request(fetchStatus(), 'late'))).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});
