import { randomBytes } from 'node:crypto';
import type { AssistantReplies } from '../../domains/conversation/index.js';
import type { Authenticator } from '../../gateway/index.js';
import { loadConfig } from '../../infra/config/config.js';
import type { Config } from '../../infra/config/config.js';
import type { Logger } from '../../infra/logging/logger.js';
import { devEndpoints } from '../../infra/dev/endpoints.js';
import { availableDomains } from '../../infra/runtime/serviceNames.js';
import type { DomainName } from '../../infra/runtime/serviceNames.js';
import { startPlatform } from '../../infra/runtime/platform.js';
import type { RunningPlatform } from '../../infra/runtime/platform.js';
import { createTestDatabase, uniqueSuffix } from './realServices.js';

export type ProfileName = 'embedded' | 'distributed';

export interface TestPlatform extends RunningPlatform {
  config: Config;
}

/**
 * A whole AWP process on an ephemeral port. `embedded`: PGlite in memory (or in `dataDir`),
 * in-process bus and cache. `distributed`: a fresh database on the real PostgreSQL, Kafka topics
 * and Redis keys under a unique prefix.
 */
export async function startTestPlatform(
  profile: ProfileName,
  env: Record<string, string> = {},
  options: {
    authenticator?: Authenticator;
    logger?: Logger;
    assistantReplies?: AssistantReplies;
    /** The services this process hosts; by default every one. */
    services?: readonly DomainName[];
  } = {},
): Promise<TestPlatform> {
  const base: Record<string, string> = {
    AWP_PORT: '0',
    AWP_LOG_LEVEL: 'silent',
    AWP_DATA_DIR: 'memory://',
    AWP_RELAY_POLL_MS: '100',
    // Tests poll the API far faster than a person clicks: the free tier's request budget
    // (60 a minute) would make any test that waits for a read model flaky. Tests of the
    // limits themselves set AWP_TIER_LIMITS.
    AWP_TIER_LIMITS: JSON.stringify({ free: { apiRequestsPerMinute: 100_000 } }),
  };
  let dropDatabase = async (): Promise<void> => undefined;
  if (profile === 'distributed') {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    Object.assign(base, {
      AWP_DATABASE_URL: database.url,
      AWP_KAFKA_BROKERS: devEndpoints.kafka.brokers,
      AWP_REDIS_URL: devEndpoints.redis.url,
      AWP_TOPIC_PREFIX: `test-${uniqueSuffix()}.`,
      AWP_TOPIC_PARTITIONS: '3',
      AWP_SECRETS_KEY: randomBytes(32).toString('base64'),
    });
  }
  const config = loadConfig({ ...base, ...env });
  const platform = await startPlatform({
    config,
    services: options.services ?? availableDomains(),
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.assistantReplies ? { assistantReplies: options.assistantReplies } : {}),
  });
  return {
    ...platform,
    config,
    async stop() {
      await platform.stop();
      await dropDatabase();
    },
  };
}
