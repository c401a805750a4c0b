import type avro from 'avsc';
import type { EventEnvelope } from '../envelope.js';
import { AwpError } from '../errors.js';
import type { SchemaRegistry } from '../ports/schemaRegistry.js';
import { frame, unframe } from './confluentWireFormat.js';
import type { EventCatalog } from './eventCatalog.js';
import { avroTypeOf } from './isoTimestamp.js';

/** Events on the bus: Avro in the Confluent wire format, schemas held by a registry. */
export interface EventSerializer {
  encode(event: EventEnvelope, topic: string): Promise<Buffer>;
  /** Reads with our own schema of the event type when we know it (resolving the writer's). */
  decode(bytes: Buffer): Promise<EventEnvelope>;
}

/**
 * Several event types share a domain topic, so subjects follow `TopicRecordNameStrategy`:
 * `<topic>-<record full name>`, each with its own compatibility history.
 */
export function subjectFor(topic: string, recordFullName: string): string {
  return `${topic}-${recordFullName}`;
}

interface Reader {
  type: avro.Type;
  resolver: avro.Resolver | undefined;
}

export function createEventSerializer(options: {
  registry: SchemaRegistry;
  catalog: EventCatalog;
}): EventSerializer {
  const { registry, catalog } = options;
  // Promises, so concurrent first uses share one registry call; a failure is forgotten so the
  // next attempt asks again (the relay retries while the registry is down).
  const idsBySubject = new Map<string, Promise<number>>();
  const readersById = new Map<number, Promise<Reader>>();

  function remember<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let pending = cache.get(key);
    if (pending === undefined) {
      pending = load();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }

  async function readerFor(schemaId: number): Promise<Reader> {
    const writerSchema = await registry.schemaById(schemaId);
    const writer = avroTypeOf(writerSchema);
    const ours = catalog.typeByFullName(writer.name ?? '');
    if (ours === undefined || ours.equals(writer))
      return { type: ours ?? writer, resolver: undefined };
    try {
      return { type: ours, resolver: ours.createResolver(writer) };
    } catch (cause) {
      throw new AwpError(
        'validation',
        `schema ${schemaId} (${writer.name}) cannot be read with this version's schema: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  return {
    async encode(event, topic) {
      const { type, schema, fullName } = catalog.entryOf(event.type);
      const subject = subjectFor(topic, fullName);
      const schemaId = await remember(idsBySubject, subject, () =>
        registry.register(subject, schema),
      );
      return frame(schemaId, type.toBuffer(event));
    },
    async decode(bytes) {
      const { schemaId, body } = unframe(bytes);
      const reader = await remember(readersById, schemaId, () => readerFor(schemaId));
      return reader.type.fromBuffer(body, reader.resolver) as EventEnvelope;
    },
  };
}
