import { dump } from 'js-yaml';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwpError, createEventCatalog, eventSchemas, isRole } from '../contracts/index.js';
import {
  ConnectorCatalogStore,
  connectorMigrations,
  createAgentApiRouter,
} from '../domains/agent/index.js';
import type { AgentApiDeps } from '../domains/agent/index.js';
import {
  inventoryApiDocument,
  ordersApiDocument,
  ordersApiYaml,
} from '../domains/agent/connectors/connectorFixtures.spec.js';
import { createGateway } from '../gateway/index.js';
import type { Authenticator } from '../gateway/index.js';
import { createOpenApiDocumentFetcher } from '../infra/http/openApiDocumentFetcher.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import type { EmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { eventStoreMigrations } from '../infra/postgres/eventStoreMigrations.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { createPgEventStore } from '../infra/postgres/pgEventStore.js';
import { systemClock, uuidV7Ids } from '../infra/system/systemClock.js';
import { startHttpServer } from './support/servers/index.js';
import type { StartedHttpServer } from './support/servers/index.js';
import { petstoreSwagger } from './support/servers/petstoreSwagger.js';

/**
 * The connector API as a host would mount it: the gateway, the agent domain's tsoa routes, the
 * catalog on the real Postgres event store (PGlite in memory), the SSRF-guarded fetcher, and a
 * real HTTP server publishing a document on loopback. The fetcher allows that server for the
 * account `acme` only, as a tenant's allow-list would; for every other account it stays refused.
 */

const secretValue = 'sk_live_never-show-this-4c3b2a';
const bodyLimitBytes = 4 * 1024 * 1024;

/** `Authorization: Bearer <account>:<role>`: the identity the gateway would have verified. */
const testAuthenticator: Authenticator = {
  async authenticate(headers) {
    const [account, role = 'owner'] = String(headers.authorization ?? '')
      .replace(/^Bearer /, '')
      .split(':');
    if (!account)
      return { actor: { type: 'user', id: 'anonymous' }, roles: [], credential: 'none' };
    if (!isRole(role)) throw new AwpError('unauthorized', 'unknown role');
    return {
      actor: { type: 'user', id: `${account}-user` },
      accountId: account,
      roles: [role],
      credential: 'jwt',
    };
  },
};

let embedded: EmbeddedPostgres;
let db: ReturnType<typeof createPgDatabase>;
let documents: StartedHttpServer;
let fetcher: ReturnType<typeof createOpenApiDocumentFetcher>;
let http: ReturnType<typeof request>;
const stored: string[] = [];
/** Every body the API answered, to prove a credential value never left. */
const answered: string[] = [];

const as = (account: string, role = 'owner') => ({ authorization: `Bearer ${account}:${role}` });
function recorded(response: Response): Response {
  answered.push(response.text);
  return response;
}
const upload = async (account: string, body: object) =>
  recorded(await http.post('/v1/connectors').set(as(account)).send(body));

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  db = createPgDatabase({ connectionString: embedded.url, poolSize: 1 });
  await migrate(db, [...eventStoreMigrations, ...connectorMigrations]);
  const { validate } = createEventCatalog(eventSchemas);
  const eventStore = createPgEventStore({ db, clock: systemClock, ids: uuidV7Ids, validate });
  documents = await startHttpServer((incoming, response) => {
    if (incoming.path !== '/openapi.yaml') return void response.writeHead(404).end();
    response.setHeader('content-type', 'application/yaml');
    response.end(ordersApiYaml);
  });
  fetcher = createOpenApiDocumentFetcher({
    policyFor: (accountId) => ({
      allowHosts: accountId === 'acme' ? [`127.0.0.1:${documents.port}`] : [],
    }),
  });
  const connectors = new ConnectorCatalogStore({
    ...{ db, eventStore, ids: uuidV7Ids, clock: systemClock, fetcher },
    credentials: {
      async store(_accountId, secretName, value) {
        stored.push(`${secretName}=${value}`);
      },
    },
  });
  const app = createGateway({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    readiness: [],
    // Only the connector catalog is exercised here; the domain's other concerns stay unwired.
    routers: [createAgentApiRouter({ connectors } as Partial<AgentApiDeps> as AgentApiDeps)],
    bodyLimitBytes,
    authenticator: testAuthenticator,
  });
  http = request(app.callback());
});

