import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../llm/index.js';
import type { ModelRouter, RouteCall, RoutedAnswer } from '../llm/modelRouter.js';
import { createMeteredCalls } from './meteredCalls.js';

const answer = (inputTokens: number, outputTokens: number, costMicroUsd: number): RoutedAnswer => ({
  provider: 'openai',
  model: `m-${inputTokens}`,
  usage: { inputTokens, outputTokens },
  usageEstimated: false,
  costMicroUsd,
  priced: true,
  finishReason: 'stop',
  firstChunkMs: 1,
});

/** A router answering each call with the next scripted answer, after one text chunk. */
function scriptedRouter(answers: RoutedAnswer[]) {
  const calls: RouteCall[] = [];
  const router: ModelRouter = {
    stream(call) {
      calls.push(call);
      const next = answers[calls.length - 1]!;
      call.onSwitch?.({
        fromProvider: 'a',
        fromModel: 'x',
        provider: 'b',
        toModel: 'y',
        reason: 'failover',
        detail: 'down',
      });
      const chunks: ChatChunk[] = [{ type: 'text', text: 'hi' }];
      return Object.assign(
        (async function* () {
          yield* chunks;
        })(),
        { answer: Promise.resolve(next) },
      );
    },
    circuitStatus: () => 'closed',
  };
  return { router, calls };
}

describe('metered calls of a turn', () => {
  it('routes every call with the turn’s policy and adds up their usage and switches', async () => {
    const { router, calls } = scriptedRouter([answer(1000, 9, 20), answer(50, 1, 3)]);
    const policy = { candidates: [{ provider: 'openai', model: 'm' }] };
    const metered = createMeteredCalls(router, 'bistro', policy);
    for (const _ of [1, 2]) for await (const chunk of metered.call({ messages: [] })) void chunk;
    expect(calls.map((call) => [call.accountId, call.policy])).toEqual([
      ['bistro', policy],
      ['bistro', policy],
    ]);
    expect(metered.usage()).toEqual({ inputTokens: 1050, outputTokens: 10, costMicroUsd: 23 });
    expect(metered.answers.at(-1)!.model).toBe('m-50');
    expect(metered.switches).toHaveLength(2);
  });

  it('counts an answer only once its stream has been read to the end', async () => {
    const { router } = scriptedRouter([answer(10, 1, 0)]);
    const metered = createMeteredCalls(router, 'bistro', undefined);
    const stream = metered.call({ messages: [] })[Symbol.asyncIterator]();
    await stream.next();
    expect(metered.usage().inputTokens).toBe(0);
    await stream.next();
    expect(metered.usage().inputTokens).toBe(10);
  });
});
