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
