import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import createJqModule from 'jq-wasm/dist/build/jq.js';

/** What jq said about a program. */
export type JqOutcome =
  | { status: 'compiled' }
  | { status: 'rejected'; stderr: string }
  /** jq itself broke (an abort in the WebAssembly module), even on a fresh instance. */
  | { status: 'failed'; reason: string };

/** Compiles jq programs; a program that starts with `empty` is compiled and never evaluated. */
export interface JqEngine {
  compile(program: string): Promise<JqOutcome>;
}

interface JqModule {
  raw(input: string, filter: string, flags?: string[]): Promise<string>;
}

export interface WasmJqEngineOptions {
  /**
   * Estimated heap bytes one jq instance may use up before it is replaced. Default 8 MiB.
   * jq-wasm 1.0.1 runs jq's `main` per call in a fixed 16 MiB heap and leaks in it (about 55 KiB
   * plus 17 bytes per program character each call, measured): after some hundred calls jq aborts
   * and the instance is dead. So instances are retired well before that, and a spare is made
   * ready in the background once half the budget is spent.
   */
  heapBudget?: number;
}

const estimatedCost = (program: string) => 64 * 1024 + 20 * program.length;

/** The parts of the WebAssembly API used here (the project's TypeScript lib does not type it). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiledJq: Promise<object | undefined> | undefined;

/**
 * jq's WebAssembly compiled once per process, or undefined if it cannot be found (then each
 * instance compiles its own, as jq-wasm does by default). Instances made from one compiled module
 * share V8's code, including what V8 optimised while earlier instances ran: without it, every
 * replacement instance would start slow again. jq-wasm embeds the binary in its script as a data
 * URI; it is read from there.
 */
function compiledJqModule(): Promise<object | undefined> {
  compiledJq ??= (async () => {
    try {
      const script = readFileSync(
        createRequire(import.meta.url).resolve('jq-wasm/dist/build/jq.js'),
        'utf8',
      );
      const marker = 'data:application/octet-stream;base64,';
      // The script also declares the bare prefix (`dataURIPrefix = "data:…;base64,"`): the
      // binary is the first occurrence with a payload.
      let start = script.indexOf(marker);
      while (start >= 0 && script[start + marker.length] === '"') {
        start = script.indexOf(marker, start + 1);
      }
      const end = script.indexOf('"', start);
      if (start < 0 || end < 0) return undefined;
      return await webAssembly.compile(
        Buffer.from(script.slice(start + marker.length, end), 'base64'),
      );
    } catch {
      return undefined;
    }
  })();
  return compiledJq;
}

type Instantiate = (imports: object, receive: (instance: object, module: object) => void) => object;

/** Most bytes of jq's standard error kept per call: each error repeats its program line. */
export const maxErrorBytes = 64 * 1024;
/** The longest write kept aside in case it is jq's closing `jq: N compile errors`. */
const summaryBytes = 64;

/** jq's standard error for one call, collected by the engine instead of by jq-wasm. */
interface ErrorCapture {
  /** Starts a call: forgets what the previous one wrote. */
  reset(): void;
  /** What jq wrote since `reset`, in whole lines within `maxErrorBytes`. */
  text(): string;
}

type FdWrite = (fd: number, iov: number, iovcnt: number, pnum: number) => number;

/**
 * Takes over jq's writes to standard error (Emscripten's `fd_write` import, found by its name).
 * jq-wasm copies its whole stderr buffer for every byte written, and jq repeats the program line
 * in every error, so a one-line expression naming a few hundred undefined variables made one
 * compile take minutes (quartic in the number of errors). Here writes are kept as chunks, and only
 * the first `maxErrorBytes`: the first errors are the ones a message quotes. Undefined when the
 * import is not found (another jq-wasm build); jq-wasm then collects stderr itself.
 */
function captureStandardError(imports: object, buffer: () => ArrayBuffer | undefined) {
  for (const group of Object.values(imports) as unknown[]) {
    if (typeof group !== 'object' || group === null) continue;
    const functions = group as Record<string, unknown>;
    const key = Object.keys(functions).find((k) => {
      const value = functions[k];
      return typeof value === 'function' && value.name === '_fd_write';
    });
    if (key === undefined) continue;
    const original = functions[key] as FdWrite;
    let chunks: Uint8Array[] = [];
    let kept = 0;
    let cut = false;
    let lastWrite = '';
    functions[key] = (fd: number, iov: number, iovcnt: number, pnum: number): number => {
      const memory = buffer();
      if (fd !== 2 || memory === undefined) return original(fd, iov, iovcnt, pnum);
      const view = new DataView(memory);
      let written = 0;
      const parts: Uint8Array[] = [];
      for (let i = 0; i < iovcnt; i++) {
        const start = view.getUint32(iov + 8 * i, true);
        const length = view.getUint32(iov + 8 * i + 4, true);
        const room = Math.min(length, maxErrorBytes - kept);
        if (room > 0) chunks.push(new Uint8Array(memory, start, room).slice());
        if (room < length) cut = true;
        kept += Math.max(0, room);
        written += length;
        if (written <= summaryBytes) parts.push(new Uint8Array(memory, start, length));
      }
      lastWrite = written <= summaryBytes ? Buffer.concat(parts).toString('utf8') : '';
      view.setUint32(pnum, written, true);
      return 0;
    };
    const capture: ErrorCapture = {
      reset() {
        chunks = [];
        kept = 0;
        cut = false;
        lastWrite = '';
      },
      text() {
        const text = Buffer.concat(chunks).toString('utf8');
        if (!cut) return text;
        // A cut line could read as a shorter error than jq wrote: keep whole lines only. jq's
        // last line, `jq: 300 compile errors`, still says how many there were.
        const summary = /^jq: \d+ compile errors?\n?$/.test(lastWrite) ? lastWrite : '';
        return text.slice(0, text.lastIndexOf('\n') + 1) + summary;
      },
    };
    return capture;
  }
  return undefined;
}

