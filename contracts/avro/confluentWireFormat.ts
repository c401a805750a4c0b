import { AwpError } from '../errors.js';

/**
 * Confluent's framing, which every Kafka Avro serializer (Java, Python, Go, kafkajs) reads:
 * byte 0 is the magic 0, bytes 1–4 the registry's schema id (big-endian), then the Avro body.
 */
const magicByte = 0;
const headerLength = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(headerLength + body.length);
  framed.writeUInt8(magicByte, 0);
  framed.writeUInt32BE(schemaId, 1);
  body.copy(framed, headerLength);
  return framed;
}

export function unframe(bytes: Buffer): { schemaId: number; body: Buffer } {
  if (bytes.length < headerLength) {
    throw new AwpError(
      'validation',
      `message is ${bytes.length} bytes, shorter than the 5-byte Confluent header`,
    );
  }
  if (bytes.readUInt8(0) !== magicByte) {
    throw new AwpError(
      'validation',
      `message does not start with the Confluent magic byte 0 (found ${bytes.readUInt8(0)}): not written by a schema-registry serializer`,
    );
  }
  return { schemaId: bytes.readUInt32BE(1), body: bytes.subarray(headerLength) };
}
