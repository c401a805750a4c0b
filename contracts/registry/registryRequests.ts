import { z } from 'zod';
import { isAwpError } from '../errors.js';
import { parseInput } from '../parseInput.js';
import { parseAvroSchema } from './avroSchema.js';
import type { ParsedSchema } from './avroSchema.js';
import { compatibilityLevels } from './compatibility.js';
import type { CompatibilityLevel } from './compatibility.js';
import { invalidCompatibilityLevel, invalidSchema, invalidVersion } from './registryErrors.js';
import type { SchemaRegistryError } from './registryErrors.js';

// Unknown fields are ignored, as Confluent's request classes do (`metadata`, `ruleSet`, …).
const schemaRequest = z.object({
  schema: z.string({ error: 'must be a string holding the schema JSON' }),
  schemaType: z.string().nullish(),
  references: z.array(z.unknown()).nullish(),
});
const configRequest = z.object({ compatibility: z.string({ error: 'must be a string' }) });

const maxVersion = 2 ** 31 - 1;

/** @koa/router runs a route only when all of its parameters matched. */
export function param(ctx: { params: Record<string, string | undefined> }, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route parameter '${name}' is missing`);
  return value;
}

/** The schema of a registration, lookup or compatibility request, parsed and validated. */
export function schemaFrom(body: unknown): ParsedSchema {
  const request = parseOr(invalidSchema, schemaRequest, body, 'schema request');
  const schemaType = request.schemaType ?? 'AVRO';
  if (schemaType.toUpperCase() !== 'AVRO') {
    throw invalidSchema(
      `Invalid schema: schemaType '${schemaType}' is not supported; this registry stores AVRO only`,
    );
  }
  if (request.references && request.references.length > 0) {
    throw invalidSchema('Invalid schema: schema references are not supported by this registry');
  }
  return parseAvroSchema(request.schema);
}

/** The level of a `PUT /config` request. */
export function levelFrom(body: unknown): CompatibilityLevel {
  const request = parseOr(invalidCompatibilityLevel, configRequest, body, 'config request');
  const level = request.compatibility.toUpperCase();
  const known = compatibilityLevels.find((candidate) => candidate === level);
  if (!known) throw invalidCompatibilityLevel();
  return known;
}

/** `parseInput`'s readable message, under the Confluent error code the endpoint calls for. */
function parseOr<Schema extends z.ZodType>(
  toError: (message: string) => SchemaRegistryError,
  schema: Schema,
  body: unknown,
  what: string,
): z.infer<Schema> {
  try {
    return parseInput(schema, body, what);
  } catch (error) {
    if (isAwpError(error) && error.code === 'validation') throw toError(error.message);
    throw error;
  }
}

/** Confluent accepts "latest" (any case) and -1 for the latest version. */
export function parseVersion(raw: string): number | 'latest' {
  const trimmed = raw.trim();
  if (trimmed.toLowerCase() === 'latest' || trimmed === '-1') return 'latest';
  const version = /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (version >= 1 && version <= maxVersion) return version;
  throw invalidVersion(raw);
}
