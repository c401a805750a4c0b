/**
 * What the event serializer needs from a schema registry. The adapter speaks the Confluent REST
 * API, so the built-in registry and any Confluent-compatible one are interchangeable.
 */
export interface SchemaRegistry {
  /** Registers `schema` under `subject` (idempotent) and returns its global id. */
  register(subject: string, schema: object): Promise<number>;
  /** The schema registered with `id`, as Avro JSON. */
  schemaById(id: number): Promise<object>;
}
