/** One event type's contract: the domain whose topic carries it and its Avro schema. */
export interface EventSchemaEntry {
  domain: string;
  /** The full record schema (envelope fields plus `data`), exactly as in its `.avsc` file. */
  schema: AvroRecordSchema;
}

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: unknown[];
}
