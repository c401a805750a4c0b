/**
 * The jq worker: one jq-awp instance, serving the requests its engine writes into the shared
 * channel (jqChannel.ts) until it is terminated. It never stops on its own: a trap in jq (out of
 * memory, stack exhausted, abort) is answered with a status, and the instance is replaced.
 */
import { workerData } from 'node:worker_threads';
import { openChannel, op, slot, spinUntil, state, status } from './jqChannel.js';
import { createJqInstance, OutOfMemory, runResult } from './jqInstance.js';
import type { JqInstance } from './jqInstance.js';
import { pageBytes, webAssembly } from './wasmBinary.js';
import type { JqWasm } from './wasmBinary.js';

/** What the engine gives its worker. */
export interface JqWorkerData {
  buffer: SharedArrayBuffer;
  wasm: JqWasm;
  memoryLimitBytes: number;
  maxOutputBytes: number;
  spinMicroseconds: number;
}

const maxMessageBytes = 16 * 1024;

const config = workerData as JqWorkerData;
const channel = openChannel(config.buffer);
const { header } = channel;
let jq: JqInstance = createJqInstance(config.wasm, config.memoryLimitBytes);
/** Program ids (the engine's) to jq states of the current instance. */
const programs = new Map<number, number>();

function respond(code: number, data?: Uint8Array | string): void {
  let length = 0;
  if (typeof data === 'string') {
    length = channel.data.write(data.slice(0, maxMessageBytes), 0, 'utf8');
  } else if (data !== undefined) {
    channel.data.set(data, 0);
    length = data.length;
  }
  header[slot.length] = length;
  header[slot.status] = code;
  header[slot.memoryPages] = jq.memoryBytes() / pageBytes;
  Atomics.store(header, slot.state, state.response);
  Atomics.notify(header, slot.state);
}

/**
 * Variables are bound by destructuring the input `[input, value1, value2, …]`, on the program's
 * first line so that jq's line numbers (`$__loc__`) stay those of the program. jq has no
 * run-time arguments: `--argjson` values are compiled in as constants. `$ARGS`, which jq's
 * command line binds to its arguments, is bound likewise, only for programs that name it.
 */
function wrapped(program: string, names: readonly string[]): string {
  const bindings = names.map((name, i) => `.[${i + 1}] as $${name} | `).join('');
  const named = names.map((name, i) => `${JSON.stringify(name)}: .[${i + 1}]`).join(', ');
  const args = program.includes('$ARGS') ? `{positional: [], named: {${named}}} as $ARGS | ` : '';
  return `${bindings}${args}.[0] | ${program}`;
}

function compile(id: number, program: string, names: readonly string[]): void {
  const compiled = jq.compile(wrapped(program, names), {}, maxMessageBytes);
  if (typeof compiled === 'number') {
    programs.set(id, compiled);
    respond(status.ok);
    return;
  }
  // The messages of the program as written, as `jq --argjson` would give them (the wrapper
  // would shift the columns of the first line).
  const unbound = Object.fromEntries([...names, 'ARGS'].map((name) => [name, null]));
  const alone = jq.compile(program, unbound, maxMessageBytes);
  if (typeof alone === 'number') jq.release(alone);
  respond(status.compileError, typeof alone === 'string' ? alone : compiled);
}

function run(id: number, length: number): void {
  const program = programs.get(id);
  if (program === undefined) {
    respond(status.unknownProgram);
    return;
  }
  const { result, output } = jq.run(
    program,
    channel.data.subarray(0, length),
    config.maxOutputBytes,
  );
  if (result === runResult.ok) respond(status.ok, output);
  else if (result === runResult.runtimeError) respond(status.runtimeError, output);
  else if (result === runResult.badInput) respond(status.badInput, output);
  else respond(status.outputLimit);
}

/**
 * After a trap nothing in the instance can be trusted: start a new one. (The engine replaces the
 * whole worker too, which frees the old instance's memory at once.)
 */
function restart(): void {
  programs.clear();
  jq = createJqInstance(config.wasm, config.memoryLimitBytes);
}

function failure(error: unknown): [number, string] {
  if (error instanceof OutOfMemory) return [status.outOfMemory, error.message];
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) return [status.stackOverflow, message];
  // jq's C stack sits below its data: running off it reads outside the memory.
  if (error instanceof webAssembly.RuntimeError && /out of bounds/.test(message)) {
    return [status.stackOverflow, message];
  }
  const said = jq.standardError().trim().split('\n').pop() ?? '';
  return [status.crashed, said === '' ? message : `${message} (${said})`];
}

function serve(): void {
  const releases = header[slot.releases] as number;
  for (let i = 0; i < releases; i++) {
    const id = channel.releases[i] as number;
    const program = programs.get(id);
    if (program !== undefined) jq.release(program);
    programs.delete(id);
  }
  const id = header[slot.program] as number;
  const length = header[slot.length] as number;
  if (header[slot.op] === op.compile) {
    const text = channel.data.toString('utf8', 0, length);
    const [program, names] = [
      text.slice(0, text.indexOf('\0')),
      text.slice(text.indexOf('\0') + 1),
    ];
    compile(id, program, names === '' ? [] : names.split(','));
  } else {
    run(id, length);
  }
}

respond(status.ready);
for (;;) {
  if (!spinUntil(header, state.request, config.spinMicroseconds)) {
    for (let now = Atomics.load(header, slot.state); now !== state.request;) {
      Atomics.wait(header, slot.state, now);
      now = Atomics.load(header, slot.state);
    }
  }
  try {
    serve();
  } catch (error) {
    const [code, message] = failure(error);
    try {
      restart();
    } finally {
      respond(code, message);
    }
  }
}
