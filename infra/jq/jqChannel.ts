/**
 * The shared memory through which the engine (main thread) and its jq worker talk: one request
 * at a time, no message per call. The caller writes a request and wakes the worker; the worker
 * writes the response in place and wakes the caller, who blocks at most its timeout.
 *
 * Layout: a header of 16 int32, a list of programs to release, then the data (UTF-8 text).
 */

export const slot = {
  /** One of `state`. */
  state: 0,
  /** One of `op`. */
  op: 1,
  /** The program a request is about. */
  program: 2,
  /**
   * Bytes of the data. Run: the JSON text `[input, value1, …]`. Compile: the program, a NUL, the
   * variable names joined by commas. Response: the output (a JSON array) or jq's message.
   */
  length: 3,
  /** How many programs of the release list to free first. */
  releases: 4,
  /** One of `status`. */
  status: 5,
  /** Response: the size of jq's memory, in pages. */
  memoryPages: 6,
} as const;

export const state = { idle: 0, request: 1, response: 2 } as const;
export const op = { compile: 1, run: 2 } as const;

export const status = {
  ok: 0,
  compileError: 1,
  runtimeError: 2,
  badInput: 3,
  outputLimit: 4,
  outOfMemory: 5,
  stackOverflow: 6,
  /** jq aborted or trapped; the data holds what it said. */
  crashed: 7,
  /** The worker does not hold that program (it was released, or jq was restarted): compile it. */
  unknownProgram: 8,
  /** The worker started (its first response, before any request). */
  ready: 9,
} as const;

const headerBytes = 16 * 4;
export const maxReleases = 256;
const dataOffset = headerBytes + maxReleases * 4;

export interface Channel {
  buffer: SharedArrayBuffer;
  header: Int32Array;
  releases: Int32Array;
  /** The data area, as a Buffer over the shared memory. */
  data: Buffer;
}

export function createChannel(dataBytes: number): Channel {
  return openChannel(new SharedArrayBuffer(dataOffset + dataBytes));
}

export function openChannel(buffer: SharedArrayBuffer): Channel {
  return {
    buffer,
    header: new Int32Array(buffer, 0, 16),
    releases: new Int32Array(buffer, headerBytes, maxReleases),
    data: Buffer.from(buffer, dataOffset),
  };
}

/** Busy-waits up to `microseconds` for `header[slot.state]` to become `wanted`. */
export function spinUntil(header: Int32Array, wanted: number, microseconds: number): boolean {
  if (Atomics.load(header, slot.state) === wanted) return true;
  if (microseconds <= 0) return false;
  const end = performance.now() + microseconds / 1000;
  for (;;) {
    for (let i = 0; i < 64; i++) if (Atomics.load(header, slot.state) === wanted) return true;
    if (performance.now() >= end) return false;
  }
}
