import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../test/support/testDatabases.js';
import type { Database } from '../ports/database.js';
import { schemaRegistryMigrations } from './registryMigrations.js';
import { createSchemaRegistryRouter } from './registryRoutes.js';

const mediaType = 'application/vnd.schemaregistry.v1+json';

type Field = { name: string; type: unknown; default?: unknown };
const user = (...fields: Field[]) => ({
  type: 'record' as const,
  name: 'User',
  namespace: 'com.acme',
  fields: [{ name: 'id', type: 'string' }, ...fields],
});
const optionalEmail = { name: 'email', type: ['null', 'string'], default: null };
const emailWithDefault = { name: 'email', type: 'string', default: '' };
const requiredEmail = { name: 'email', type: 'string' };

const asConfluent = (schema: object): { type: SchemaType.AVRO; schema: string } => ({
  type: SchemaType.AVRO,
  schema: JSON.stringify(schema),
});

/**
 * The router as the gateway mounts it, without the gateway: contracts/ may not import gateway/
 * (dependency-cruiser). The body parser is configured like gateway/middleware/jsonBody.ts.
 */
function registryApp(db: Database): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonStrict: true,
      detectJSON: (ctx) => Boolean(ctx.is('application/json', '+json')),
    }),
  );
  const router = createSchemaRegistryRouter({ db });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** The REST calls the client does not expose (config, listings) and raw error bodies. */
function restClient(baseUrl: string) {
  return async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': mediaType },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions probe the JSON
      body: json as any,
    };
  };
}

interface ClientApi {
  Subject: {
    compatible(args: {
      subject: string;
      version?: string | number;
      body: object;
    }): Promise<{ data(): unknown }>;
  };
}

/** The client's own compatibility call, which `SchemaRegistry` keeps private. */
const apiOf = (registry: SchemaRegistry) => (registry as unknown as { api: ClientApi }).api;

