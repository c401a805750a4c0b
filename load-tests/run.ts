import { spawnSync } from 'node:child_process';
import { realServicesReachable } from './realServicesCheck.js';
import { appendThroughputBenchmark } from './appendThroughput.js';
import { avroCodecBenchmark } from './avroCodec.js';
import { coldStartBenchmark } from './coldStart.js';
import { dslValidationBenchmark } from './dslValidation.js';
import { engineOverheadBenchmark } from './engineOverhead.js';
import { httpWorkflowBenchmark } from './httpWorkflow.js';
import { waitingExecutionsBenchmark } from './waitingExecutions.js';
import { eventLatencyBenchmark } from './eventLatency.js';
import { gatewayThroughputBenchmark } from './gatewayThroughput.js';
import { authenticatedGatewayBenchmark } from './authenticatedGateway.js';
import { jqEvaluationBenchmark } from './jqEvaluation.js';
import { kafkaClientsBenchmark } from './kafkaClients.js';
import { rateLimitAccuracyBenchmark } from './rateLimitAccuracy.js';
import { tenantSliceBenchmark } from './tenantSliceLatency.js';
import { dslGenerationBenchmark } from './dslGeneration.js';
import { dslGenerationThroughAwpBenchmark } from './dslGenerationThroughAwp.js';
import { agentTimeToFirstTokenBenchmark } from './agentStreaming.js';
import { agentSplitStreamingBenchmark } from './agentSplitStreaming.js';
import { agentConcurrentStreamsBenchmark } from './agentConcurrentStreams.js';

/**
 * `npm run bench [-- names...]`: prints each figure next to its same-run baseline. Needs
 * `npm run build` (benchmarks start the built CLI) and, for the real-service rows,
 * `npm run services:up`.
 */
const all = [
  'cold-start',
  'slice',
  'gateway',
  'auth-gateway',
  'append',
  'latency',
  'avro',
  'kafka',
  'dsl',
  'jq',
  'engine',
  'http-workflow',
  'waiting',
  'rate-limit',
  'dsl-generation',
  'agent-ttft',
  'agent-ttft-split',
  'agent-streams',
] as const;
// The load generator (this process) stays on CPU 1; servers are started on CPU 0.
spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(all as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (available: ${all.join(', ')})`);
  process.exit(2);
}
const run = (name: (typeof all)[number]) => chosen.length === 0 || chosen.includes(name);

if (run('cold-start')) await coldStartBenchmark();
if (run('slice')) await tenantSliceBenchmark({ real: await realServicesReachable() });
if (run('gateway')) await gatewayThroughputBenchmark();
if (run('auth-gateway')) await authenticatedGatewayBenchmark();
if (run('append')) await appendThroughputBenchmark({ real: await realServicesReachable() });
if (run('latency')) await eventLatencyBenchmark({ real: await realServicesReachable() });
if (run('avro')) await avroCodecBenchmark();
// Needs the local Kafka broker: both clients are measured against it in the same run.
if (run('kafka') && (await realServicesReachable())) await kafkaClientsBenchmark();
if (run('dsl')) await dslValidationBenchmark();
if (run('jq')) await jqEvaluationBenchmark();
if (run('engine')) await engineOverheadBenchmark();
if (run('http-workflow')) await httpWorkflowBenchmark();
if (run('waiting')) await waitingExecutionsBenchmark();
// A minute per limiter at the default AWP_BENCH_RATE_SECONDS; the Redis row needs services:up.
if (run('rate-limit')) await rateLimitAccuracyBenchmark({ real: await realServicesReachable() });
if (run('dsl-generation')) {
  await dslGenerationBenchmark();
  await dslGenerationThroughAwpBenchmark();
}
if (run('agent-ttft')) await agentTimeToFirstTokenBenchmark();
// Needs services:up: the split runs the distributed profile.
if (run('agent-ttft-split') && (await realServicesReachable()))
  await agentSplitStreamingBenchmark();
if (run('agent-streams')) await agentConcurrentStreamsBenchmark();
process.exit(0);
