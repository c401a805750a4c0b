import avro from 'avsc';

/**
 * `timestamp-millis` on the wire, an ISO-8601 string in memory: the envelope's `occurredAt` is a
 * string everywhere else (JSON, the event store), so the codec keeps it one. Java and Python
 * consumers see a standard Avro timestamp.
 */
export class IsoTimestampMillis extends avro.types.LogicalType {
  protected override _fromValue(millis: number): string {
    return new Date(millis).toISOString();
  }

  /** `undefined` tells avsc the value is invalid, which names the field in its error. */
  protected override _toValue(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const millis = Date.parse(value);
    return Number.isFinite(millis) ? millis : undefined;
  }

  protected override _resolve(writer: avro.Type): ((value: unknown) => string) | undefined {
    if (avro.Type.isType(writer, 'logical:timestamp-millis')) {
      return (value) => (typeof value === 'string' ? value : this._fromValue(value as number));
    }
    if (avro.Type.isType(writer, 'long')) return (value) => this._fromValue(value as number);
    return undefined;
  }
}

/** How every event schema is turned into an avsc type, on both the writing and reading side. */
export function avroTypeOf(schema: object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, {
    logicalTypes: { 'timestamp-millis': IsoTimestampMillis },
  });
}