function schemaRegistrySuite(kind: DatabaseKind) {
  let opened: OpenedDatabase;
  let server: Server;
  let baseUrl: string;
  let registry: SchemaRegistry;
  let rest: ReturnType<typeof restClient>;

  beforeAll(async () => {
    opened = await openTestDatabase(kind, schemaRegistryMigrations);
    server = createServer(registryApp(opened.db).callback());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schema-registry`;
    registry = new SchemaRegistry({ host: baseUrl });
    rest = restClient(baseUrl);
  });

  afterAll(async () => {
    server?.close();
    await opened?.close();
  });

  const register = (subject: string, schema: object, compatibility = 'BACKWARD_TRANSITIVE') =>
    registry.register(asConfluent(schema), {
      subject,
      compatibility: compatibility as COMPATIBILITY,
    });

  it('registers a schema and round-trips a message in the Confluent wire format', async () => {
    const { id } = await register('round-trip-value', user());
    const message = await registry.encode(id, { id: 'u-1' });
    expect(message[0]).toBe(0);
    expect(message.readUInt32BE(1)).toBe(id);
    // A fresh client has nothing cached, so it fetches the writer schema by id.
    const decoded = await new SchemaRegistry({ host: baseUrl }).decode(message);
    expect(decoded).toEqual({ id: 'u-1' });
  });

  it('answers 40408 before a subject has its own level, then the level the client set', async () => {
    const before = await rest('GET', '/config/first-time-value');
    expect(before.status).toBe(404);
    expect(before.body.error_code).toBe(40408);
    await register('first-time-value', user());
    const after = await rest('GET', '/config/first-time-value');
    expect(after.body).toEqual({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
  });

  it('accepts a compatible evolution as version 2 and decodes old data with a reader schema', async () => {
    const v1 = await register('evolving-value', user());
    const written = await registry.encode(v1.id, { id: 'u-1' });
    const v2 = await register('evolving-value', user(optionalEmail));
    expect(v2.id).not.toBe(v1.id);
    expect((await rest('GET', '/subjects/evolving-value/versions')).body).toEqual([1, 2]);
    const read = await registry.decode(written, {
      [SchemaType.AVRO]: { readerSchema: user(optionalEmail) },
    });
    expect(read).toEqual({ id: 'u-1', email: null });
  });

  it('refuses a breaking change with 409 naming the version and the reason', async () => {
    await register('breaking-value', user());
    const refused = register('breaking-value', user(requiredEmail));
    await expect(refused).rejects.toMatchObject({ status: 409 });
    await expect(refused).rejects.toThrow(/version 1.*email/);
    const raw = await rest('POST', '/subjects/breaking-value/versions', {
      schema: JSON.stringify(user(requiredEmail)),
    });
    expect(raw.status).toBe(409);
    expect(raw.body.error_code).toBe(409);
    expect(raw.body.message).toContain('incompatible with an earlier schema');
    expect((await rest('GET', '/subjects/breaking-value/versions')).body).toEqual([1]);
  });

  it('returns the existing id when the same schema is registered again', async () => {
    const first = await register('repeat-value', user(optionalEmail));
    const again = await register('repeat-value', user(optionalEmail));
    expect(again.id).toBe(first.id);
    // Whitespace and key order do not make a new schema.
    const reordered = `{ "fields": ${JSON.stringify(user(optionalEmail).fields, null, 2)},
      "namespace": "com.acme", "type": "record", "name": "User" }`;
    const raw = await rest('POST', '/subjects/repeat-value/versions', { schema: reordered });
    expect(raw.body).toEqual({ id: first.id });
    expect((await rest('GET', '/subjects/repeat-value/versions')).body).toEqual([1]);
  });

  it('gives the same schema the same id under two subjects', async () => {
    const schema = { type: 'record', name: 'Shared', fields: [{ name: 'x', type: 'int' }] };
    const first = await register('shared-a-value', schema);
    const second = await register('shared-b-value', schema);
    expect(second.id).toBe(first.id);
  });

  it('checks every earlier version under BACKWARD_TRANSITIVE, only the latest under BACKWARD', async () => {
    // v3 reads v2 data (every v2 record has an email) but not v1 data (no email, no default).
    for (const [subject, level] of [
      ['transitive-value', 'BACKWARD_TRANSITIVE'],
      ['latest-only-value', 'BACKWARD'],
    ] as const) {
      await register(subject, user(), level);
      await register(subject, user(emailWithDefault), level);
    }
    const transitive = register('transitive-value', user(requiredEmail));
    await expect(transitive).rejects.toMatchObject({ status: 409 });
    await expect(transitive).rejects.toThrow(/version 1/);
    const latestOnly = await register('latest-only-value', user(requiredEmail), 'BACKWARD');
    expect((await rest('GET', '/subjects/latest-only-value/versions')).body).toEqual([1, 2, 3]);
    expect(latestOnly.id).toEqual(expect.any(Number));
  });

  it('looks a schema up under its subject', async () => {
    const { id } = await register('lookup-value', user());
    expect(await registry.getRegistryIdBySchema('lookup-value', asConfluent(user()))).toBe(id);
    const raw = await rest('POST', '/subjects/lookup-value', { schema: JSON.stringify(user()) });
    expect(raw.body).toMatchObject({ subject: 'lookup-value', version: 1, id });
    expect(JSON.parse(raw.body.schema)).toEqual(user());

    const other = await rest('POST', '/subjects/lookup-value', {
      schema: JSON.stringify(user(optionalEmail)),
    });
    expect(other.status).toBe(404);
    expect(other.body.error_code).toBe(40403);
    const noSubject = await rest('POST', '/subjects/nobody', { schema: JSON.stringify(user()) });
    expect(noSubject.body.error_code).toBe(40401);
  });

  it('answers the latest and numbered versions of a subject', async () => {
    await register('versions-value', user());
    const { id: latestId } = await register('versions-value', user(optionalEmail));
    expect(await registry.getLatestSchemaId('versions-value')).toBe(latestId);
    expect(await registry.getRegistryId('versions-value', 2)).toBe(latestId);
    const latest = await rest('GET', '/subjects/versions-value/versions/latest');
    expect(latest.body).toMatchObject({ subject: 'versions-value', version: 2, id: latestId });
    expect(latest.type).toContain(mediaType);
    expect((await rest('GET', '/subjects')).body).toEqual(
      expect.arrayContaining(['versions-value', 'lookup-value']),
    );
  });

  it('answers unknown subjects, versions and ids with Confluent error codes', async () => {
    await register('known-value', user());
    const cases: Array<[string, number, number]> = [
      ['/subjects/unknown/versions', 404, 40401],
      ['/subjects/unknown/versions/latest', 404, 40401],
      ['/subjects/known-value/versions/7', 404, 40402],
      ['/subjects/known-value/versions/0', 422, 42202],
      ['/subjects/known-value/versions/one', 422, 42202],
      ['/schemas/ids/987654', 404, 40403],
    ];
    for (const [path, status, errorCode] of cases) {
      const response = await rest('GET', path);
      expect({ path, status: response.status, code: response.body.error_code }).toEqual({
        path,
        status,
        code: errorCode,
      });
      expect(response.type).toContain(mediaType);
    }
    await expect(registry.getLatestSchemaId('unknown')).rejects.toMatchObject({ status: 404 });
    const unknownId = Buffer.from([0, 0, 0x0f, 0x42, 0x3f, 0]);
    await expect(registry.decode(unknownId)).rejects.toThrow(/Schema 999999 not found/);
  });

  it('checks compatibility without registering', async () => {
    await register('check-value', user());
    const api = apiOf(registry);
    const check = async (schema: object, version: string | number = 'latest') =>
      (
        await api.Subject.compatible({
          subject: 'check-value',
          version,
          body: { schema: JSON.stringify(schema) },
        })
      ).data();
    expect(await check(user(optionalEmail))).toEqual({ is_compatible: true });
    expect(await check(user(requiredEmail), 1)).toEqual({ is_compatible: false });

    const verbose = await rest(
      'POST',
      '/compatibility/subjects/check-value/versions/latest?verbose=true',
      { schema: JSON.stringify(user(requiredEmail)) },
    );
    expect(verbose.body.is_compatible).toBe(false);
    expect(verbose.body.messages).toEqual([expect.stringContaining('email')]);
    const fresh = await rest('POST', '/compatibility/subjects/fresh-value/versions/latest', {
      schema: JSON.stringify(user()),
    });
    expect(fresh.body).toEqual({ is_compatible: true });
    const missing = await rest('POST', '/compatibility/subjects/check-value/versions/5', {
      schema: JSON.stringify(user()),
    });
    expect(missing.body.error_code).toBe(40402);
    expect((await rest('GET', '/subjects/check-value/versions')).body).toEqual([1]);
  });

  it('reads and changes the global and per-subject compatibility levels', async () => {
    expect((await rest('GET', '/config')).body).toEqual({
      compatibilityLevel: 'BACKWARD_TRANSITIVE',
    });
    expect((await rest('PUT', '/config', { compatibility: 'full' })).body).toEqual({
      compatibility: 'FULL',
    });
    expect((await rest('GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    const defaulted = await rest('GET', '/config/unset-value?defaultToGlobal=true');
    expect(defaulted.body).toEqual({ compatibilityLevel: 'FULL' });
    await rest('PUT', '/config', { compatibility: 'BACKWARD_TRANSITIVE' });

    expect((await rest('PUT', '/config/levels-value', { compatibility: 'NONE' })).body).toEqual({
      compatibility: 'NONE',
    });
    expect((await rest('GET', '/config/levels-value')).body).toEqual({
      compatibilityLevel: 'NONE',
    });
    // NONE lets anything follow, even a primitive (which the client itself will not register).
    await register('levels-value', user(), 'NONE');
    await register('levels-value', { type: 'record', name: 'Unrelated', fields: [] }, 'NONE');
    const primitive = await rest('POST', '/subjects/levels-value/versions', { schema: '"string"' });
    expect(primitive.body).toEqual({ id: expect.any(Number) });
    expect((await rest('GET', '/subjects/levels-value/versions')).body).toEqual([1, 2, 3]);

    for (const body of [{ compatibility: 'SIDEWAYS' }, { level: 'FULL' }]) {
      const refused = await rest('PUT', '/config/levels-value', body);
      expect(refused.status).toBe(422);
      expect(refused.body.error_code).toBe(42203);
    }
  });

  it('refuses a subject whose own level differs from the one the client asks for', async () => {
    await register('mismatch-value', user(), 'FULL');
    await expect(register('mismatch-value', user(), 'BACKWARD')).rejects.toThrow(
      /Compatibility does not match/,
    );
  });

  it('registers ten concurrent compatible schemas as ten distinct versions', async () => {
    const schemas = Array.from({ length: 10 }, (_, i) =>
      user({ name: `extra${i}`, type: ['null', 'int'], default: null }),
    );
    const ids = await Promise.all(schemas.map((schema) => register('concurrent-value', schema)));
    expect(new Set(ids.map((r) => r.id)).size).toBe(10);
    const versions = await rest('GET', '/subjects/concurrent-value/versions');
    expect(versions.body).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const stored = await Promise.all(
      versions.body.map((v: number) => registry.getRegistryId('concurrent-value', v)),
    );
    expect(new Set(stored)).toEqual(new Set(ids.map((r) => r.id)));
  });

  it('registers one schema sent ten times at once as one version with one id', async () => {
    const schema = user({ name: 'once', type: 'long', default: 0 });
    const sameSubject = await Promise.all(
      Array.from({ length: 10 }, () => register('identical-value', schema)),
    );
    expect(new Set(sameSubject.map((r) => r.id)).size).toBe(1);
    expect((await rest('GET', '/subjects/identical-value/versions')).body).toEqual([1]);

    const other = { type: 'record', name: 'Everywhere', fields: [{ name: 'x', type: 'int' }] };
    const tenSubjects = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register(`everywhere-${i}-value`, other)),
    );
    expect(new Set(tenSubjects.map((r) => r.id)).size).toBe(1);
  });

  it('refuses malformed bodies and invalid schemas', async () => {
    const badJson = await rest('POST', '/subjects/malformed-value/versions', '{"schema": ');
    expect(badJson.status).toBe(400);
    const cases: Array<[unknown, RegExp]> = [
      [{ schema: 42 }, /schema/],
      [{}, /schema/],
      [{ schema: '{not json' }, /not valid JSON/],
      [{ schema: '{"type":"record","name":"X"}' }, /fields/],
      [{ schema: '{"type":"record","fields":[]}' }, /name/],
      [{ schema: '"nope"' }, /nope/],
    ];
    for (const [body, message] of cases) {
      const response = await rest('POST', '/subjects/malformed-value/versions', body);
      expect(response.status).toBe(422);
      expect(response.body.error_code).toBe(42201);
      expect(response.body.message).toMatch(message);
    }
    expect((await rest('GET', '/subjects/malformed-value/versions')).status).toBe(404);
  });

  it('refuses schema types other than AVRO and schema references', async () => {
    const jsonSchema = {
      type: SchemaType.JSON,
      schema: JSON.stringify({ type: 'object' }),
    } as const;
    await expect(registry.register(jsonSchema, { subject: 'json-value' })).rejects.toMatchObject({
      status: 422,
    });
    const protobuf = await rest('POST', '/subjects/proto-value/versions', {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; message M {}',
    });
    expect(protobuf.body).toMatchObject({ error_code: 42201 });
    expect(protobuf.body.message).toContain('AVRO only');
    const referencing = await rest('POST', '/subjects/ref-value/versions', {
      schema: JSON.stringify(user()),
      references: [{ name: 'com.acme.Other', subject: 'other-value', version: 1 }],
    });
    expect(referencing.body.error_code).toBe(42201);
  });
}

describe('schema registry on PGlite (embedded profile)', () => {
  schemaRegistrySuite('pglite');
});

describeWithServices(['postgres'], 'schema registry on PostgreSQL (distributed profile)', () => {
  schemaRegistrySuite('postgres');
});
