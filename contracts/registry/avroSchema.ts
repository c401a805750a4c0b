import avro from 'avsc';
import { invalidSchema } from './registryErrors.js';

/** A schema the registry accepted: its identity and the object the compatibility check reads. */
export interface ParsedSchema {
  /**
   * Compact JSON with object keys sorted: two submissions differing only in whitespace or key
   * order are the same schema (Confluent normalises those too). Not avsc's `schema()` output,
   * which drops `logicalType` and custom attributes, nor the Parsing Canonical Form, which drops
   * defaults and docs: schemas differing in a default resolve differently and must not share an id.
   */
  canonical: string;
  definition: object;
}

/** Parses and validates an Avro schema as sent in a registration request (a JSON string). */
export function parseAvroSchema(text: string): ParsedSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidSchema(`Invalid schema: not valid JSON (${messageOf(error)})`);
  }
  try {
    // Avro requires names on records, enums and fixed; avsc alone would invent them.
    avro.Type.forSchema(raw as avro.Schema, { noAnonymousTypes: true });
  } catch (error) {
    throw invalidSchema(`Invalid schema: ${messageOf(error)}`);
  }
  return { canonical: JSON.stringify(sortKeys(raw)), definition: definitionOf(raw) };
}

/** The definition of a schema already stored (and so already validated) as canonical text. */
export function storedDefinition(canonical: string): object {
  return definitionOf(JSON.parse(canonical));
}

/** A bare primitive such as `"string"` is the same schema as `{ "type": "string" }`. */
function definitionOf(raw: unknown): object {
  return typeof raw === 'string' ? { type: raw } : (raw as object);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
