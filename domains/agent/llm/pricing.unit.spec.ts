import { describe, expect, it } from 'vitest';
import { costOf, estimatePromptTokens, maxCostOf, priceOf } from './pricing.js';

const prices = {
  'gpt-4o-mini': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
  'groq/llama-3.1-8b': { inputPerMillionUsd: 0.05, outputPerMillionUsd: 0.08 },
  'llama-3.1-8b': { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.2 },
};

describe('pricing', () => {
  it('costs tokens in micro-dollars: USD per million tokens times tokens', () => {
    const price = priceOf(prices, 'openai', 'gpt-4o-mini');
    expect(costOf({ inputTokens: 100, outputTokens: 100 }, price)).toEqual({
      costMicroUsd: 75,
      priced: true,
    });
  });

  it('rounds a fraction of a micro-dollar up, without binary rounding adding one', () => {
    const price = { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0 };
    expect(costOf({ inputTokens: 1, outputTokens: 0 }, price).costMicroUsd).toBe(1);
    expect(costOf({ inputTokens: 100, outputTokens: 0 }, price).costMicroUsd).toBe(15);
  });

  it('prefers a provider-qualified price to the model name alone', () => {
    expect(priceOf(prices, 'groq', 'llama-3.1-8b')?.inputPerMillionUsd).toBe(0.05);
    expect(priceOf(prices, 'vllm', 'llama-3.1-8b')?.inputPerMillionUsd).toBe(0.2);
  });

  it('gives an unknown model no cost, flagged as unpriced', () => {
    expect(priceOf(prices, 'openai', 'constructor')).toBeUndefined();
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, undefined)).toEqual({
      costMicroUsd: 0,
      priced: false,
    });
  });

  it('bounds a call by its estimated prompt and its whole output allowance', () => {
    const messages = [
      { role: 'user' as const, content: 'x'.repeat(400) },
      {
        role: 'assistant' as const,
        content: '',
        toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":"abcdef"}' }],
      },
    ];
    expect(estimatePromptTokens(messages)).toBe(100 + 5);
    const price = { inputPerMillionUsd: 1, outputPerMillionUsd: 10 };
    expect(maxCostOf(messages, 1000, price).costMicroUsd).toBe(105 + 10_000);
  });
});
