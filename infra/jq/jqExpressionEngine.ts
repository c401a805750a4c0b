import { ExpressionError } from '../../domains/workflow/ports/expressionEngine.js';
import type {
  CompiledExpression,
  ExpressionEngine,
} from '../../domains/workflow/ports/expressionEngine.js';
import { op, status } from './jqChannel.js';
import { JqWorkerThread, WorkerTimeout, WorkerUnavailable } from './jqWorkerThread.js';
import type { Reply } from './jqWorkerThread.js';
import { loadJqWasm } from './wasmBinary.js';

export interface JqExpressionEngineOptions {
  /** Longest one compile or run may take; the worker is then replaced. Default 1,000 ms. */
  timeoutMs?: number;
  /** jq's memory (its WebAssembly memory, outside the JS heap). Default 256 MiB. */
  memoryLimitBytes?: number;
  /** Largest input of a run, as JSON with its variables; largest program. Default 8 MiB. */
  maxInputBytes?: number;
  /** Largest output of a run, as JSON (all its outputs). Default 8 MiB. */
  maxOutputBytes?: number;
  /** Compiled programs kept; the least recently used is released past it. Default 2,000. */
  cacheSize?: number;
  /**
   * How long each thread busy-waits for the other before sleeping, in µs. Default 0: waking a
   * sleeping thread costs 5–10 µs per side, but spinning only pays with cores to spare; on a busy
   * or single core it starves the very thread it waits for (measured: 4 µs per round trip on
   * idle cores, 110 µs on two loaded ones, against 16 µs without spinning).
   */
  spinMicroseconds?: number;
  /**
   * jq's memory kept between runs: past it, the worker is replaced (and its memory freed) after
   * the run, as WebAssembly memory never shrinks. Default 64 MiB.
   */
  retainedMemoryBytes?: number;
  /** How long a new worker may take to start. Default 10,000 ms. */
  startTimeoutMs?: number;
  /** jq-awp.wasm. Default: infra/jq/build/jq-awp.wasm. */
  wasmPath?: string;
}

/** `ExpressionEngine` over real jq (1.8.2), with a worker thread that can be stopped. */
export interface JqExpressionEngine extends ExpressionEngine {
  /** Stops the worker; the engine cannot be used afterwards. */
  close(): Promise<void>;
}

interface Entry {
  key: string;
  program: string;
  names: readonly string[];
  /** The worker's name for it; 0 while it is not cached (its worker copy is released). */
  id: number;
  compiled: CompiledExpression;
  /** Why jq rejected the program (then it has no id). */
  error?: ExpressionError;
}

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/**
 * Real jq, compiled once per program and run synchronously: jq-awp.wasm (infra/jq/build) runs in
 * a worker thread that the engine drives through shared memory, so that a runaway program can be
 * stopped (the worker is replaced) and jq's memory is capped, while a run costs microseconds.
 * Variables are bound per run; results are JSON values with jq's key order.
 */
