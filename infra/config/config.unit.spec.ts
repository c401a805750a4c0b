import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('starts on the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '.awp/data',
      databaseUrl: undefined,
      kafkaBrokers: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ AWP_PORT: '', AWP_DATABASE_URL: '' })).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
    });
  });

  it('reads the distributed settings', () => {
    const config = loadConfig({
      AWP_DATABASE_URL: 'postgres://awp@db:5432/awp',
      AWP_KAFKA_BROKERS: 'k1:9092, k2:9092',
      AWP_REDIS_URL: 'redis://cache:6379',
      AWP_SCHEMA_REGISTRY_URL: 'http://registry:8081',
    });
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.databaseUrl).toBe('postgres://awp@db:5432/awp');
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.kafkaClient).toBe('platformatic');
    expect(loadConfig({ AWP_WORKFLOW_URL: 'http://workflow:8080//' }).workflowUrl).toBe(
      'http://workflow:8080',
    );
    expect(loadConfig({ AWP_KAFKA_CLIENT: 'kafkajs' }).kafkaClient).toBe('kafkajs');
  });

  it.each([
    ['AWP_ADMIN_TOKEN', 'short-secret'],
    ['AWP_DATABASE_URL', 'mysql://root:hunter2@db/awp'],
    ['AWP_REDIS_URL', 'http://:hunter2@cache'],
  ])('refuses %s without echoing the secret', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).not.toContain(value);
  });

  it.each([
    ['1048576', 1048576],
    ['512kb', 512 * 1024],
    ['2MB', 2 * 1024 * 1024],
  ])('reads the body limit %s', (raw, bytes) => {
    expect(loadConfig({ AWP_BODY_LIMIT: raw }).bodyLimitBytes).toBe(bytes);
  });

  it.each([
    ['AWP_PORT', 'eighty'],
    ['AWP_PORT', '70000'],
    ['AWP_KAFKA_CLIENT', 'librdkafka'],
    ['AWP_KAFKA_BROKERS', 'broker-without-port'],
    ['AWP_LOG_LEVEL', 'loud'],
    ['AWP_BODY_LIMIT', 'a lot'],
    ['AWP_DB_POOL_SIZE', '0'],
    ['AWP_WORKFLOW_URL', 'workflow:8080'],
    ['AWP_WORKFLOW_URL', 'ftp://workflow/'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).toContain(`'${value}'`);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ AWP_PORT: '-1', AWP_LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['AWP_LOG_LEVEL', 'AWP_PORT']);
  });
});