/** The instance's memory: the one export that has a buffer and grows. */
function memoryOf(instance: object): { buffer: ArrayBuffer } | undefined {
  const exports = (instance as { exports?: Record<string, unknown> }).exports ?? {};
  return Object.values(exports).find(
    (value): value is { buffer: ArrayBuffer } =>
      typeof value === 'object' &&
      value !== null &&
      (value as { buffer?: unknown }).buffer instanceof ArrayBuffer &&
      typeof (value as { grow?: unknown }).grow === 'function',
  );
}

interface JqInstance {
  module: JqModule;
  /** Undefined when jq-wasm collects stderr itself (and throws it as an error). */
  stderr: ErrorCapture | undefined;
}

async function createJqInstance(): Promise<JqInstance> {
  const compiled = await compiledJqModule();
  const factory = createJqModule as (options?: {
    instantiateWasm?: Instantiate;
  }) => Promise<JqModule>;
  if (compiled === undefined) return { module: await factory(), stderr: undefined };
  let stderr: ErrorCapture | undefined;
  const module = await factory({
    // Emscripten's hook: instantiate asynchronously, hand the instance over, return `{}`.
    instantiateWasm(imports, receive) {
      let memory: { buffer: ArrayBuffer } | undefined;
      stderr = captureStandardError(imports, () => memory?.buffer);
      void webAssembly.instantiate(compiled, imports).then((instance) => {
        memory = memoryOf(instance);
        receive(instance, compiled);
      });
      return {};
    },
  });
  return { module, stderr };
}

const noop = () => undefined;

/** What jq's error output and exit status say about a program that ran to its end. */
function outcomeOf(stderr: string, exitStatus: typeof process.exitCode): JqOutcome {
  if (!stderr.startsWith('jq: ')) {
    return { status: 'failed', reason: stderr.split('\n')[0] ?? stderr };
  }
  // Status 0 with output on stderr: warnings only, the program compiled.
  return exitStatus === 0 ? { status: 'compiled' } : { status: 'rejected', stderr };
}

/**
 * jq compiled to WebAssembly (jq-wasm 1.0.1, jq 1.7.1), one call at a time: the module is not
 * reentrant, keeps its input and output in shared buffers, and sets `process.exitCode` to jq's
 * exit status on every call, which is put back afterwards so that a compile error in a workflow
 * cannot become the exit code of the process that checked it.
 */
export function createWasmJqEngine(options: WasmJqEngineOptions = {}): JqEngine {
  const budget = options.heapBudget ?? 8 * 1024 * 1024;
  let current: Promise<JqInstance> | undefined;
  let spare: Promise<JqInstance> | undefined;
  let spent = 0;
  let tail: Promise<unknown> = Promise.resolve();

  const instantiate = (): Promise<JqInstance> => {
    const made = createJqInstance();
    made.catch(noop);
    return made;
  };
  const retire = () => {
    current = undefined;
    spent = 0;
  };

  const attempt = async (program: string): Promise<JqOutcome> => {
    const cost = estimatedCost(program);
    if (current !== undefined && spent + cost > budget) retire();
    if (current === undefined) {
      current = spare ?? instantiate();
      spare = undefined;
    }
    spent += cost;
    if (spare === undefined && spent > budget / 2) spare = instantiate();
    let jq: JqInstance;
    try {
      jq = await current;
    } catch (error) {
      return { status: 'failed', reason: `jq could not be loaded: ${String(error)}` };
    }
    const saved = process.exitCode;
    jq.stderr?.reset();
    try {
      await jq.module.raw('null', program, ['-n']);
      const written = jq.stderr?.text().trim() ?? '';
      if (written === '') return { status: 'compiled' };
      return outcomeOf(written, process.exitCode);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A WebAssembly RuntimeError is an abort inside jq: that instance is dead.
      const aborted = error instanceof Error && error.name === 'RuntimeError';
      if (aborted) return { status: 'failed', reason: message.split('\n')[0] ?? message };
      return outcomeOf(message, process.exitCode);
    } finally {
      process.exitCode = saved;
    }
  };

  const compileNow = async (program: string): Promise<JqOutcome> => {
    const first = await attempt(program);
    if (first.status !== 'failed') return first;
    // An aborted instance stays broken: start a fresh one and try once more.
    retire();
    const second = await attempt(program);
    if (second.status === 'failed') retire();
    return second;
  };

  return {
    compile(program) {
      const result = tail.then(() => compileNow(program));
      tail = result.then(noop, noop);
      return result;
    },
  };
}
