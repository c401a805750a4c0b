/**
 * Reads a response body into memory, stopping (and destroying the stream) as soon as it passes
 * `maxBytes`: a hostile server cannot make us buffer more than the limit. Each caller says what
 * "too large" means to its own callers.
 */
export async function readBounded(
  body: AsyncIterable<Uint8Array> & { destroy(): void },
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
