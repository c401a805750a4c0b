import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../ports/database.js';
import { storedDefinition } from './avroSchema.js';
import type { ParsedSchema } from './avroSchema.js';
import { findIncompatibilities } from './compatibility.js';
import type { CompatibilityLevel, Incompatibility } from './compatibility.js';

/** The level in force until someone sets one with `PUT /config`. */
export const defaultCompatibilityLevel: CompatibilityLevel = 'BACKWARD_TRANSITIVE';

/** Advisory locks taken with two int4 keys live apart from single-bigint ones (migrations). */
const subjectLockSpace = 0x5352; // "SR"

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  /** The canonical schema text. */
  schema: string;
}

export interface StoredSchema {
  id: number;
  schemaType: string;
  schema: string;
}

export type Registration =
  | { outcome: 'registered' | 'existing'; id: number; version: number }
  | { outcome: 'incompatible'; level: CompatibilityLevel; incompatibilities: Incompatibility[] };

export interface SchemaRegistryStore {
  listSubjects(): Promise<string[]>;
  /** Ascending; empty when the subject does not exist. */
  listVersions(subject: string): Promise<number[]>;
  findVersion(subject: string, version: number | 'latest'): Promise<SubjectVersion | undefined>;
  /** Every version of `subject`, ascending, as the compatibility check reads them. */
  history(subject: string): Promise<Array<{ version: number; schema: object }>>;
  findSchema(id: number): Promise<StoredSchema | undefined>;
  findInSubject(subject: string, schema: ParsedSchema): Promise<SubjectVersion | undefined>;
  globalCompatibility(): Promise<CompatibilityLevel>;
  setGlobalCompatibility(level: CompatibilityLevel): Promise<void>;
  /** The subject's own level, `undefined` when it follows the global one. */
  subjectCompatibility(subject: string): Promise<CompatibilityLevel | undefined>;
  setSubjectCompatibility(subject: string, level: CompatibilityLevel): Promise<void>;
  effectiveCompatibility(subject: string): Promise<CompatibilityLevel>;
  /**
   * Registers `schema` under `subject`: the existing version when the subject already holds it,
   * else a new version if the subject's compatibility level allows it.
   */
  register(subject: string, schema: ParsedSchema): Promise<Registration>;
}

const versionColumns = `v.subject, v.version, v.schema_id AS id, s.schema
  FROM sr_subject_versions v JOIN sr_schemas s ON s.id = v.schema_id`;

/** The registry's storage over the `Database` port (PostgreSQL or PGlite). */
export function createSchemaRegistryStore(db: Database): SchemaRegistryStore {
  return {
    async listSubjects() {
      const { rows } = await db.query<{ subject: string }>(
        'SELECT DISTINCT subject FROM sr_subject_versions ORDER BY subject',
      );
      return rows.map((row) => row.subject);
    },
    async listVersions(subject) {
      const { rows } = await db.query<{ version: number }>(
        'SELECT version FROM sr_subject_versions WHERE subject = $1 ORDER BY version',
        [subject],
      );
      return rows.map((row) => row.version);
    },
    async findVersion(subject, version) {
      const { rows } =
        version === 'latest'
          ? await db.query<SubjectVersion>(
              `SELECT ${versionColumns} WHERE v.subject = $1 ORDER BY v.version DESC LIMIT 1`,
              [subject],
            )
          : await db.query<SubjectVersion>(
              `SELECT ${versionColumns} WHERE v.subject = $1 AND v.version = $2`,
              [subject, version],
            );
      return rows[0];
    },
    history: (subject) => historyOf(db, subject),
    async findSchema(id) {
      const { rows } = await db.query<StoredSchema>(
        'SELECT id, schema_type AS "schemaType", schema FROM sr_schemas WHERE id = $1',
        [id],
      );
      return rows[0];
    },
    findInSubject: (subject, schema) => findInSubject(db, subject, schema),
    async globalCompatibility() {
      const { rows } = await db.query<{ compatibility: CompatibilityLevel }>(
        'SELECT compatibility FROM sr_global_config',
      );
      return rows[0]?.compatibility ?? defaultCompatibilityLevel;
    },
    async setGlobalCompatibility(level) {
      await db.query(
        `INSERT INTO sr_global_config (singleton, compatibility) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET compatibility = $1, updated_at = now()`,
        [level],
      );
    },
    async subjectCompatibility(subject) {
      const { rows } = await db.query<{ compatibility: CompatibilityLevel }>(
        'SELECT compatibility FROM sr_subject_config WHERE subject = $1',
        [subject],
      );
      return rows[0]?.compatibility;
    },
    async setSubjectCompatibility(subject, level) {
      await db.query(
        `INSERT INTO sr_subject_config (subject, compatibility) VALUES ($1, $2)
         ON CONFLICT (subject) DO UPDATE SET compatibility = $2, updated_at = now()`,
        [subject, level],
      );
    },
    effectiveCompatibility: (subject) => effectiveCompatibility(db, subject),
    register: (subject, schema) => db.transaction((tx) => register(tx, subject, schema)),
  };
}

