import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

const mebibyte = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'x');

/**
 * Streams `{"padding":"xxx…"}` of about `streamMiB` MiB, chunk by chunk and honouring back-pressure,
 * so a client that enforces a size limit can stop reading without the server buffering it all.
 */
export async function streamPadding(
  response: ServerResponse,
  step: { streamMiB: number; status?: number; contentLength?: boolean },
  signal: AbortSignal,
): Promise<void> {
  const head = Buffer.from('{"padding":"');
  const tail = Buffer.from('"}');
  const paddingBytes = Math.max(
    0,
    Math.round(step.streamMiB * mebibyte) - head.length - tail.length,
  );
  response.writeHead(step.status ?? 200, {
    'content-type': 'application/json',
    // Without a length the client cannot refuse up front; it has to count while reading.
    ...(step.contentLength ? { 'content-length': head.length + paddingBytes + tail.length } : {}),
  });
  response.write(head);
  for (let left = paddingBytes; left > 0; left -= chunk.length) {
    if (signal.aborted) return;
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!response.write(piece)) await once(response, 'drain', { signal });
  }
  response.end(tail);
}

/**
 * Sends the start of a JSON body whose announced length is larger, then destroys the socket, so the
 * client sees the connection die mid-response; with 0 bytes no response line is sent at all.
 */
export function resetMidResponse(response: ServerResponse, bytes: number): void {
  if (bytes <= 0) {
    response.socket?.destroy();
    return;
  }
  const partial = Buffer.alloc(bytes, 'x');
  partial.write('{"partial":"');
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': bytes * 2 + 16,
  });
  // Destroy only once the bytes are flushed, or the client might see no body at all.
  response.write(partial, () => response.socket?.destroy());
}
