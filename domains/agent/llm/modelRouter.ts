import { AwpError } from '../../../contracts/index.js';
import type { Clock } from '../../../contracts/index.js';
import { awaitFirstChunk } from './firstChunk.js';
import type { StartedAnswer } from './firstChunk.js';
import { unlimitedLlmBudget } from './llmBudget.js';
import type { LlmBudget } from './llmBudget.js';
import { LlmProviderError } from './llmProvider.js';
import type { ChatChunk, ChatRequest, LlmProvider, TokenUsage } from './llmProvider.js';
import type { ModelCandidate, ModelPolicy } from './modelPolicy.js';
import { costOf, estimatePromptTokens, estimateTokens, maxCostOf, priceOf } from './pricing.js';
import type { PriceTable } from './pricing.js';
import { CircuitOpenError, ProviderCircuits } from './providerCircuits.js';
import type { CircuitOptions, CircuitStatus } from './providerCircuits.js';

/** Why the router left a model for the next one (published as `ModelSwitched.reason`). */
export type SwitchReason = 'failover' | 'circuit_open' | 'cost_cap';

export interface ModelSwitch {
  fromProvider: string;
  fromModel: string;
  /** The provider of `toModel`: the one tried next. */
  provider: string;
  toModel: string;
  reason: SwitchReason;
  /** Why the previous model was left, in words (provider errors never carry API keys). */
  detail: string;
}

/** Which model answered, what it used and what it cost. */
export interface RoutedAnswer {
  provider: string;
  model: string;
  usage: TokenUsage;
  /** True when the server reported no usage and `usage` is estimated from the text. */
  usageEstimated: boolean;
  costMicroUsd: number;
  /** False when the price table has no price for the model (`costMicroUsd` is then 0). */
  priced: boolean;
  finishReason: string;
  /** From the call to the first chunk, by the router's clock. */
  firstChunkMs: number;
}

export interface RouteCall {
  accountId: string;
  /** The policy in force (see resolveModelPolicy); none means no model is configured. */
  policy: ModelPolicy | undefined;
  request: Omit<ChatRequest, 'model'>;
  onSwitch?: (change: ModelSwitch) => void;
}

/** The answer's chunks, to be read once; `answer` settles when they have been read to the end. */
export interface RoutedStream extends AsyncIterable<ChatChunk> {
  readonly answer: Promise<RoutedAnswer>;
}

export interface ModelRouterOptions {
  /** The configured providers, by the name policies use. */
  providers: ReadonlyMap<string, LlmProvider>;
  prices: PriceTable;
  clock: Clock;
  /** Default: no limit. */
  budget?: LlmBudget;
  /** How long a provider may take to its first chunk before the next is tried. Default 30 s. */
  firstChunkTimeoutMs?: number;
  circuit?: CircuitOptions;
  /** Output allowance of requests that set none; it also bounds the cost estimate. Default 4096. */
  defaultMaxOutputTokens?: number;
}

export interface ModelRouter {
  stream(call: RouteCall): RoutedStream;
  circuitStatus(provider: string): CircuitStatus;
}

export const noModelConfiguredMessage =
  'no language model is configured: set AWP_LLM_PROVIDER (openai for any OpenAI-compatible ' +
  'server, or anthropic), AWP_LLM_BASE_URL, AWP_LLM_API_KEY and AWP_LLM_MODEL, or give the ' +
  'tenant or agent a model policy through /v1/agents';

/**
 * Picks the model for each call from the policy: the preferred candidate first, the next one
 * when a candidate's circuit is open, its estimated cost is over the cap, or it fails before
 * its first chunk. Once a chunk has reached the caller the answer stays with that model: a
 * second model would repeat or contradict what was already shown, so a later failure ends the
 * stream with the error instead.
 *
 * Every failure before the first chunk moves on, a bad request included (another vendor's
 * model may accept what this one refused: an unknown model name, a longer context), except
 * filtered content: handing a refused prompt to another vendor would route around a filter.
 * Only failures that say the provider is unwell count toward its circuit.
 */
