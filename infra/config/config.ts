import { inspect } from 'node:util';
import { z } from 'zod';
import { readPriceTable } from '../../domains/agent/llm/pricing.js';
import type { PriceTable } from '../../domains/agent/llm/pricing.js';
import { tierLimitsSetting } from '../../domains/platform/index.js';
import type { TierLimitsByTier } from '../../domains/platform/index.js';
import { parseTrustedIssuers } from '../../gateway/auth/jwt/index.js';
import type { TrustedIssuer } from '../../gateway/auth/jwt/index.js';

/**
 * Every `AWP_*` variable, in one place. `loadConfig` never falls back silently: a value that is
 * present but wrong stops start-up with a message naming the variable.
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const portMessage = 'must be a whole number between 0 and 65535';
const port = z.coerce
  .number({ error: portMessage })
  .int(portMessage)
  .min(0, portMessage)
  .max(65535, portMessage);
const positiveInt = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1');
const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine(
      (value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)),
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    )
    .refine((value) => value === undefined || URL.canParse(value), 'is not a valid URL');

const brokerList = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value.split(',').map((broker) => broker.trim()) : undefined))
  .refine(
    (brokers) => brokers === undefined || brokers.every((b) => /^[^\s:/]+:\d{1,5}$/.test(b)),
    'must be a comma-separated list of host:port',
  );

/** Accepts `1048576`, `512kb`, `1mb`: the units operators write in body-limit settings. */
const byteSize = z
  .string()
  .trim()
  .regex(/^\d+\s*(b|kb|mb)?$/i, 'must be a size such as 1048576, 512kb or 1mb')
  .transform((value) => {
    const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value) as RegExpExecArray;
    const unit = (match[2] ?? 'b').toLowerCase();
    return Number(match[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  })
  .refine((bytes) => bytes >= 1, 'must be at least 1 byte');

/** Comma-separated entries, blanks dropped (hosts are checked again by the SSRF guard). */
const commaList = z
  .string()
  .trim()
  .optional()
  .transform((value) =>
    value
      ? value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
      : [],
  );

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const priceTable = z
  .string()
  .optional()
  .transform((text, ctx): PriceTable => {
    if (text === undefined || text.trim() === '') return {};
    const read = readPriceTable(text);
    if ('prices' in read) return read.prices;
    ctx.addIssue({ code: 'custom', message: read.problem });
    return z.NEVER;
  });

/** `openai` speaks the OpenAI protocol: OpenAI itself, vLLM, Ollama, TGI, llama.cpp server. */
export const llmProviderKinds = ['openai', 'anthropic'] as const;

const fallbackEntry = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
    provider: z.enum(llmProviderKinds),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiKey: z.string().min(1).optional(),
    model: z.string().min(1).max(200),
  })
  .strict();

/**
 * More providers besides the default (JSON list of `{ name, provider, baseUrl?, apiKey?, model }`):
 * the platform policy tries them in order when the default fails, and tenants' and agents'
 * policies may name them. Problems never quote the text (it holds keys).
 */
const llmFallbackList = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON list of providers' });
      return z.NEVER;
    }
    const result = z.array(fallbackEntry).max(10).safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      ctx.addIssue({
        code: 'custom',
        message: `${issue?.path.join('.') || '(list)'}: ${issue?.message ?? 'invalid'}`,
      });
      return z.NEVER;
    }
    return result.data;
  });
export type LlmProviderKind = (typeof llmProviderKinds)[number];

/** The Kafka client library behind the bus port. */
export const kafkaClients = ['platformatic', 'kafkajs'] as const;
export type KafkaClient = (typeof kafkaClients)[number];

