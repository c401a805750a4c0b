import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Database } from '../ports/database.js';
import { storedDefinition } from './avroSchema.js';
import type { ParsedSchema } from './avroSchema.js';
import { findIncompatibilities } from './compatibility.js';
import {
  SchemaRegistryError,
  incompatibleSchema,
  schemaNotFound,
  subjectCompatibilityNotConfigured,
  subjectNotFound,
  versionNotFound,
} from './registryErrors.js';
import { levelFrom, param, parseVersion, schemaFrom } from './registryRequests.js';
import { createSchemaRegistryStore } from './registryStore.js';
import type { SchemaRegistryStore, SubjectVersion } from './registryStore.js';

export interface SchemaRegistryRouterOptions {
  db: Database;
}

/** What Confluent's registry answers with; its clients also accept plain JSON. */
const registryMediaType = 'application/vnd.schemaregistry.v1+json';

/**
 * The subset of the Confluent Schema Registry REST API that `@kafkajs/confluent-schema-registry`
 * uses, plus the global config and version listing, under `/schema-registry`. Any Confluent
 * client pointed at `<awp>/schema-registry` works unchanged.
 */
export function createSchemaRegistryRouter(options: SchemaRegistryRouterOptions): Router {
  const store = createSchemaRegistryStore(options.db);
  const router = new Router({ prefix: '/schema-registry' });
  router.use(confluentResponses);

  router.get('/subjects', async function listSubjects(ctx) {
    ctx.body = await store.listSubjects();
  });

  router.get('/subjects/:subject/versions', async function listVersions(ctx) {
    const subject = param(ctx, 'subject');
    const versions = await store.listVersions(subject);
    if (versions.length === 0) throw subjectNotFound(subject);
    ctx.body = versions;
  });

  router.post('/subjects/:subject/versions', async function registerSchema(ctx) {
    const subject = param(ctx, 'subject');
    const registration = await store.register(subject, schemaFrom(ctx.request.body));
    if (registration.outcome === 'incompatible') {
      const reasons = registration.incompatibilities.map((entry) => entry.reason).join('; ');
      throw incompatibleSchema(
        `Schema being registered is incompatible with an earlier schema for subject ` +
          `"${subject}" (compatibility ${registration.level}): ${reasons}`,
      );
    }
    ctx.body = { id: registration.id };
  });

  router.get('/subjects/:subject/versions/:version', async function getVersion(ctx) {
    const subject = param(ctx, 'subject');
    const version = parseVersion(param(ctx, 'version'));
    const found = await store.findVersion(subject, version);
    if (!found) throw await notFound(store, subject, version);
    ctx.body = versionBody(found);
  });

  router.post('/subjects/:subject', async function lookUpSchema(ctx) {
    const subject = param(ctx, 'subject');
    const found = await store.findInSubject(subject, schemaFrom(ctx.request.body));
    if (found) {
      ctx.body = versionBody(found);
      return;
    }
    throw (await store.listVersions(subject)).length === 0
      ? subjectNotFound(subject)
      : schemaNotFound();
  });

  router.get('/schemas/ids/:id', async function getSchemaById(ctx) {
    const rawId = param(ctx, 'id');
    const id = /^\d{1,10}$/.test(rawId) ? Number(rawId) : undefined;
    const found = id === undefined ? undefined : await store.findSchema(id);
    if (!found) throw schemaNotFound(rawId);
    // Confluent omits schemaType for AVRO, and clients read its absence as AVRO.
    ctx.body = found.schemaType === 'AVRO' ? { schema: found.schema } : found;
  });

  router.post(
    '/compatibility/subjects/:subject/versions/:version',
    async function checkAgainstVersion(ctx) {
      const subject = param(ctx, 'subject');
      const candidate = schemaFrom(ctx.request.body);
      const version = parseVersion(param(ctx, 'version'));
      const against = await store.findVersion(subject, version);
      // Nothing registered yet is compatible with "latest", as in Confluent's registry.
      if (!against && version !== 'latest') throw await notFound(store, subject, version);
      const earlier = against
        ? [{ version: against.version, schema: storedDefinition(against.schema) }]
        : [];
      ctx.body = await compatibilityReport(store, subject, candidate, earlier, ctx.query);
    },
  );

  router.post('/compatibility/subjects/:subject/versions', async function checkAgainstAll(ctx) {
    const subject = param(ctx, 'subject');
    const candidate = schemaFrom(ctx.request.body);
    const earlier = await store.history(subject);
    ctx.body = await compatibilityReport(store, subject, candidate, earlier, ctx.query);
  });

  router.get('/config', async function getGlobalConfig(ctx) {
    ctx.body = { compatibilityLevel: await store.globalCompatibility() };
  });

  router.put('/config', async function setGlobalConfig(ctx) {
    const compatibility = levelFrom(ctx.request.body);
    await store.setGlobalCompatibility(compatibility);
    ctx.body = { compatibility };
  });

  router.get('/config/:subject', async function getSubjectConfig(ctx) {
    const subject = param(ctx, 'subject');
    const own = await store.subjectCompatibility(subject);
    // The kafkajs client relies on this 404 to detect a first registration.
    if (own === undefined && ctx.query.defaultToGlobal !== 'true') {
      throw subjectCompatibilityNotConfigured(subject);
    }
    ctx.body = { compatibilityLevel: own ?? (await store.globalCompatibility()) };
  });

  router.put('/config/:subject', async function setSubjectConfig(ctx) {
    const compatibility = levelFrom(ctx.request.body);
    await store.setSubjectCompatibility(param(ctx, 'subject'), compatibility);
    ctx.body = { compatibility };
  });

  return router;
}

/**
 * Registry errors become Confluent's `{error_code, message}` bodies, which clients parse. Any
 * other error is a server fault and goes on to the gateway, which logs it and answers 500.
 */
const confluentResponses: Middleware = async function confluentResponses(ctx, next) {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof SchemaRegistryError)) throw error;
    ctx.status = error.httpStatus;
    ctx.body = { error_code: error.errorCode, message: error.message };
  }
  if (ctx.body !== undefined) ctx.type = registryMediaType;
};

/** A missing subject is reported as such, before the version it lacks. */
async function notFound(
  store: SchemaRegistryStore,
  subject: string,
  version: number | 'latest',
): Promise<SchemaRegistryError> {
  const versions = await store.listVersions(subject);
  if (versions.length === 0) return subjectNotFound(subject);
  return versionNotFound(version === 'latest' ? -1 : version);
}

function versionBody(found: SubjectVersion) {
  return { subject: found.subject, version: found.version, id: found.id, schema: found.schema };
}

async function compatibilityReport(
  store: SchemaRegistryStore,
  subject: string,
  candidate: ParsedSchema,
  earlier: ReadonlyArray<{ version: number; schema: object }>,
  query: Record<string, unknown>,
) {
  const level = await store.effectiveCompatibility(subject);
  const found = findIncompatibilities(level, candidate.definition, earlier);
  const isCompatible = found.length === 0;
  return query.verbose === 'true'
    ? { is_compatible: isCompatible, messages: found.map((entry) => entry.reason) }
    : { is_compatible: isCompatible };
}
