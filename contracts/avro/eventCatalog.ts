import type avro from 'avsc';
import type { EventEnvelope } from '../envelope.js';
import { AwpError } from '../errors.js';
import type { EventSchemaEntry } from '../events/eventSchemaEntry.js';
import { avroTypeOf } from './isoTimestamp.js';

export interface CatalogEntry {
  type: avro.Type;
  /** The schema exactly as written in its `.avsc` file (docs included): what gets registered. */
  schema: object;
  /** The record's full name, e.g. `awp.platform.TenantCreated`. */
  fullName: string;
}

/** The Avro side of every event type this process knows, from contracts/schemas/**.avsc. */
export interface EventCatalog {
  /** An event type's avsc type and `.avsc` schema; throws for a type without a schema. */
  entryOf(eventType: string): CatalogEntry;
  /** The avsc type whose record full name is `fullName` (e.g. `awp.platform.TenantCreated`), if known. */
  typeByFullName(fullName: string): avro.Type | undefined;
  /** Throws an `AwpError` naming every field of `event` that does not fit its schema. */
  validate(event: EventEnvelope): void;
}

export function createEventCatalog(
  entries: Readonly<Record<string, EventSchemaEntry>>,
): EventCatalog {
  const byType = new Map<string, CatalogEntry>();
  const byFullName = new Map<string, avro.Type>();
  for (const [eventType, { schema }] of Object.entries(entries)) {
    const type = avroTypeOf(schema);
    const fullName = type.name as string;
    byType.set(eventType, { type, schema, fullName });
    byFullName.set(fullName, type);
  }

  function entryOf(eventType: string): CatalogEntry {
    const entry = byType.get(eventType);
    if (entry === undefined) {
      throw new AwpError(
        'internal',
        `event type '${eventType}' has no Avro schema: add contracts/schemas/<domain>/${eventType}.avsc and run npm run contracts:generate`,
      );
    }
    return entry;
  }

  return {
    entryOf,
    typeByFullName: (fullName) => byFullName.get(fullName),
    validate(event) {
      const violations: Array<{ field: string; message: string }> = [];
      entryOf(event.type).type.isValid(event, {
        errorHook(path, value, type) {
          violations.push({
            field: path.join('.'),
            message: `expected ${describe(type)}, got ${JSON.stringify(value) ?? 'undefined'}`,
          });
        },
      });
      if (violations.length > 0) {
        throw new AwpError(
          'internal',
          `event ${event.type} does not match its schema: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`,
          { violations },
        );
      }
    },
  };
}

function describe(type: avro.Type): string {
  const schema = type.schema() as unknown;
  return typeof schema === 'string' ? schema : JSON.stringify(schema).slice(0, 80);
}
