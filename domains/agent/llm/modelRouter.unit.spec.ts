import { describe, expect, it } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import { answer, scriptedProvider } from '../../../test/support/fakeLlm/scriptedProvider.js';
import type { ScriptedProvider } from '../../../test/support/fakeLlm/scriptedProvider.js';
import { collectAnswer } from './collectAnswer.js';
import { LlmProviderError } from './llmProvider.js';
import type { ChatChunk } from './llmProvider.js';
import type { ModelPolicy } from './modelPolicy.js';
import { createModelRouter, noModelConfiguredMessage } from './modelRouter.js';
import type { ModelRouterOptions, ModelSwitch, RouteCall } from './modelRouter.js';

const unavailable = (name: string) =>
  new LlmProviderError(name, 'unavailable', `${name} answered 503`, { status: 503 });

const twoModels: ModelPolicy = {
  candidates: [
    { provider: 'primary', model: 'big-model' },
    { provider: 'backup', model: 'small-model' },
  ],
};

function manualClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function routerOver(providers: ScriptedProvider[], options: Partial<ModelRouterOptions> = {}) {
  const clock = manualClock();
  const router = createModelRouter({
    providers: new Map(providers.map((p) => [p.name, p])),
    prices: {
      'big-model': { inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
      'small-model': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
    },
    clock,
    ...options,
  });
  const switches: ModelSwitch[] = [];
  const ask = (call: Partial<RouteCall> = {}) =>
    collectAnswer(
      router.stream({
        accountId: 'acme',
        policy: twoModels,
        request: { messages: [{ role: 'user', content: 'Hello there' }] },
        onSwitch: (change) => switches.push(change),
        ...call,
      }),
    );
  return { router, clock, switches, ask };
}

async function failureOf(promise: Promise<unknown>): Promise<AwpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  return error as AwpError;
}

