import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../../domains/agent/llm/collectAnswer.js';
import { createModelRouter } from '../../domains/agent/llm/modelRouter.js';
import type { ModelSwitch } from '../../domains/agent/llm/modelRouter.js';
import { startFakeAnthropicServer } from '../../test/support/fakeLlm/fakeAnthropicServer.js';
import type { FakeAnthropicServer } from '../../test/support/fakeLlm/fakeAnthropicServer.js';
import { fakeEmbedding } from '../../test/support/fakeLlm/fakeEmbeddings.js';
import { startFakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import type { FakeOpenAiServer } from '../../test/support/fakeLlm/fakeOpenAiServer.js';
import { loadConfig } from '../config/config.js';
import { createLlmProvider, createPlatformLlm } from './providerConfig.js';

let openAi: FakeOpenAiServer;
let anthropic: FakeAnthropicServer;

beforeAll(async () => {
  [openAi, anthropic] = await Promise.all([startFakeOpenAiServer(), startFakeAnthropicServer()]);
});
afterAll(() => Promise.all([openAi.close(), anthropic.close()]));

describe('providers built from the configuration', () => {
  it('answers through the platform default model and embeds with the configured model', async () => {
    const config = loadConfig({
      AWP_LLM_PROVIDER: 'openai',
      AWP_LLM_BASE_URL: openAi.baseUrl,
      AWP_LLM_API_KEY: openAi.apiKey,
      AWP_LLM_MODEL: 'fake-model',
      AWP_LLM_PRICES: '{"fake-model":{"inputPerMillionUsd":1,"outputPerMillionUsd":2}}',
      AWP_EMBEDDINGS_PROVIDER: 'openai',
      AWP_EMBEDDINGS_BASE_URL: openAi.baseUrl,
      AWP_EMBEDDINGS_API_KEY: openAi.apiKey,
      AWP_EMBEDDINGS_MODEL: 'fake-embed',
    });
    const platform = createPlatformLlm(config);
    expect(JSON.stringify(platform.summary)).not.toContain(openAi.apiKey);
    expect(platform.summary).toMatchObject({ llm: { provider: 'openai', apiKey: 'set' } });

    const router = createModelRouter({
      providers: platform.providers,
      prices: platform.prices,
      clock: { now: () => new Date() },
    });
    openAi.reply({ text: 'configured', usage: { inputTokens: 10, outputTokens: 5 } });
    const got = await collectAnswer(
      router.stream({
        accountId: 'acme',
        policy: platform.defaultPolicy,
        request: { messages: [{ role: 'user', content: 'hi' }] },
      }),
    );
    expect(got).toMatchObject({ text: 'configured', provider: 'openai', costMicroUsd: 20 });
    expect(await platform.embeddings?.embed(['hi'])).toEqual([fakeEmbedding('hi', 8)]);
  });

  it('fails over from a failing OpenAI-compatible server to Anthropic, through the real SDKs', async () => {
    const providers = new Map([
      [
        'local-vllm',
        createLlmProvider(
          {
            provider: 'openai',
            baseUrl: openAi.baseUrl,
            apiKey: openAi.apiKey,
            model: 'm',
            timeoutMs: 1_000,
          },
          'local-vllm',
        ),
      ],
      [
        'anthropic',
        createLlmProvider({
          provider: 'anthropic',
          baseUrl: anthropic.baseUrl,
          apiKey: anthropic.apiKey,
          model: 'c',
          timeoutMs: 1_000,
        }),
      ],
    ]);
    const router = createModelRouter({ providers, prices: {}, clock: { now: () => new Date() } });
    openAi.reply({ error: { status: 503, message: 'model is loading' } });
    anthropic.reply({ text: 'from claude', usage: { inputTokens: 8, outputTokens: 2 } });
    const switches: ModelSwitch[] = [];
    const got = await collectAnswer(
      router.stream({
        accountId: 'acme',
        policy: {
          candidates: [
            { provider: 'local-vllm', model: 'llama-3.1-8b' },
            { provider: 'anthropic', model: 'claude-test' },
          ],
        },
        request: { messages: [{ role: 'user', content: 'hi' }] },
        onSwitch: (change) => switches.push(change),
      }),
    );
    expect(got).toMatchObject({
      text: 'from claude',
      provider: 'anthropic',
      model: 'claude-test',
      usage: { inputTokens: 8, outputTokens: 2 },
      priced: false,
    });
    expect(switches).toEqual([
      {
        fromProvider: 'local-vllm',
        fromModel: 'llama-3.1-8b',
        provider: 'anthropic',
        toModel: 'claude-test',
        reason: 'failover',
        detail: 'local-vllm answered 503: model is loading',
      },
    ]);
  });
});
