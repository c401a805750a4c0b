/**
 * Where the development services started by `npm run services:up` listen. Loopback only, on
 * ports away from the defaults so a developer's own PostgreSQL/Redis/Kafka are left alone.
 * Tests and `.ci/run` read these; override with the AWP_DEV_* variables when a port is taken.
 */
function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got '${raw}'`);
  }
  return value;
}

export const devEndpoints = {
  postgres: {
    host: '127.0.0.1',
    port: port('AWP_DEV_PG_PORT', 55432),
    user: 'awp',
    /** Admin URL: tests create one database per spec file through it. */
    get url(): string {
      return `postgres://${this.user}@${this.host}:${this.port}/postgres`;
    },
  },
  redis: {
    host: '127.0.0.1',
    port: port('AWP_DEV_REDIS_PORT', 56379),
    get url(): string {
      return `redis://${this.host}:${this.port}`;
    },
  },
  kafka: {
    host: '127.0.0.1',
    port: port('AWP_DEV_KAFKA_PORT', 59092),
    controllerPort: port('AWP_DEV_KAFKA_CONTROLLER_PORT', 59093),
    get brokers(): string {
      return `${this.host}:${this.port}`;
    },
  },
} as const;