afterAll(async () => {
  await fetcher?.close();
  await documents?.close();
  await db?.close();
  await embedded?.stop();
});

describe('connector API', () => {
  let ordersId: string;

  it('imports a document sent as a JSON object: 201, Location and the import report', async () => {
    const response = await upload('acme', {
      name: 'Orders',
      document: ordersApiDocument(),
      credentials: { secretName: 'ORDERS_KEY', value: secretValue },
    });
    expect(response.status).toBe(201);
    ordersId = response.body.connector.connectorId;
    expect(response.headers.location).toBe(`/v1/connectors/${ordersId}`);
    expect(response.body).toMatchObject({
      created: true,
      connector: {
        name: 'Orders',
        version: 1,
        documentUri: `awp://connectors/${ordersId}/openapi.json`,
        operationCount: 5,
        credentialSecret: 'ORDERS_KEY',
      },
      notCallable: [{ method: 'GET', path: '/orders/{orderId}/shipments' }],
    });
    expect(stored).toEqual([`ORDERS_KEY=${secretValue}`]);
  });

  it('re-imports YAML text under the same name as version 2 (200)', async () => {
    const response = await upload('acme', { name: 'orders', document: dump(ordersApiDocument()) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      created: false,
      connector: { connectorId: ordersId, version: 2, credentialSecret: 'ORDERS_KEY' },
    });
  });

  it('lists, describes and serves the document of the caller’s connectors', async () => {
    const list = recorded(await http.get('/v1/connectors').set(as('acme', 'viewer')));
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['orders']);
    const details = recorded(
      await http.get(`/v1/connectors/${ordersId}`).set(as('acme', 'viewer')),
    );
    expect(details.body.operations).toHaveLength(5);
    expect(details.body.operations[0]).toMatchObject({
      connectorId: ordersId,
      credentialSecret: 'ORDERS_KEY',
      documentUri: `awp://connectors/${ordersId}/openapi.json`,
    });
    const document = recorded(
      await http.get(`/v1/connectors/${ordersId}/document`).set(as('acme')),
    );
    expect(document.status).toBe(200);
    expect(document.body).toEqual(ordersApiDocument());
  });

  it('searches one connector’s operations, saying when nothing matched', async () => {
    const search = (q: string) =>
      http
        .get(`/v1/connectors/${ordersId}/operations/search`)
        .query({ q, limit: 2 })
        .set(as('acme'));
    const found = recorded(await search('cancel order'));
    expect(found.body.matched).toBe(true);
    expect(found.body.items[0].operationId).toBe('cancelOrder');
    const fallback = recorded(await search('zebra'));
    expect(fallback.body).toMatchObject({ matched: false });
    expect(fallback.body.items).toHaveLength(2);
    const invalid = await http
      .get(`/v1/connectors/${ordersId}/operations/search`)
      .query({ limit: 0 })
      .set(as('acme'));
    expect(invalid.status).toBe(400);
  });

  it('imports by URL from a host the tenant allows; refuses loopback for others', async () => {
    const url = `${documents.baseUrl}/openapi.yaml`;
    const imported = recorded(
      await http.post('/v1/connectors/import').set(as('acme')).send({ name: 'Orders by URL', url }),
    );
    expect(imported.status).toBe(201);
    expect(imported.body.connector).toMatchObject({
      source: 'url',
      sourceUrl: url,
      documentUri: url,
    });
    const refused = await http
      .post('/v1/connectors/import')
      .set(as('globex'))
      .send({ name: 'Orders', url });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      type: 'https://awp.dev/problems/validation',
      field: 'url',
    });
    expect(refused.body.detail).toBe(
      `the document URL was refused: outbound call to ${documents.baseUrl} refused: 127.0.0.1 is a ` +
        'loopback address; a tenant admin can allow it in the outbound allow-list',
    );
  });

  it('refuses a malformed document with the line and column of the problem', async () => {
    const response = await upload('acme', {
      name: 'Broken',
      document: 'openapi: 3.0.3\ninfo: [\n',
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/^the document is neither valid JSON nor YAML: 3:1 /);
    expect(response.body.errors[0]).toMatchObject({ line: 3, column: 1 });
    const invalid = await upload('acme', {
      name: 'Broken',
      document: ordersApiYaml.replace(
        "'204': { description: cancelled }",
        "'204': { descriptio: x }",
      ),
    });
    expect(invalid.body.detail).toMatch(/^the OpenAPI document is invalid: 78:16 /);
  });

  it('refuses Swagger 2.0 and oversized documents, saying why', async () => {
    const swagger = await upload('acme', { name: 'Petstore', document: petstoreSwagger('p.test') });
    expect(swagger.status).toBe(400);
    expect(swagger.body.detail).toMatch(
      /^this is a Swagger 2\.0 document; connectors take OpenAPI 3\.0 or 3\.1 only/,
    );
    const padded = { ...inventoryApiDocument(), 'x-padding': 'x'.repeat(3 * 1024 * 1024) };
    const oversized = await upload('acme', { name: 'Huge', document: padded });
    expect(oversized.status).toBe(400);
    expect(oversized.body.detail).toBe(
      "the document is 3.0 MiB; a connector's OpenAPI document is at most 2.0 MiB",
    );
    const beyondTheGateway = await upload('acme', {
      name: 'Huge',
      document: 'x'.repeat(bodyLimitBytes),
    });
    expect(beyondTheGateway.status).toBe(413);
  });

  it('refuses invalid requests field by field', async () => {
    const badName = await upload('acme', { name: '../etc', document: ordersApiYaml });
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe('name');
    const noDocument = await upload('acme', { name: 'Empty' });
    expect(noDocument.body).toMatchObject({ status: 400, field: 'document' });
    const badSecret = await upload('acme', {
      name: 'Orders',
      document: ordersApiYaml,
      credentials: { secretName: 'has space', value: secretValue },
    });
    expect(badSecret.body.field).toBe('credentials.secretName');
  });

  it('answers another tenant 404 for every connector action, and shows it nothing', async () => {
    const globex = as('globex');
    for (const path of ['', '/document', '/operations/search?q=order']) {
      const response = await http.get(`/v1/connectors/${ordersId}${path}`).set(globex);
      expect(response.status).toBe(404);
      expect(response.body.detail).toBe(`connector '${ordersId}' does not exist`);
    }
    expect((await http.delete(`/v1/connectors/${ordersId}`).set(globex)).status).toBe(404);
    expect((await http.get('/v1/connectors').set(globex)).body).toEqual({ items: [] });
  });

  it('answers 401 without a credential and 403 for a role without the permission', async () => {
    const anonymous = await http.get('/v1/connectors');
    expect(anonymous.status).toBe(401);
    const viewer = await http
      .post('/v1/connectors')
      .set(as('acme', 'viewer'))
      .send({ name: 'X', document: ordersApiYaml });
    expect(viewer.status).toBe(403);
    expect(
      (await http.delete(`/v1/connectors/${ordersId}`).set(as('acme', 'operator'))).status,
    ).toBe(403);
  });

  it('removes a connector: 204, then 404, recorded as ConnectorRemoved', async () => {
    const removed = await http.delete(`/v1/connectors/${ordersId}`).set(as('acme'));
    expect(removed.status).toBe(204);
    expect((await http.get(`/v1/connectors/${ordersId}`).set(as('acme'))).status).toBe(404);
    const { rows } = await db.query<{ type: string; stream_version: number }>(
      `SELECT type, stream_version FROM es_events WHERE stream_id = $1 ORDER BY stream_version`,
      [`connector-${ordersId}`],
    );
    expect(rows.map((row) => [row.type, row.stream_version])).toEqual([
      ['ConnectorImported', 1],
      ['ConnectorImported', 2],
      ['ConnectorRemoved', 3],
    ]);
  });

  it('never lets the credential value out: no response, event or outbox row holds it', async () => {
    const events = await db.query('SELECT data::text AS data FROM es_events');
    const outbox = await db.query('SELECT payload::text AS payload FROM es_outbox');
    const imported = events.rows.find((row) => String(row.data).includes('ORDERS_KEY'));
    expect(imported).toBeDefined();
    expect(answered.length).toBeGreaterThan(5);
    expect(JSON.stringify([answered, events.rows, outbox.rows])).not.toContain(secretValue);
  });
});