export function createModelRouter(options: ModelRouterOptions): ModelRouter {
  const circuits = new ProviderCircuits(options.clock, options.circuit);
  const budget = options.budget ?? unlimitedLlmBudget;
  const firstChunkTimeoutMs = options.firstChunkTimeoutMs ?? 30_000;
  const defaultMaxOutputTokens = options.defaultMaxOutputTokens ?? 4096;
  const now = () => options.clock.now().getTime();

  async function* route(call: RouteCall): AsyncGenerator<ChatChunk, RoutedAnswer> {
    await budget.assertWithinBudget(call.accountId);
    const candidates = call.policy?.candidates ?? [];
    const failures = candidates
      .filter((c) => !options.providers.has(c.provider))
      .map((c) => `${labelOf(c)}: provider '${c.provider}' is not configured`);
    const usable = candidates.filter((c) => options.providers.has(c.provider));
    if (usable.length === 0) {
      const why = failures.length > 0 ? ` (${failures.join('; ')})` : '';
      throw new AwpError('unavailable', `${noModelConfiguredMessage}${why}`, { retryable: false });
    }
    const request = {
      ...call.request,
      maxOutputTokens: call.request.maxOutputTokens ?? defaultMaxOutputTokens,
    };
    const cap = call.policy?.maxCostMicroUsdPerCall;
    let retryable = false;
    let leaving: { from: ModelCandidate; reason: SwitchReason; detail: string } | undefined;
    for (const candidate of usable) {
      if (leaving) {
        call.onSwitch?.({
          fromProvider: leaving.from.provider,
          fromModel: leaving.from.model,
          provider: candidate.provider,
          toModel: candidate.model,
          reason: leaving.reason,
          detail: leaving.detail,
        });
      }
      const provider = options.providers.get(candidate.provider) as LlmProvider;
      const price = priceOf(options.prices, candidate.provider, candidate.model);
      const bound = maxCostOf(request.messages, request.maxOutputTokens, price);
      if (cap !== undefined && bound.priced && bound.costMicroUsd > cap) {
        const detail = `may cost up to ${bound.costMicroUsd} micro-USD a call, over the cap of ${cap}`;
        failures.push(`${labelOf(candidate)}: ${detail}`);
        leaving = { from: candidate, reason: 'cost_cap', detail };
        continue;
      }
      const startedAt = now();
      let started: StartedAnswer;
      try {
        started = await circuits.run(candidate.provider, () =>
          awaitFirstChunk(provider, { ...request, model: candidate.model }, firstChunkTimeoutMs)
            // As provider errors, so that the circuit counts an adapter's unexpected failure too.
            .catch((error: unknown) => {
              throw call.request.signal?.aborted ? error : asProviderError(provider.name, error);
            }),
        );
      } catch (error) {
        if (call.request.signal?.aborted) throw error;
        if (error instanceof LlmProviderError && error.kind === 'content_filtered') {
          throw new AwpError('validation', `${labelOf(candidate)} refused: ${error.message}`, {
            retryable: false,
            cause: error,
          });
        }
        const circuitOpen = error instanceof CircuitOpenError;
        const failure = circuitOpen ? error : asProviderError(candidate.provider, error);
        retryable ||= circuitOpen || (failure as LlmProviderError).retryable;
        failures.push(`${labelOf(candidate)}: ${failure.message}`);
        leaving = {
          from: candidate,
          reason: circuitOpen ? 'circuit_open' : 'failover',
          detail: failure.message,
        };
        continue;
      }
      const firstChunkMs = now() - startedAt;
      const answered = yield* relay(candidate, started, request.signal);
      const usage = answered.usage ?? {
        inputTokens: estimatePromptTokens(request.messages),
        outputTokens: estimateTokens(answered.output),
      };
      return {
        provider: candidate.provider,
        model: candidate.model,
        usage,
        usageEstimated: answered.usage === undefined,
        ...costOf(usage, price),
        finishReason: answered.finishReason,
        firstChunkMs,
      };
    }
    throw new AwpError('unavailable', `no language model could answer: ${failures.join('; ')}`, {
      retryable,
    });
  }

  /** Hands the started answer's chunks on, noting what the answer needs. */
  async function* relay(
    candidate: ModelCandidate,
    started: StartedAnswer,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatChunk, { usage?: TokenUsage; finishReason: string; output: string }> {
    const seen = {
      output: '',
      finishReason: 'unknown',
      usage: undefined as TokenUsage | undefined,
    };
    let finished = false;
    try {
      let chunk: ChatChunk = started.first;
      for (;;) {
        if (chunk.type === 'text') seen.output += chunk.text;
        if (chunk.type === 'tool_call') seen.output += chunk.call.name + chunk.call.arguments;
        if (chunk.type === 'usage') seen.usage = chunk.usage;
        if (chunk.type === 'done') seen.finishReason = chunk.finishReason;
        yield chunk;
        let next: IteratorResult<ChatChunk>;
        try {
          next = await started.rest.next();
        } catch (error) {
          if (signal?.aborted) throw error;
          const failure = asProviderError(candidate.provider, error);
          await circuits.recordFailure(candidate.provider, failure);
          throw new AwpError(
            'unavailable',
            `${labelOf(candidate)} failed after its answer had begun; the answer was not ` +
              `handed to another model, which would repeat or contradict the part already ` +
              `sent: ${failure.message}`,
            { retryable: failure.retryable, cause: failure },
          );
        }
        if (next.done) break;
        chunk = next.value;
      }
      finished = true;
      return seen;
    } finally {
      // The caller stopped reading (or the stream failed): stop the provider's request too.
      if (!finished) {
        started.abort();
        void started.rest.return?.()?.catch(() => undefined);
      }
    }
  }

  return {
    stream(call) {
      let settle!: { resolve(answer: RoutedAnswer): void; reject(error: unknown): void };
      const answer = new Promise<RoutedAnswer>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // Readers of the chunks see a failure there; `answer` must not also crash the process.
      answer.catch(() => undefined);
      async function* chunks(): AsyncGenerator<ChatChunk, void> {
        try {
          settle.resolve(yield* route(call));
        } catch (error) {
          settle.reject(error);
          throw error;
        } finally {
          settle.reject(new AwpError('illegal_state', 'the answer was not read to its end'));
        }
      }
      const iterator = chunks();
      return { answer, [Symbol.asyncIterator]: () => iterator };
    },
    circuitStatus: (provider) => circuits.status(provider),
  };
}

function labelOf(candidate: ModelCandidate): string {
  return `${candidate.provider} (${candidate.model})`;
}

/** Anything a provider throws, as a provider error: an adapter's own bug counts as unavailable. */
function asProviderError(provider: string, error: unknown): LlmProviderError {
  if (error instanceof LlmProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LlmProviderError(provider, 'unavailable', `${provider} failed: ${message}`, {
    cause: error,
  });
}
