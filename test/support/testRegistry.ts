import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Database, EventSchemaEntry } from '../../contracts/index.js';
import { createConfluentRegistryClient, eventSchemas } from '../../contracts/index.js';
import { createSchemaRegistryRouter } from '../../contracts/registry/index.js';
import { createGateway } from '../../gateway/index.js';

export interface TestRegistry {
  /** Base URL of the REST API, as clients are configured with it. */
  url: string;
  close(): Promise<void>;
}

/**
 * The built-in schema registry on a real HTTP server, over `db` (which needs the registry
 * migrations). `port` lets a test start it where a client already points, to end an "outage".
 */
export async function startTestRegistry(db: Database, port = 0): Promise<TestRegistry> {
  // Behind the same gateway the platform mounts it on.
  const app = createGateway({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    readiness: [],
    routers: [createSchemaRegistryRouter({ db })],
    bodyLimitBytes: 1024 * 1024,
  });
  const server = createServer(app.callback());
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/schema-registry`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const registryClientFor = (url: string) =>
  createConfluentRegistryClient({ url, retries: 0 });

/**
 * A schema for an event type that exists only in tests (e.g. `Noted` with `{ version }`): the
 * real envelope of every AWP event around the given data fields.
 */
export function testEventSchema(
  type: string,
  dataFields: Array<{ name: string; type: unknown; default?: unknown }>,
): EventSchemaEntry {
  const envelope = eventSchemas.TenantCreated.schema.fields.slice(0, -1);
  return {
    domain: 'test',
    schema: {
      type: 'record',
      name: type,
      namespace: 'awp.test',
      fields: [
        ...envelope,
        { name: 'data', type: { type: 'record', name: `${type}Data`, fields: dataFields } },
      ],
    },
  };
}
