import { authorReply } from '../domains/agent/generation/workflowAuthor.js';
import type { ModelCall } from '../domains/agent/generation/workflowAuthor.js';
import type { CatalogOperation } from '../domains/agent/connectors/catalogOperation.js';
import type { ChatChunk } from '../domains/agent/llm/llmProvider.js';
import { createModelRouter } from '../domains/agent/llm/modelRouter.js';
import { createOpenAiCompatibleProvider } from '../infra/llm/openAiCompatibleProvider.js';
import { startFakeOpenAiServer } from '../test/support/fakeLlm/index.js';
import { fmt, percentile } from './serverProcess.js';

const documentUri = 'https://kitchen.bench.invalid/openapi.json';
const operations: CatalogOperation[] = [
  {
    connectorId: 'c1',
    connectorName: 'kitchen',
    documentUri,
    operationId: 'getCapacity',
    method: 'get',
    path: '/capacity',
    summary: 'How many more orders the kitchen can take now',
    parameters: [],
    requestBodyRequired: false,
    effect: 'read',
    security: [],
  },
  {
    connectorId: 'c1',
    connectorName: 'kitchen',
    documentUri,
    operationId: 'scheduleOrder',
    method: 'post',
    path: '/schedules',
    parameters: [],
    requestBodyRequired: true,
    effect: 'write',
    security: [],
  },
];

/** The workflow the fake model proposes, calling the kitchen API whose document is at `uri`. */
export const authoredWorkflow = (
  uri: string,
) => `document: { dsl: '1.0.3', namespace: orders, name: intake, version: '1.0.0' }
do:
  - capacity:
      call: openapi
      with: { document: { endpoint: '${uri}' }, operationId: getCapacity }
  - decide:
      switch:
        - room: { when: '\${ .available > 0 }', then: schedule }
        - default: { then: reject }
  - schedule:
      call: openapi
      with:
        document: { endpoint: '${uri}' }
        operationId: scheduleOrder
        parameters: { orderId: '\${ $workflow.input.orderId }', items: '\${ $workflow.input.items }' }
      then: end
  - reject: { set: { status: rejected } }
`;
/** The same, first proposed with an operation the catalog lacks: one repair round follows. */
export const misnamedWorkflow = (uri: string) =>
  authoredWorkflow(uri).replace('operationId: getCapacity', 'operationId: getCapacityNow');
const valid = authoredWorkflow(documentUri);
const invalid = misnamedWorkflow(documentUri);

async function drain(stream: AsyncIterable<ChatChunk>): Promise<void> {
  for await (const chunk of stream) void chunk;
}

/**
 * A DSL generation round trip with the fake OpenAI server over real HTTP: the model proposes a
 * workflow naming an operation the catalog lacks, the platform validates and grounds it, asks
 * for a repair, and validates the repaired one. Platform time is the round trip minus the same
 * two model calls made directly with the SDK, measured in alternation in the same run.
 */
export async function dslGenerationBenchmark(iterations = 200): Promise<void> {
  const fake = await startFakeOpenAiServer();
  fake.handle((request) => {
    const body = request.body as { tools?: unknown[] };
    return body.tools
      ? { toolCalls: [{ name: 'propose_workflow', arguments: { document: invalid } }] }
      : { text: JSON.stringify({ document: valid }) };
  });
  const provider = createOpenAiCompatibleProvider({
    name: 'openai',
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
  });
  const router = createModelRouter({
    providers: new Map([['openai', provider]]),
    prices: {},
    clock: { now: () => new Date() },
  });
  const policy = { candidates: [{ provider: 'openai', model: 'fake-model' }] };
  const call: ModelCall = (request) => router.stream({ accountId: 'bench', policy, request });
  const context = { operations, secretNames: [] };
  const turns = [{ role: 'user' as const, content: 'check capacity, then schedule or reject' }];
  const roundTrip = async () => {
    for await (const event of authorReply(call, context, turns, { maxRepairRounds: 2 })) {
      if (event.type === 'reply' && !event.reply.proposal?.check.valid) {
        throw new Error('the repaired draft should validate');
      }
    }
  };
  const direct = async () => {
    await drain(
      provider.stream({
        model: 'fake-model',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ name: 'propose_workflow', description: 'x', parameters: { type: 'object' } }],
      }),
    );
    await drain(
      provider.stream({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }),
    );
  };
  try {
    for (let i = 0; i < 20; i++) {
      await roundTrip();
      await direct();
    }
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < iterations; i++) {
      let started = performance.now();
      await roundTrip();
      ours.push(performance.now() - started);
      started = performance.now();
      await direct();
      baseline.push(performance.now() - started);
    }
    const platform = ours.map((ms, i) => ms - (baseline[i] as number)).sort((a, b) => a - b);
    ours.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    console.log(
      `\n## DSL generation round trip (propose + validate + ground + 1 repair + validate), fake OpenAI over HTTP, ${iterations} runs (target: platform time p50 < 100 ms)`,
    );
    console.log(
      `baseline: the same 2 model calls direct via the SDK   p50 ${fmt(percentile(baseline, 50))} ms  p99 ${fmt(percentile(baseline, 99))} ms`,
    );
    console.log(
      `AWP round trip                                       p50 ${fmt(percentile(ours, 50))} ms  p99 ${fmt(percentile(ours, 99))} ms`,
    );
    console.log(
      `platform time (round trip - baseline)                p50 ${fmt(percentile(platform, 50))} ms  p99 ${fmt(percentile(platform, 99))} ms`,
    );
  } finally {
    await fake.close();
  }
}
