import { AwpError } from './errors.js';
import type { EventEnvelope } from './envelope.js';

/**
 * Bytes on the bus. JSON for now; the Avro + Confluent wire format replaces it behind this same
 * pair of functions, so producers and consumers do not change.
 */
export function encodeEvent(event: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

const requiredFields = ['eventId', 'type', 'accountId', 'streamId', 'streamVersion'] as const;

export function decodeEvent(bytes: Buffer): EventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new AwpError('validation', 'event payload is not valid JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new AwpError('validation', 'event payload is not an object');
  }
  for (const field of requiredFields) {
    if (!(field in parsed)) {
      throw new AwpError('validation', `event payload lacks '${field}'`, { field });
    }
  }
  return parsed as EventEnvelope;
}
