import { createJqExpressionEngine } from '../infra/jq/index.js';
import { startEphemeralEngine } from '../infra/runtime/ephemeralEngine.js';
import { fmt, freePort, percentile, startServerProcess } from './serverProcess.js';

const executions = 300;
const warmUp = 30;

const workflowFor = (base: string) => `
document: { dsl: '1.0.3', namespace: bench, name: three-calls, version: '1.0.0' }
do:
  - checkStock:
      call: http
      with: { method: get, endpoint: ${base}/stock/bun }
  - createOrder:
      call: http
      with:
        method: post
        endpoint: ${base}/orders
        body: { items: [ { sku: '\${ .sku }', quantity: 1 } ] }
  - readOrder:
      call: http
      with: { method: get, endpoint: '${base}/orders/{orderId}' }
`;

/** The same three calls, sequentially, with fetch: what a hand-written script would do. */
async function plainScript(base: string): Promise<void> {
  const stock = (await (await fetch(`${base}/stock/bun`)).json()) as { sku: string };
  const order = (await (
    await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: stock.sku, quantity: 1 }] }),
    })
  ).json()) as { orderId: string };
  await (await fetch(`${base}/orders/${order.orderId}`)).json();
}

const summary = (label: string, samples: number[], totalMs: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `  ${label.padEnd(22)} p50 ${fmt(percentile(sorted, 50), 2).padStart(6)} ms   p99 ${fmt(percentile(sorted, 99), 2).padStart(6)} ms   ${fmt((samples.length / totalMs) * 1000, 0).padStart(5)} executions/s`;
};

/**
 * A 3-call HTTP workflow (GET, POST with a body from the first answer, GET with a URI
 * template) on the embedded engine against a local server in another process, start → complete
 * latency, next to the same three fetch calls made sequentially by a plain script.
 */
export async function httpWorkflowBenchmark(): Promise<void> {
  const port = await freePort();
  const server = await startServerProcess(
    ['load-tests/customerApiServer.js'],
    { PORT: String(port) },
    port,
    '/healthz',
  );
  const base = `http://127.0.0.1:${port}`;
  const jq = await createJqExpressionEngine();
  const engine = await startEphemeralEngine({ expressions: jq, allowHosts: [`127.0.0.1:${port}`] });
  try {
    const workflow = await engine.add(workflowFor(base));
    const runOnce = async () => {
      const started = performance.now();
      const { executionId } = await engine.engine.startExecution({
        accountId: 'bench',
        workflowId: workflow.workflowId,
        version: workflow.version,
        input: {},
        trigger: 'api',
        actor: { type: 'system', id: 'bench' },
        correlationId: 'bench',
      });
      const state = await engine.engine.awaitEnd(executionId);
      if (state.status !== 'completed')
        throw new Error(`bench execution ${state.status}: ${JSON.stringify(state.error)}`);
      return performance.now() - started;
    };
    const plainOnce = async () => {
      const started = performance.now();
      await plainScript(base);
      return performance.now() - started;
    };
    for (let i = 0; i < warmUp; i++) {
      await runOnce();
      await plainOnce();
    }
    const ours: number[] = [];
    const plain: number[] = [];
    let oursMs = 0;
    let plainMs = 0;
    // Interleaved, so both see the same machine state.
    for (let i = 0; i < executions; i++) {
      const a = await runOnce();
      const b = await plainOnce();
      ours.push(a);
      plain.push(b);
      oursMs += a;
      plainMs += b;
    }
    const p50 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const target = 2 * p50(plain) + 5;
    console.log(
      `\n3-call HTTP workflow, embedded engine, ${executions} sequential executions (server in its own process)`,
    );
    console.log(summary('AWP workflow', ours, oursMs));
    console.log(summary('plain fetch script', plain, plainMs));
    console.log(
      `  target: p50 < 2 × ${fmt(p50(plain), 2)} + 5 = ${fmt(target, 2)} ms: ${p50(ours) < target ? 'met' : 'NOT met'}`,
    );
  } finally {
    await engine.stop();
    jq.close?.();
    await server.stop();
  }
}