export const configSchema = z.object({
  AWP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  AWP_PORT: port.default(8080),
  AWP_DATA_DIR: z.string().trim().min(1).default('.awp/data'),
  AWP_DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  AWP_DB_POOL_SIZE: positiveInt.max(200).default(10),
  AWP_KAFKA_BROKERS: brokerList,
  AWP_KAFKA_CLIENT: z
    .enum(kafkaClients, { error: `must be one of ${kafkaClients.join(', ')}` })
    .default('platformatic'),
  AWP_TOPIC_PARTITIONS: positiveInt.max(1000).default(6),
  AWP_TOPIC_REPLICATION_FACTOR: positiveInt.max(10).default(1),
  AWP_TOPIC_PREFIX: z.string().trim().default(''),
  AWP_REDIS_URL: optionalUrl(['redis', 'rediss']),
  AWP_SCHEMA_REGISTRY_URL: optionalUrl(['http', 'https']),
  AWP_WORKFLOW_URL: optionalUrl(['http', 'https']),
  AWP_AGENT_URL: optionalUrl(['http', 'https']),
  AWP_ADMIN_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || value.length >= 16, 'must be at least 16 characters'),
  AWP_LOG_LEVEL: z.enum(logLevels).default('info'),
  AWP_BODY_LIMIT: byteSize.default(1024 * 1024),
  AWP_SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  AWP_RELAY_POLL_MS: positiveInt.default(250),
  AWP_OUTBOUND_ALLOW_HOSTS: commaList,
  AWP_SECRETS_KEY: z.string().trim().optional(),
  AWP_DEV_TOKENS: z.enum(['true', 'false']).optional(),
  AWP_OIDC_ISSUERS: z.string().trim().optional(),
  AWP_TIER_LIMITS: tierLimitsSetting,
  AWP_SECRETS_PREVIOUS_KEYS: commaList,
  AWP_ENGINE_MAX_TASK_RUNS: positiveInt.default(100_000),
  AWP_ENGINE_MAX_FOR_ITERATIONS: positiveInt.default(10_000),
  AWP_ENGINE_MAX_FORK_BRANCHES: positiveInt.default(100),
  AWP_ENGINE_MAX_OUTPUT_BYTES: byteSize.default(1024 * 1024),
  AWP_ENGINE_MAX_SUBWORKFLOW_DEPTH: positiveInt.max(64).default(8),
  AWP_ENGINE_CALL_TIMEOUT_MS: positiveInt.default(30_000),
  AWP_ENGINE_MAX_RESPONSE_BYTES: byteSize.default(10 * 1024 * 1024),
  AWP_ENGINE_EXPRESSION_TIMEOUT_MS: positiveInt.default(1_000),
  AWP_ENGINE_MAX_CONCURRENT_PER_ACCOUNT: positiveInt.default(50),
  AWP_LLM_PROVIDER: z
    .enum(llmProviderKinds, {
      error: 'must be openai (any OpenAI-compatible server) or anthropic',
    })
    .optional(),
  AWP_LLM_BASE_URL: optionalUrl(['http', 'https']),
  AWP_LLM_API_KEY: optionalText,
  AWP_LLM_MODEL: optionalText,
  AWP_LLM_TIMEOUT_MS: positiveInt.default(60_000),
  AWP_LLM_PRICES: priceTable,
  AWP_LLM_FALLBACKS: llmFallbackList,
  AWP_EMBEDDINGS_PROVIDER: z
    .enum(['openai'], {
      error: 'must be openai (any OpenAI-compatible server; Anthropic has no embeddings API)',
    })
    .optional(),
  AWP_EMBEDDINGS_BASE_URL: optionalUrl(['http', 'https']),
  AWP_EMBEDDINGS_API_KEY: optionalText,
  AWP_EMBEDDINGS_MODEL: optionalText,
  // Optional here, defaulted below: set without a provider it is a mistake worth reporting.
  AWP_EMBEDDINGS_DIMENSIONS: positiveInt
    .max(16_000, 'must be at most 16000 (the most pgvector stores)')
    .optional(),
  AWP_QDRANT_URL: optionalUrl(['http', 'https']),
  AWP_QDRANT_API_KEY: optionalText,
});

export type ConfigVariables = z.input<typeof configSchema>;

