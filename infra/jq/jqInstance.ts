import { randomFillSync } from 'node:crypto';
import { pageBytes, webAssembly } from './wasmBinary.js';
import type { JqWasm, WasmMemory } from './wasmBinary.js';

/** jq-awp.wasm's exports (see build/jqAwp.c). Sizes and pointers are u32. */
interface JqAwpExports {
  _initialize(): void;
  awp_reserve(size: number): number;
  awp_output(): number;
  awp_output_length(): number;
  awp_compile(programLength: number, argumentsLength: number, messageLimit: number): number;
  awp_run(state: number, inputLength: number, outputLimit: number): number;
  awp_release(state: number): void;
}

/** awp_run's results, as jqAwp.c numbers them. */
export const runResult = { ok: 0, runtimeError: 2, badInput: 3, outputLimit: 4 } as const;

/** Thrown (through jq) when jq's memory cannot grow: the instance must then be discarded. */
export class OutOfMemory extends Error {
  override name = 'OutOfMemory';
}

const wasiErrno = { success: 0, badf: 8, nosys: 52 };

/**
 * The WASI functions wasi-libc imports, reduced to what jq may use: no files, no environment
 * (`$ENV` is `{}`: a workflow expression must not read the server's environment), the clocks,
 * random bytes (jq seeds its hash function). Standard error is kept (the last 4 KiB) for the
 * message of an abort.
 */
function wasiImports(memory: WasmMemory, standardError: { text: string }) {
  const view = () => new DataView(memory.buffer);
  const unavailable = () => wasiErrno.badf;
  return {
    environ_sizes_get(count: number, size: number) {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return wasiErrno.success;
    },
    environ_get: () => wasiErrno.success,
    clock_time_get(clock: number, _precision: bigint, out: number) {
      const nanoseconds = clock === 0 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
      view().setBigUint64(out, nanoseconds, true);
      return wasiErrno.success;
    },
    random_get(pointer: number, length: number) {
      randomFillSync(new Uint8Array(memory.buffer, pointer, length));
      return wasiErrno.success;
    },
    fd_write(fd: number, iovs: number, count: number, written: number) {
      const v = view();
      let total = 0;
      for (let i = 0; i < count; i++) {
        const start = v.getUint32(iovs + 8 * i, true);
        const length = v.getUint32(iovs + 8 * i + 4, true);
        if (fd === 2) {
          const text = Buffer.from(memory.buffer, start, length).toString('utf8');
          standardError.text = (standardError.text + text).slice(-4096);
        }
        total += length;
      }
      v.setUint32(written, total, true);
      return wasiErrno.success;
    },
    proc_exit(code: number) {
      throw new Error(`jq exited with status ${code}`);
    },
    fd_close: unavailable,
    fd_fdstat_get: unavailable,
    fd_fdstat_set_flags: unavailable,
    fd_filestat_get: unavailable,
    fd_prestat_get: unavailable,
    fd_prestat_dir_name: unavailable,
    fd_read: unavailable,
    fd_seek: unavailable,
    path_filestat_get: () => wasiErrno.nosys,
    path_open: () => wasiErrno.nosys,
    path_readlink: () => wasiErrno.nosys,
  };
}

/** One jq-awp instance: compiles and runs programs, on bytes, synchronously. */
export interface JqInstance {
  /**
   * Compiles `program` with `variables` bound to constants (jq's `--argjson`). Returns jq's
   * state (a non-zero handle), or jq's messages.
   */
  compile(
    program: string,
    variables: Readonly<Record<string, unknown>>,
    messageLimit: number,
  ): number | string;
  /**
   * Runs a compiled program on the JSON text `input`. The output (a JSON array of all outputs on
   * `runResult.ok`, else jq's message) is valid until the next call.
   */
  run(
    state: number,
    input: Uint8Array,
    outputLimit: number,
  ): { result: number; output: Uint8Array };
  release(state: number): void;
  /** What jq last wrote on standard error (an abort says why there). */
  standardError(): string;
  /** The size of jq's memory: it grows up to the limit, and never shrinks. */
  memoryBytes(): number;
}

export function createJqInstance(wasm: JqWasm, memoryLimitBytes: number): JqInstance {
  const maximum = Math.max(wasm.minimumPages, Math.floor(memoryLimitBytes / pageBytes));
  const memory = new webAssembly.Memory({ initial: wasm.minimumPages, maximum });
  const standardError = { text: '' };
  const instance = new webAssembly.Instance(wasm.module, {
    env: { memory },
    wasi_snapshot_preview1: wasiImports(memory, standardError),
    awp: {
      out_of_memory() {
        throw new OutOfMemory(`jq needs more than ${Math.round(memoryLimitBytes / 2 ** 20)} MiB`);
      },
    },
  });
  const jq = instance.exports as unknown as JqAwpExports;
  jq._initialize();

  const bytes = (pointer: number, length: number) => new Uint8Array(memory.buffer, pointer, length);
  const output = () => bytes(jq.awp_output(), jq.awp_output_length());

  return {
    compile(program, variables, messageLimit) {
      const text = Buffer.from(`${program}\0${JSON.stringify(variables)}`);
      const programLength = Buffer.byteLength(program);
      bytes(jq.awp_reserve(text.length), text.length).set(text);
      const state = jq.awp_compile(programLength, text.length - programLength - 1, messageLimit);
      return state !== 0 ? state : Buffer.from(output()).toString('utf8');
    },
    run(state, input, outputLimit) {
      bytes(jq.awp_reserve(input.length), input.length).set(input);
      const result = jq.awp_run(state, input.length, outputLimit);
      return { result, output: output() };
    },
    release(state) {
      jq.awp_release(state);
    },
    standardError: () => standardError.text,
    memoryBytes: () => memory.buffer.byteLength,
  };
}