describe('the model router', () => {
  it('answers from the preferred model and prices the call from the table', async () => {
    const primary = scriptedProvider('primary', {
      chunks: answer('Hi, how can I help?', { input: 1000, output: 200 }),
    });
    const { ask, switches } = routerOver([primary, scriptedProvider('backup')]);
    const got = await ask();
    expect(got).toMatchObject({
      text: 'Hi, how can I help?',
      provider: 'primary',
      model: 'big-model',
      usage: { inputTokens: 1000, outputTokens: 200 },
      usageEstimated: false,
      // 1000 × 3 + 200 × 15 micro-dollars
      costMicroUsd: 6000,
      priced: true,
      finishReason: 'stop',
    });
    expect(primary.requests[0]).toMatchObject({ model: 'big-model', maxOutputTokens: 4096 });
    expect(switches).toEqual([]);
  });

  it('fails over to the next model when the first fails before answering, and says so', async () => {
    const primary = scriptedProvider('primary', { chunks: [], error: unavailable('primary') });
    const backup = scriptedProvider('backup', { chunks: answer('from backup') });
    const { ask, switches } = routerOver([primary, backup]);
    const got = await ask();
    expect(got).toMatchObject({ text: 'from backup', provider: 'backup', model: 'small-model' });
    expect(switches).toEqual([
      {
        fromProvider: 'primary',
        fromModel: 'big-model',
        provider: 'backup',
        toModel: 'small-model',
        reason: 'failover',
        detail: 'primary answered 503',
      },
    ]);
  });

  it('fails over when the first chunk does not come in time, and cancels the slow request', async () => {
    const primary = scriptedProvider('primary', { hang: true });
    const backup = scriptedProvider('backup', { chunks: answer('quick') });
    const { ask, switches } = routerOver([primary, backup], { firstChunkTimeoutMs: 20 });
    expect((await ask()).text).toBe('quick');
    expect(switches[0]).toMatchObject({
      reason: 'failover',
      detail: expect.stringMatching(/20 ms/),
    });
    expect(primary.aborted).toBe(1);
  });

  it('opens the circuit after three failures, skips the provider, and tries it again after half-open', async () => {
    const primary = scriptedProvider(
      'primary',
      { chunks: [], error: unavailable('primary') },
      { chunks: [], error: unavailable('primary') },
      { chunks: [], error: unavailable('primary') },
      { chunks: answer('recovered') },
    );
    const backup = scriptedProvider('backup', { chunks: answer('from backup') });
    const { ask, switches, router, clock } = routerOver([primary, backup]);
    for (let call = 0; call < 3; call += 1) await ask();
    expect(router.circuitStatus('primary')).toBe('open');

    switches.length = 0;
    expect((await ask()).provider).toBe('backup');
    expect(primary.requests).toHaveLength(3);
    expect(switches).toMatchObject([{ fromProvider: 'primary', reason: 'circuit_open' }]);

    clock.advance(29_000);
    expect((await ask()).provider).toBe('backup');
    clock.advance(1_000);
    expect(await ask()).toMatchObject({ provider: 'primary', text: 'recovered' });
    expect(router.circuitStatus('primary')).toBe('closed');
  });

  it('ends the stream with the error when a model fails after its first token, without switching', async () => {
    const primary = scriptedProvider('primary', {
      chunks: [{ type: 'text', text: 'The answer is' }],
      error: unavailable('primary'),
    });
    const backup = scriptedProvider('backup');
    const { router, switches } = routerOver([primary, backup]);
    const stream = router.stream({
      accountId: 'acme',
      policy: twoModels,
      request: { messages: [{ role: 'user', content: 'What is it?' }] },
    });
    const received: ChatChunk[] = [];
    const error = await failureOf(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    );
    expect(received).toEqual([{ type: 'text', text: 'The answer is' }]);
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/primary \(big-model\) failed after its answer had begun/);
    await expect(stream.answer).rejects.toBe(error);
    expect(backup.requests).toHaveLength(0);
    expect(switches).toEqual([]);
  });

  it('passes over a model whose maximum cost is over the cap', async () => {
    const primary = scriptedProvider('primary');
    const backup = scriptedProvider('backup', { chunks: answer('cheap') });
    const { ask, switches } = routerOver([primary, backup]);
    // big-model: 4096 output tokens × 15 ≈ 61 440 micro-USD; small-model ≈ 2 458.
    const got = await ask({ policy: { ...twoModels, maxCostMicroUsdPerCall: 10_000 } });
    expect(got.provider).toBe('backup');
    expect(primary.requests).toHaveLength(0);
    expect(switches).toMatchObject([{ reason: 'cost_cap', toModel: 'small-model' }]);
  });

  it('refuses the call when every model is over the cap', async () => {
    const { ask } = routerOver([scriptedProvider('primary'), scriptedProvider('backup')]);
    const error = await failureOf(ask({ policy: { ...twoModels, maxCostMicroUsdPerCall: 100 } }));
    expect(error.code).toBe('unavailable');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/over the cap of 100/);
  });

  it('checks the budget before calling any model', async () => {
    const primary = scriptedProvider('primary');
    const budget = {
      assertWithinBudget: (accountId: string) =>
        Promise.reject(new AwpError('quota_exceeded', `${accountId} used its LLM tokens`)),
    };
    const { ask } = routerOver([primary, scriptedProvider('backup')], { budget });
    const error = await failureOf(ask());
    expect(error).toMatchObject({ code: 'quota_exceeded', message: 'acme used its LLM tokens' });
    expect(primary.requests).toHaveLength(0);
  });

  it('says how to configure a model when there is none', async () => {
    const { ask } = routerOver([]);
    const error = await failureOf(ask({ policy: undefined }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(noModelConfiguredMessage);
    const unknown = await failureOf(
      ask({ policy: { candidates: [{ provider: 'azure', model: 'gpt-x' }] } }),
    );
    expect(unknown.message).toContain("provider 'azure' is not configured");
  });

  it('names each provider and why it failed when none could answer', async () => {
    const primary = scriptedProvider('primary', { chunks: [], error: unavailable('primary') });
    const backup = scriptedProvider('backup', {
      chunks: [],
      error: new LlmProviderError('backup', 'authentication', 'backup refused the API key'),
    });
    const { ask } = routerOver([primary, backup]);
    const error = await failureOf(ask());
    expect(error.code).toBe('unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'no language model could answer: primary (big-model): primary answered 503; ' +
        'backup (small-model): backup refused the API key',
    );
  });

  it('does not hand filtered content to another model', async () => {
    const primary = scriptedProvider('primary', {
      chunks: [],
      error: new LlmProviderError('primary', 'content_filtered', 'flagged by the content filter'),
    });
    const backup = scriptedProvider('backup');
    const { ask } = routerOver([primary, backup]);
    expect((await failureOf(ask())).code).toBe('validation');
    expect(backup.requests).toHaveLength(0);
  });

  it('estimates usage when the server reports none', async () => {
    const { ask } = routerOver([scriptedProvider('primary', { chunks: answer('12345678') })]);
    const got = await ask({ policy: { candidates: [twoModels.candidates[0]!] } });
    expect(got).toMatchObject({
      usageEstimated: true,
      usage: { inputTokens: 3, outputTokens: 2 },
      costMicroUsd: 3 * 3 + 2 * 15,
    });
  });

  it('gives an unpriced model a cost of 0, flagged as unknown', async () => {
    const local = scriptedProvider('local', { chunks: answer('hi', { input: 10, output: 5 }) });
    const { ask } = routerOver([local]);
    const got = await ask({ policy: { candidates: [{ provider: 'local', model: 'llama3' }] } });
    expect(got).toMatchObject({ costMicroUsd: 0, priced: false });
  });

  it('stops the provider when the caller stops reading', async () => {
    const primary = scriptedProvider('primary', { chunks: answer('one two three four') });
    const { router } = routerOver([primary]);
    const stream = router.stream({
      accountId: 'acme',
      policy: twoModels,
      request: { messages: [] },
    });
    for await (const chunk of stream) if (chunk.type === 'text') break;
    expect(primary.aborted).toBe(1);
    await expect(stream.answer).rejects.toThrow(/not read to its end/);
  });

  it('neither fails over nor counts a failure when the caller aborts', async () => {
    const primary = scriptedProvider('primary', { hang: true });
    const backup = scriptedProvider('backup');
    const { ask, router } = routerOver([primary, backup]);
    const caller = new AbortController();
    const asked = ask({ request: { messages: [], signal: caller.signal } });
    setTimeout(() => caller.abort(new Error('user went away')), 5);
    await expect(asked).rejects.toThrow('user went away');
    expect(backup.requests).toHaveLength(0);
    expect(router.circuitStatus('primary')).toBe('closed');
  });
});