export async function createJqExpressionEngine(
  options: JqExpressionEngineOptions = {},
): Promise<JqExpressionEngine> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const memoryLimitBytes = options.memoryLimitBytes ?? 256 * 2 ** 20;
  const maxInputBytes = options.maxInputBytes ?? 8 * 2 ** 20;
  const maxOutputBytes = options.maxOutputBytes ?? 8 * 2 ** 20;
  const cacheSize = options.cacheSize ?? 2_000;
  const thread = await JqWorkerThread.start({
    wasm: await loadJqWasm(options.wasmPath),
    memoryLimitBytes,
    maxInputBytes,
    maxOutputBytes,
    spinMicroseconds: options.spinMicroseconds ?? 0,
    timeoutMs,
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    retainedMemoryBytes: options.retainedMemoryBytes ?? 64 * 2 ** 20,
  });

  /** Most recently used last (a Map iterates in insertion order). */
  const cache = new Map<string, Entry>();
  const releases: number[] = [];
  let lastId = 0;

  const call = (operation: number, id: number, text: string, program: string): Reply => {
    try {
      return thread.request(operation, id, text, releases);
    } catch (error) {
      if (error instanceof WorkerTimeout)
        throw new ExpressionError('timeout', error.message, program);
      if (error instanceof WorkerUnavailable) {
        throw new ExpressionError('runtime', error.message, program);
      }
      throw error;
    }
  };

  const failure = (reply: Reply, program: string): ExpressionError => {
    switch (reply.status) {
      case status.compileError:
        return new ExpressionError('compile', reply.text, program);
      case status.runtimeError:
        return new ExpressionError('runtime', reply.text, program);
      case status.outputLimit:
        return new ExpressionError(
          'limit',
          `the output is larger than ${mebibytes(maxOutputBytes)}`,
          program,
        );
      case status.outOfMemory:
        return new ExpressionError('limit', reply.text, program);
      case status.stackOverflow:
        return new ExpressionError(
          'limit',
          'jq ran out of stack (values nested too deeply?)',
          program,
        );
      default:
        return new ExpressionError('runtime', `jq failed: ${reply.text}`, program);
    }
  };

  const remember = (entry: Entry): void => {
    cache.set(entry.key, entry);
    if (cache.size <= cacheSize) return;
    const [oldest] = cache.values();
    if (oldest === undefined) return;
    cache.delete(oldest.key);
    if (oldest.id !== 0) releases.push(oldest.id);
    oldest.id = 0;
  };

  /**
   * Compiles an entry in the worker under a new id and caches it; a program jq rejects is cached
   * with its error (jq compiles it twice to find its messages, see jqWorker.ts).
   */
  const place = (entry: Entry): void => {
    const id = ++lastId;
    const reply = call(op.compile, id, `${entry.program}\0${entry.names.join(',')}`, entry.program);
    if (reply.status === status.ok) entry.id = id;
    else if (reply.status === status.compileError) entry.error = failure(reply, entry.program);
    else throw failure(reply, entry.program);
    remember(entry);
    if (entry.error !== undefined) throw entry.error;
  };

  const run = (entry: Entry, input: unknown, variables: Readonly<Record<string, unknown>>) => {
    const text = inputText(entry, input, variables);
    if (text.length * 3 > maxInputBytes && Buffer.byteLength(text) > maxInputBytes) {
      throw new ExpressionError(
        'limit',
        `the input is larger than ${mebibytes(maxInputBytes)}`,
        entry.program,
      );
    }
    if (entry.id === 0) place(entry);
    else {
      cache.delete(entry.key);
      cache.set(entry.key, entry);
    }
    let reply = call(op.run, entry.id, text, entry.program);
    if (reply.status === status.unknownProgram) {
      // A new worker, or jq restarted after a trap: it has forgotten its programs.
      const retry = call(
        op.compile,
        entry.id,
        `${entry.program}\0${entry.names.join(',')}`,
        entry.program,
      );
      if (retry.status !== status.ok) throw failure(retry, entry.program);
      reply = call(op.run, entry.id, text, entry.program);
    }
    if (reply.status !== status.ok) throw failure(reply, entry.program);
    return JSON.parse(reply.text) as unknown[];
  };

  return {
    compile(program, variableNames) {
      const key = `${variableNames.join(',')}\0${program}`;
      const cached = cache.get(key);
      if (cached !== undefined) {
        cache.delete(key);
        cache.set(key, cached);
        if (cached.error !== undefined) {
          throw new ExpressionError('compile', cached.error.message, program);
        }
        return cached.compiled;
      }
      checkProgram(program, variableNames, maxInputBytes);
      const entry: Entry = {
        key,
        program,
        names: [...variableNames],
        id: 0,
        compiled: { run: (input, variables) => run(entry, input, variables) },
      };
      place(entry);
      return entry.compiled;
    },
    close: () => thread.close(),
  };
}

function checkProgram(program: string, names: readonly string[], maxBytes: number): void {
  const invalid = names.find((name) => !variableName.test(name));
  if (invalid !== undefined) {
    throw new ExpressionError('compile', `'${invalid}' is not a jq variable name`, program);
  }
  if (new Set(names).size !== names.length) {
    throw new ExpressionError('compile', `variables named twice: ${names.join(', ')}`, program);
  }
  // jq reads the program as a C string.
  if (program.includes('\0')) {
    throw new ExpressionError('compile', 'the program contains a NUL character', program);
  }
  if (Buffer.byteLength(program) + names.join(',').length + 1 > maxBytes) {
    throw new ExpressionError(
      'limit',
      `the program is longer than ${mebibytes(maxBytes)}`,
      program,
    );
  }
}

const json = (value: unknown) => JSON.stringify(value) ?? 'null';

/** `[input, value1, …]` as JSON, in the order the program's wrapper destructures it. */
function inputText(
  entry: Entry,
  input: unknown,
  variables: Readonly<Record<string, unknown>>,
): string {
  try {
    let text = `[${json(input)}`;
    for (const name of entry.names) {
      text += `,${Object.hasOwn(variables, name) ? json(variables[name]) : 'null'}`;
    }
    return `${text}]`;
  } catch (error) {
    if (error instanceof RangeError) {
      throw new ExpressionError(
        'limit',
        'the input is nested too deeply to serialize',
        entry.program,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExpressionError('runtime', `the input is not JSON: ${reason}`, entry.program);
  }
}