/** The platform's default language model (`AWP_LLM_*`); tenants and agents may name others. */
export interface LlmConfig {
  provider: LlmProviderKind;
  /** Undefined: the vendor's own API. */
  baseUrl: string | undefined;
  /** Not shown by JSON.stringify, util.inspect or the logger (see `hidingApiKey`). */
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

/** The embeddings model (`AWP_EMBEDDINGS_*`); its timeout is `AWP_LLM_TIMEOUT_MS`. */
export interface EmbeddingsConfig {
  provider: 'openai';
  baseUrl: string | undefined;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  /**
   * The length of the model's vectors (`AWP_EMBEDDINGS_DIMENSIONS`, default 1536, the size of
   * OpenAI's text-embedding-3-small): the memory store is created for exactly this size.
   */
  dimensions: number;
}

/** OpenAI's text-embedding-3-small and ada-002 both answer 1536 numbers. */
export const defaultEmbeddingDimensions = 1536;

export interface QdrantConfig {
  url: string;
  apiKey: string | undefined;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  kafkaBrokers: string[] | undefined;
  kafkaClient: KafkaClient;
  topicPartitions: number;
  topicReplicationFactor: number;
  /** Prepended to every topic and consumer group; lets tests and staging share one cluster. */
  topicPrefix: string;
  redisUrl: string | undefined;
  schemaRegistryUrl: string | undefined;
  /**
   * Base URL of the workflow service's API, where approved drafts are published and dry runs
   * sent; unset, the process's own server, which must then host the workflow service.
   */
  workflowUrl: string | undefined;
  /**
   * Base URL of the agent service's API, which writes the assistant's replies for a process
   * that hosts conversations but not the agent.
   */
  agentUrl: string | undefined;
  /** Bearer token for /v1/admin; without one, only loopback clients may use it. */
  adminToken: string | undefined;
  logLevel: (typeof logLevels)[number];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  relayPollMs: number;
  /** Hosts every account's workflows may call besides public addresses (SSRF allow-list). */
  outboundAllowHosts: string[];
  /** The master key tenant secrets are encrypted under (32 bytes, base64 or hex). */
  secretsKey: string | undefined;
  /** Rotated-out master keys, still read until `awp admin secrets rewrap` has moved off them. */
  secretsPreviousKeys: string[];
  /**
   * Whether `awp token`'s development issuer is trusted: by default on the embedded profile
   * only; the distributed profile needs `AWP_DEV_TOKENS=true`.
   */
  devTokens: boolean;
  /** Identity providers whose bearer JWTs are accepted (`AWP_OIDC_ISSUERS`, a JSON array). */
  oidcIssuers: TrustedIssuer[];
  /** Limits of each tier: the defaults with `AWP_TIER_LIMITS` laid over them. */
  tierLimits: TierLimitsByTier;
  engine: {
    maxTaskRuns: number;
    maxForIterations: number;
    maxForkBranches: number;
    maxOutputBytes: number;
    maxSubWorkflowDepth: number;
    callTimeoutMs: number;
    maxResponseBytes: number;
    expressionTimeoutMs: number;
    maxConcurrentPerAccount: number;
  };
  /** Undefined when `AWP_LLM_PROVIDER` is unset: agents then need a tenant or agent policy. */
  llm: LlmConfig | undefined;
  /** Further providers (`AWP_LLM_FALLBACKS`), by name, tried after `llm` in the platform policy. */
  llmFallbacks: Array<LlmConfig & { name: string }>;
  /** USD per million tokens by model (`AWP_LLM_PRICES`), for metering and cost caps. */
  llmPrices: PriceTable;
  embeddings: EmbeddingsConfig | undefined;
  qdrant: QdrantConfig | undefined;
}

/** Never echoed in errors: a refused secret is still a secret. */
const secretVariables = new Set([
  'AWP_LLM_FALLBACKS',
  'AWP_ADMIN_TOKEN',
  'AWP_DATABASE_URL',
  'AWP_REDIS_URL',
  'AWP_SECRETS_KEY',
  'AWP_SECRETS_PREVIOUS_KEYS',
  'AWP_LLM_API_KEY',
  'AWP_EMBEDDINGS_API_KEY',
  'AWP_QDRANT_API_KEY',
]);

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Reads `AWP_*` variables from `env` (default `process.env`). Unset or empty means default. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const shown = secretVariables.has(name) ? 'a value that is not shown' : `'${env[name]}'`;
        return `${name}: ${issue.message} (got ${shown})`;
      }),
    );
  }
  const v = parsed.data;
  let oidcIssuers: TrustedIssuer[];
  try {
    oidcIssuers = v.AWP_OIDC_ISSUERS
      ? parseTrustedIssuers(v.AWP_OIDC_ISSUERS, 'AWP_OIDC_ISSUERS')
      : [];
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const modelServices = readModelServices(v);
  if ('problems' in modelServices) throw new ConfigError(modelServices.problems);
  return {
    ...modelServices,
    host: v.AWP_HOST,
    port: v.AWP_PORT,
    dataDir: v.AWP_DATA_DIR,
    databaseUrl: v.AWP_DATABASE_URL,
    dbPoolSize: v.AWP_DB_POOL_SIZE,
    kafkaBrokers: v.AWP_KAFKA_BROKERS,
    kafkaClient: v.AWP_KAFKA_CLIENT,
    topicPartitions: v.AWP_TOPIC_PARTITIONS,
    topicReplicationFactor: v.AWP_TOPIC_REPLICATION_FACTOR,
    topicPrefix: v.AWP_TOPIC_PREFIX,
    redisUrl: v.AWP_REDIS_URL,
    schemaRegistryUrl: v.AWP_SCHEMA_REGISTRY_URL,
    workflowUrl: v.AWP_WORKFLOW_URL?.replace(/\/+$/, ''),
    agentUrl: v.AWP_AGENT_URL?.replace(/\/+$/, ''),
    adminToken: v.AWP_ADMIN_TOKEN,
    logLevel: v.AWP_LOG_LEVEL,
    bodyLimitBytes: v.AWP_BODY_LIMIT,
    shutdownTimeoutMs: v.AWP_SHUTDOWN_TIMEOUT_MS,
    relayPollMs: v.AWP_RELAY_POLL_MS,
    outboundAllowHosts: v.AWP_OUTBOUND_ALLOW_HOSTS,
    secretsKey: v.AWP_SECRETS_KEY,
    secretsPreviousKeys: v.AWP_SECRETS_PREVIOUS_KEYS,
    oidcIssuers,
    tierLimits: v.AWP_TIER_LIMITS,
    devTokens:
      v.AWP_DEV_TOKENS === undefined
        ? v.AWP_DATABASE_URL === undefined
        : v.AWP_DEV_TOKENS === 'true',
    engine: {
      maxTaskRuns: v.AWP_ENGINE_MAX_TASK_RUNS,
      maxForIterations: v.AWP_ENGINE_MAX_FOR_ITERATIONS,
      maxForkBranches: v.AWP_ENGINE_MAX_FORK_BRANCHES,
      maxOutputBytes: v.AWP_ENGINE_MAX_OUTPUT_BYTES,
      maxSubWorkflowDepth: v.AWP_ENGINE_MAX_SUBWORKFLOW_DEPTH,
      callTimeoutMs: v.AWP_ENGINE_CALL_TIMEOUT_MS,
      maxResponseBytes: v.AWP_ENGINE_MAX_RESPONSE_BYTES,
      expressionTimeoutMs: v.AWP_ENGINE_EXPRESSION_TIMEOUT_MS,
      maxConcurrentPerAccount: v.AWP_ENGINE_MAX_CONCURRENT_PER_ACCOUNT,
    },
  };
}

