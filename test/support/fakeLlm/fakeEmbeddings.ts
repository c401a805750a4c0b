import { createHash } from 'node:crypto';

/**
 * A deterministic unit vector for `text`: the same text always gives the same vector, so
 * tests can compute what a store should hold. Built from chained SHA-256 digests.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimension; block += 1) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && values.length < dimension; i += 4) {
      values.push(digest.readUInt32BE(i) / 0xffffffff - 0.5);
    }
  }
  const norm = Math.hypot(...values) || 1;
  // Rounded through float32, as the vendor's vectors are, so float and base64 answers agree.
  return values.map((value) => Math.fround(value / norm));
}

/** The base64 form OpenAI sends for `encoding_format: 'base64'`: little-endian float32. */
export function base64Embedding(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}
