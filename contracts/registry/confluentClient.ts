import {
  COMPATIBILITY,
  SchemaRegistry as ConfluentClient,
  SchemaType,
} from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { IsoTimestampMillis } from '../avro/isoTimestamp.js';
import { AwpError } from '../errors.js';
import type { SchemaRegistry } from '../ports/schemaRegistry.js';

export interface ConfluentRegistryOptions {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:8080/schema-registry` or `https://sr.example:8081`. */
  url: string;
  auth?: { username: string; password: string };
  /** Client retries per call before the error surfaces (the relay retries on its own schedule). */
  retries?: number;
}

/**
 * The `SchemaRegistry` port on `@kafkajs/confluent-schema-registry`: the same code talks to the
 * built-in registry and to any Confluent-compatible one. Subjects are created with
 * BACKWARD_TRANSITIVE compatibility, because replays read every version ever written.
 */
export function createConfluentRegistryClient(options: ConfluentRegistryOptions): SchemaRegistry {
  const client = new ConfluentClient(
    {
      host: options.url,
      ...(options.auth ? { auth: options.auth } : {}),
      retry: { retries: options.retries ?? 2, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 2 },
    },
    // Writer types then carry the same logical types as ours, so equal schemas need no resolver.
    { [SchemaType.AVRO]: { logicalTypes: { 'timestamp-millis': IsoTimestampMillis } } },
  );
  const where = redactedUrl(options.url);
  return {
    async register(subject, schema) {
      try {
        const { id } = await client.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
          { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
        );
        return id;
      } catch (error) {
        throw translate(error, `registering subject '${subject}' at ${where}`);
      }
    },
    async schemaById(id) {
      try {
        const type = (await client.getSchema(id)) as avro.Type;
        return type.schema({ exportAttrs: true }) as object;
      } catch (error) {
        throw translate(error, `fetching schema ${id} from ${where}`);
      }
    },
  };
}

const unreachable =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|socket hang up|timeout/i;

/** Registry failures as AwpErrors: an outage is retryable, a refusal is not. */
function translate(error: unknown, doing: string): AwpError {
  const { message = String(error), status } = error as { message?: string; status?: number };
  if (unreachable.test(message) || (status !== undefined && status >= 500)) {
    return new AwpError('unavailable', `schema registry unavailable while ${doing}: ${message}`, {
      cause: error,
      retryable: true,
    });
  }
  if (status === 409 || /compatib/i.test(message)) {
    return new AwpError('conflict', `schema registry refused ${doing}: ${message}`, {
      cause: error,
    });
  }
  if (status === 404) {
    return new AwpError('not_found', `schema registry has nothing for ${doing}: ${message}`, {
      cause: error,
    });
  }
  return new AwpError('internal', `schema registry failed while ${doing}: ${message}`, {
    cause: error,
  });
}

/** Credentials in a URL never reach logs or errors. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid registry URL)';
  }
}