type ParsedVariables = z.output<typeof configSchema>;
type ModelServices = Pick<Config, 'llm' | 'llmFallbacks' | 'llmPrices' | 'embeddings' | 'qdrant'>;

/**
 * The language-model, embeddings and vector-store settings, with the checks that span
 * variables: a provider needs a model, a vendor's own API needs a key, and a base URL or key
 * without a provider is a mistake rather than something to ignore.
 */
function readModelServices(v: ParsedVariables): ModelServices | { problems: string[] } {
  const problems = [
    ...serviceProblems(
      'AWP_LLM',
      v.AWP_LLM_PROVIDER,
      v.AWP_LLM_BASE_URL,
      v.AWP_LLM_API_KEY,
      v.AWP_LLM_MODEL,
    ),
    ...serviceProblems(
      'AWP_EMBEDDINGS',
      v.AWP_EMBEDDINGS_PROVIDER,
      v.AWP_EMBEDDINGS_BASE_URL,
      v.AWP_EMBEDDINGS_API_KEY,
      v.AWP_EMBEDDINGS_MODEL,
    ),
    ...(v.AWP_EMBEDDINGS_DIMENSIONS !== undefined && v.AWP_EMBEDDINGS_PROVIDER === undefined
      ? ['AWP_EMBEDDINGS_PROVIDER: required when AWP_EMBEDDINGS_DIMENSIONS is set (openai)']
      : []),
    ...(v.AWP_QDRANT_API_KEY !== undefined && v.AWP_QDRANT_URL === undefined
      ? ['AWP_QDRANT_URL: required with AWP_QDRANT_API_KEY']
      : []),
  ];
  if (problems.length > 0) return { problems };
  return {
    llm:
      v.AWP_LLM_PROVIDER && v.AWP_LLM_MODEL
        ? hidingApiKey({
            provider: v.AWP_LLM_PROVIDER,
            baseUrl: v.AWP_LLM_BASE_URL,
            apiKey: v.AWP_LLM_API_KEY,
            model: v.AWP_LLM_MODEL,
            timeoutMs: v.AWP_LLM_TIMEOUT_MS,
          })
        : undefined,
    llmFallbacks: v.AWP_LLM_FALLBACKS.map((entry) =>
      hidingApiKey({
        name: entry.name,
        provider: entry.provider,
        baseUrl: entry.baseUrl,
        apiKey: entry.apiKey,
        model: entry.model,
        timeoutMs: v.AWP_LLM_TIMEOUT_MS,
      }),
    ),
    llmPrices: v.AWP_LLM_PRICES,
    embeddings:
      v.AWP_EMBEDDINGS_PROVIDER && v.AWP_EMBEDDINGS_MODEL
        ? hidingApiKey({
            provider: v.AWP_EMBEDDINGS_PROVIDER,
            baseUrl: v.AWP_EMBEDDINGS_BASE_URL,
            apiKey: v.AWP_EMBEDDINGS_API_KEY,
            model: v.AWP_EMBEDDINGS_MODEL,
            timeoutMs: v.AWP_LLM_TIMEOUT_MS,
            dimensions: v.AWP_EMBEDDINGS_DIMENSIONS ?? defaultEmbeddingDimensions,
          })
        : undefined,
    qdrant: v.AWP_QDRANT_URL
      ? hidingApiKey({ url: v.AWP_QDRANT_URL, apiKey: v.AWP_QDRANT_API_KEY })
      : undefined,
  };
}

