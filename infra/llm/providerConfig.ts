import type { EmbeddingsProvider, LlmProvider } from '../../domains/agent/llm/llmProvider.js';
import type { ModelPolicy } from '../../domains/agent/llm/modelPolicy.js';
import type { PriceTable } from '../../domains/agent/llm/pricing.js';
import type { Config, EmbeddingsConfig, LlmConfig } from '../config/config.js';
import { createAnthropicProvider } from './anthropicProvider.js';
import { createOpenAiCompatibleProvider } from './openAiCompatibleProvider.js';
import { createOpenAiEmbeddings } from './openAiEmbeddings.js';

/** The language models the platform itself is configured with (`AWP_LLM_*`, `AWP_EMBEDDINGS_*`). */
export interface PlatformLlm {
  /** By the name policies use: `openai` or `anthropic`, as `AWP_LLM_PROVIDER` says. */
  providers: ReadonlyMap<string, LlmProvider>;
  /** The configured model alone; undefined when none is, so only tenant/agent policies work. */
  defaultPolicy: ModelPolicy | undefined;
  prices: PriceTable;
  embeddings: EmbeddingsProvider | undefined;
  /** What is configured, for the start-up log: names, models and hosts, never a key. */
  summary: Record<string, unknown>;
}

/** Builds the providers of the configuration. Nothing is called until a request is made. */
export function createPlatformLlm(
  config: Pick<Config, 'llm' | 'llmPrices' | 'embeddings'> & Partial<Pick<Config, 'llmFallbacks'>>,
): PlatformLlm {
  const providers = new Map<string, LlmProvider>();
  const candidates: Array<{ provider: string; model: string }> = [];
  if (config.llm) {
    providers.set(config.llm.provider, createLlmProvider(config.llm));
    candidates.push({ provider: config.llm.provider, model: config.llm.model });
  }
  for (const fallback of config.llmFallbacks ?? []) {
    providers.set(fallback.name, createLlmProvider(fallback, fallback.name));
    candidates.push({ provider: fallback.name, model: fallback.model });
  }
  return {
    providers,
    defaultPolicy: candidates.length > 0 ? { candidates } : undefined,
    prices: config.llmPrices,
    embeddings: config.embeddings ? createEmbeddings(config.embeddings) : undefined,
    summary: {
      llm: config.llm ? summaryOf(config.llm) : 'not configured',
      fallbacks: (config.llmFallbacks ?? []).map((f) => ({ name: f.name, ...summaryOf(f) })),
      embeddings: config.embeddings ? summaryOf(config.embeddings) : 'not configured',
      pricedModels: Object.keys(config.llmPrices).length,
    },
  };
}

/** One provider from one model's settings; `name` defaults to the provider kind. */
export function createLlmProvider(
  settings: LlmConfig,
  name: string = settings.provider,
): LlmProvider {
  const common = {
    name,
    timeoutMs: settings.timeoutMs,
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
  };
  if (settings.provider === 'anthropic') {
    // The configuration refuses anthropic without a key; an empty one would be refused by the API.
    return createAnthropicProvider({ ...common, apiKey: settings.apiKey ?? '' });
  }
  return createOpenAiCompatibleProvider({
    ...common,
    ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
  });
}

function createEmbeddings(settings: EmbeddingsConfig): EmbeddingsProvider {
  return createOpenAiEmbeddings({
    name: settings.provider,
    model: settings.model,
    timeoutMs: settings.timeoutMs,
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
  });
}

function summaryOf(settings: LlmConfig | EmbeddingsConfig): Record<string, unknown> {
  return {
    provider: settings.provider,
    model: settings.model,
    // A base URL may carry credentials of its own (https://user:pass@host): shown without.
    host: settings.baseUrl ? new URL(settings.baseUrl).host : 'vendor default',
    apiKey: settings.apiKey === undefined ? 'none' : 'set',
  };
}
