import { z } from 'zod';
import type { ChatMessage, TokenUsage } from './llmProvider.js';

/** What a model costs, in US dollars per million tokens, as vendors publish their prices. */
export interface ModelPrice {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
}

/**
 * Prices by model name, or by `provider/model` where two providers serve one model name at
 * different prices (the longer key wins).
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

export interface CallCost {
  costMicroUsd: number;
  /** False when the table has no price for the model: the cost is then 0 because unknown. */
  priced: boolean;
}

/** The price of `model` as served by `provider`, if the table has one. */
export function priceOf(
  prices: PriceTable,
  provider: string,
  model: string,
): ModelPrice | undefined {
  // Object.hasOwn: a model named `constructor` must not find Object.prototype's.
  const qualified = `${provider}/${model}`;
  if (Object.hasOwn(prices, qualified)) return prices[qualified];
  return Object.hasOwn(prices, model) ? prices[model] : undefined;
}

/**
 * Cost of the tokens in micro-USD: USD per million tokens times tokens is exactly micro-USD.
 * Rounded up to a whole micro-dollar, so that many small calls are never metered as free.
 */
export function costOf(usage: TokenUsage, price: ModelPrice | undefined): CallCost {
  if (!price) return { costMicroUsd: 0, priced: false };
  const exact =
    usage.inputTokens * price.inputPerMillionUsd + usage.outputTokens * price.outputPerMillionUsd;
  // The epsilon keeps binary rounding (0.15 × 100 = 15.000000000000002) from adding a unit.
  return { costMicroUsd: Math.max(0, Math.ceil(exact - 1e-6)), priced: true };
}

/**
 * A rough token count for text no vendor has counted: about four characters a token for
 * English and code. Used for cost caps before a call and when a server reports no usage.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Estimated prompt tokens of a conversation, tool calls and their arguments included. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, message) =>
      sum +
      estimateTokens(message.content) +
      (message.toolCalls ?? []).reduce(
        (calls, call) => calls + estimateTokens(call.name + call.arguments),
        0,
      ),
    0,
  );
}

/**
 * The most a call may cost: the prompt as estimated plus the whole output allowance. The cap
 * is checked against this bound, so a call that passes cannot cost more than the cap unless
 * the estimate of the prompt was low.
 */
export function maxCostOf(
  messages: readonly ChatMessage[],
  maxOutputTokens: number,
  price: ModelPrice | undefined,
): CallCost {
  return costOf(
    { inputTokens: estimatePromptTokens(messages), outputTokens: maxOutputTokens },
    price,
  );
}

/** A price table as operators write it (`AWP_LLM_PRICES`), validated before it is used. */
export const priceTableSchema = z.record(
  z.string().min(1, 'a model name may not be empty'),
  z
    .object({
      inputPerMillionUsd: z.number().nonnegative(),
      outputPerMillionUsd: z.number().nonnegative(),
    })
    .strict(),
);

/** Reads a JSON price table; `problem` says what is wrong, naming the model and field. */
export function readPriceTable(text: string): { prices: PriceTable } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` };
  }
  const parsed = priceTableSchema.safeParse(json);
  if (parsed.success) return { prices: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? `'${issue.path.map(String).join('.')}': ` : '';
  return {
    problem:
      `must be a JSON object of model → {"inputPerMillionUsd": n, "outputPerMillionUsd": n} ` +
      `(${at}${issue?.message ?? 'invalid'})`,
  };
}