function serviceProblems(
  prefix: 'AWP_LLM' | 'AWP_EMBEDDINGS',
  provider: string | undefined,
  baseUrl: string | undefined,
  apiKey: string | undefined,
  model: string | undefined,
): string[] {
  if (provider === undefined) {
    const stray = [
      baseUrl === undefined ? null : `${prefix}_BASE_URL`,
      apiKey === undefined ? null : `${prefix}_API_KEY`,
      model === undefined ? null : `${prefix}_MODEL`,
    ].filter((name) => name !== null);
    return stray.length === 0
      ? []
      : [
          `${prefix}_PROVIDER: required when ${stray.join(' and ')} ${stray.length === 1 ? 'is' : 'are'} set ` +
            (prefix === 'AWP_LLM' ? '(openai or anthropic)' : '(openai)'),
        ];
  }
  const problems: string[] = [];
  if (model === undefined) {
    problems.push(`${prefix}_MODEL: required with ${prefix}_PROVIDER (the vendor's model id)`);
  }
  // Anthropic's SDK always needs a key; an OpenAI-compatible server of one's own may not.
  if (apiKey === undefined && (provider === 'anthropic' || baseUrl === undefined)) {
    problems.push(
      provider === 'anthropic'
        ? `${prefix}_API_KEY: required with ${prefix}_PROVIDER=anthropic`
        : `${prefix}_API_KEY: required with ${prefix}_PROVIDER=openai unless ${prefix}_BASE_URL names a server without authentication`,
    );
  }
  return problems;
}

/**
 * The settings as they are, but shown with the key replaced wherever they get printed whole:
 * JSON.stringify (and so the pino logger), util.inspect and console.log. The key itself stays
 * an ordinary field, so spreading or passing the settings on keeps it.
 */
function hidingApiKey<T extends { apiKey: string | undefined }>(settings: T): T {
  const shown = () => ({
    ...settings,
    apiKey: settings.apiKey === undefined ? undefined : '[redacted]',
  });
  Object.defineProperty(settings, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(settings, inspect.custom, {
    value: (_depth: number, options: object) => inspect(shown(), options),
    enumerable: false,
  });
  return settings;
}