describe('language-model configuration', () => {
  const openAi = {
    AWP_LLM_PROVIDER: 'openai',
    AWP_LLM_API_KEY: 'sk-live-abcdef0123456789',
    AWP_LLM_MODEL: 'gpt-4o-mini',
  };

  it('has no platform model, prices, embeddings or Qdrant unless configured', () => {
    expect(loadConfig({})).toMatchObject({
      llm: undefined,
      llmPrices: {},
      embeddings: undefined,
      qdrant: undefined,
    });
  });

  it('reads the platform model, its timeout and the price table', () => {
    const config = loadConfig({
      ...openAi,
      AWP_LLM_BASE_URL: 'http://vllm:8000/v1',
      AWP_LLM_TIMEOUT_MS: '20000',
      AWP_LLM_PRICES: '{"gpt-4o-mini":{"inputPerMillionUsd":0.15,"outputPerMillionUsd":0.6}}',
    });
    expect(config.llm).toEqual({
      provider: 'openai',
      baseUrl: 'http://vllm:8000/v1',
      apiKey: 'sk-live-abcdef0123456789',
      model: 'gpt-4o-mini',
      timeoutMs: 20_000,
    });
    expect(config.llmPrices['gpt-4o-mini']).toEqual({
      inputPerMillionUsd: 0.15,
      outputPerMillionUsd: 0.6,
    });
  });

  it('lets an OpenAI-compatible server of its own go without a key', () => {
    const config = loadConfig({
      AWP_LLM_PROVIDER: 'openai',
      AWP_LLM_BASE_URL: 'http://ollama:11434/v1',
      AWP_LLM_MODEL: 'llama3.1',
    });
    expect(config.llm?.apiKey).toBeUndefined();
  });

  it('reads embeddings and Qdrant settings', () => {
    const config = loadConfig({
      AWP_EMBEDDINGS_PROVIDER: 'openai',
      AWP_EMBEDDINGS_BASE_URL: 'http://tei:8080/v1',
      AWP_EMBEDDINGS_MODEL: 'bge-small-en',
      AWP_QDRANT_URL: 'http://qdrant:6333',
      AWP_QDRANT_API_KEY: 'qdrant-secret-key',
    });
    expect(config.embeddings).toMatchObject({ provider: 'openai', model: 'bge-small-en' });
    expect(config.qdrant).toEqual({ url: 'http://qdrant:6333', apiKey: 'qdrant-secret-key' });
  });

  it('sizes the memory store for 1536-dimension vectors unless AWP_EMBEDDINGS_DIMENSIONS says otherwise', () => {
    const embeddings = {
      AWP_EMBEDDINGS_PROVIDER: 'openai',
      AWP_EMBEDDINGS_BASE_URL: 'http://tei:8080/v1',
      AWP_EMBEDDINGS_MODEL: 'bge-small-en',
    };
    expect(loadConfig(embeddings).embeddings?.dimensions).toBe(1536);
    expect(
      loadConfig({ ...embeddings, AWP_EMBEDDINGS_DIMENSIONS: '384' }).embeddings?.dimensions,
    ).toBe(384);
  });

  it.each(['0', '1.5', 'wide', '16001'])('refuses AWP_EMBEDDINGS_DIMENSIONS=%s', (value) => {
    const problems = problemsOf({
      AWP_EMBEDDINGS_PROVIDER: 'openai',
      AWP_EMBEDDINGS_BASE_URL: 'http://tei:8080/v1',
      AWP_EMBEDDINGS_MODEL: 'bge-small-en',
      AWP_EMBEDDINGS_DIMENSIONS: value,
    });
    expect(problems).toEqual([expect.stringMatching(/^AWP_EMBEDDINGS_DIMENSIONS: must be/)]);
  });

  it('never shows an API key when the configuration is printed or logged', () => {
    const config = loadConfig({
      ...openAi,
      AWP_EMBEDDINGS_PROVIDER: 'openai',
      AWP_EMBEDDINGS_API_KEY: 'sk-embed-secret-0000',
      AWP_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      AWP_QDRANT_URL: 'http://qdrant:6333',
      AWP_QDRANT_API_KEY: 'qdrant-secret-key',
    });
    const secrets = ['sk-live-abcdef0123456789', 'sk-embed-secret-0000', 'qdrant-secret-key'];
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 5 })]) {
      for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(shown).toContain('[redacted]');
    }
    expect(config.llm?.apiKey).toBe('sk-live-abcdef0123456789');
  });

  it.each([
    [{ AWP_LLM_MODEL: 'gpt-4o' }, 'AWP_LLM_PROVIDER: required when AWP_LLM_MODEL is set'],
    [{ AWP_LLM_PROVIDER: 'openai', AWP_LLM_API_KEY: 'k' }, 'AWP_LLM_MODEL: required'],
    [{ AWP_LLM_PROVIDER: 'openai', AWP_LLM_MODEL: 'gpt-4o' }, 'AWP_LLM_API_KEY: required'],
    [
      { AWP_LLM_PROVIDER: 'anthropic', AWP_LLM_BASE_URL: 'http://proxy/', AWP_LLM_MODEL: 'c' },
      'AWP_LLM_API_KEY: required with AWP_LLM_PROVIDER=anthropic',
    ],
    [{ AWP_EMBEDDINGS_MODEL: 'e' }, 'AWP_EMBEDDINGS_PROVIDER: required'],
    [{ AWP_EMBEDDINGS_DIMENSIONS: '384' }, 'AWP_EMBEDDINGS_PROVIDER: required when'],
    [{ AWP_QDRANT_API_KEY: 'k' }, 'AWP_QDRANT_URL: required'],
  ])('refuses incomplete settings %j', (env, problem) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it.each([
    ['AWP_LLM_PROVIDER', 'bedrock'],
    ['AWP_EMBEDDINGS_PROVIDER', 'anthropic'],
    ['AWP_LLM_BASE_URL', 'localhost:11434'],
    ['AWP_LLM_TIMEOUT_MS', 'soon'],
    ['AWP_QDRANT_URL', 'qdrant:6333'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it.each([
    ['{not json', /is not valid JSON/],
    [
      '{"gpt-4o":{"inputPerMillionUsd":"2.5","outputPerMillionUsd":10}}',
      /'gpt-4o.inputPerMillionUsd'/,
    ],
    ['{"gpt-4o":{"inputPerMillionUsd":2.5}}', /'gpt-4o.outputPerMillionUsd'/],
    ['{"gpt-4o":{"input":1,"inputPerMillionUsd":1,"outputPerMillionUsd":1}}', /gpt-4o/],
  ])('refuses the price table %s, saying what is wrong', (text, why) => {
    const problems = problemsOf({ AWP_LLM_PRICES: text });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AWP_LLM_PRICES: /);
    expect(problems[0]).toMatch(why);
  });

  it.each([
    ['AWP_LLM_API_KEY', 'sk-only-the-key-0001'],
    ['AWP_QDRANT_API_KEY', 'qdrant-only-key-0002'],
  ])('refuses %s without echoing the key', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.join('\n')).not.toContain(value);
  });
});