/**
 * One registration at a time per subject: concurrent ones would otherwise both see version N
 * as the latest, both pass the check against it, and race for N + 1. Registrations to other
 * subjects proceed in parallel; the global schema id is settled by the fingerprint's unique key.
 */
async function register(
  tx: Queryable,
  subject: string,
  schema: ParsedSchema,
): Promise<Registration> {
  await tx.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2))', [
    subjectLockSpace,
    subject,
  ]);
  const existing = await findInSubject(tx, subject, schema);
  if (existing) return { outcome: 'existing', id: existing.id, version: existing.version };

  const earlier = await historyOf(tx, subject);
  const level = await effectiveCompatibility(tx, subject);
  const incompatibilities = findIncompatibilities(level, schema.definition, earlier);
  if (incompatibilities.length > 0) return { outcome: 'incompatible', level, incompatibilities };

  const id = await schemaIdFor(tx, schema);
  const version = (earlier.at(-1)?.version ?? 0) + 1;
  await tx.query(
    'INSERT INTO sr_subject_versions (subject, version, schema_id) VALUES ($1, $2, $3)',
    [subject, version, id],
  );
  return { outcome: 'registered', id, version };
}

/**
 * The id of the schema, inserting it first if no subject has registered it yet. Looking up
 * before inserting keeps ids dense: `ON CONFLICT DO NOTHING` burns an identity value per call.
 * When another transaction inserts the same schema concurrently, our insert waits for it and
 * then does nothing, and the second lookup (a new snapshot) sees its row.
 */
async function schemaIdFor(tx: Queryable, schema: ParsedSchema): Promise<number> {
  const fingerprint = fingerprintOf(schema);
  const lookup = () =>
    tx.query<{ id: number }>('SELECT id FROM sr_schemas WHERE fingerprint = $1', [fingerprint]);
  const found = (await lookup()).rows[0];
  if (found) return found.id;
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO sr_schemas (schema_type, schema, fingerprint) VALUES ('AVRO', $1, $2)
     ON CONFLICT (fingerprint) DO NOTHING RETURNING id`,
    [schema.canonical, fingerprint],
  );
  const id = inserted.rows[0]?.id ?? (await lookup()).rows[0]?.id;
  if (id === undefined) throw new Error(`schema ${fingerprint} vanished while registering`);
  return id;
}

async function findInSubject(
  q: Queryable,
  subject: string,
  schema: ParsedSchema,
): Promise<SubjectVersion | undefined> {
  const { rows } = await q.query<SubjectVersion>(
    `SELECT ${versionColumns} WHERE v.subject = $1 AND s.fingerprint = $2`,
    [subject, fingerprintOf(schema)],
  );
  return rows[0];
}

async function historyOf(
  q: Queryable,
  subject: string,
): Promise<Array<{ version: number; schema: object }>> {
  const { rows } = await q.query<{ version: number; schema: string }>(
    `SELECT v.version, s.schema
       FROM sr_subject_versions v JOIN sr_schemas s ON s.id = v.schema_id
      WHERE v.subject = $1 ORDER BY v.version`,
    [subject],
  );
  return rows.map((row) => ({ version: row.version, schema: storedDefinition(row.schema) }));
}

async function effectiveCompatibility(q: Queryable, subject: string): Promise<CompatibilityLevel> {
  const { rows } = await q.query<{ level: CompatibilityLevel | null }>(
    `SELECT coalesce(
       (SELECT compatibility FROM sr_subject_config WHERE subject = $1),
       (SELECT compatibility FROM sr_global_config)
     ) AS level`,
    [subject],
  );
  return rows[0]?.level ?? defaultCompatibilityLevel;
}

/** The schema type is part of the identity, should other types ever be supported. */
function fingerprintOf(schema: ParsedSchema): string {
  return createHash('sha256').update(`AVRO\n${schema.canonical}`).digest('hex');
}
