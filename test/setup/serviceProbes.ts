import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { devEndpoints } from '../../infra/dev/endpoints.js';

export const serviceNames = ['postgres', 'redis', 'kafka'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** Resolves when the service answers its own protocol, rejects with the reason otherwise. */
export const probes: Record<ServiceName, () => Promise<void>> = {
  async postgres() {
    const client = new pg.Client({
      connectionString: devEndpoints.postgres.url,
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async redis() {
    const redis = new Redis(devEndpoints.redis.url, {
      lazyConnect: true,
      connectTimeout: 3_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  },
  async kafka() {
    const admin = new Kafka({
      clientId: 'awp-test-probe',
      brokers: [devEndpoints.kafka.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 1 },
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
};
