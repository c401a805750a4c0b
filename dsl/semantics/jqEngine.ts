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
      const start = script.indexOf(marker);
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

async function createJqInstance(): Promise<JqModule> {
  const compiled = await compiledJqModule();
  const factory = createJqModule as (options?: {
    instantiateWasm?: Instantiate;
  }) => Promise<JqModule>;
  if (compiled === undefined) return factory();
  return factory({
    // Emscripten's hook: instantiate asynchronously, hand the instance over, return `{}`.
    instantiateWasm(imports, receive) {
      void webAssembly
        .instantiate(compiled, imports)
        .then((instance) => receive(instance, compiled));
      return {};
    },
  });
}

const noop = () => undefined;

/**
 * jq compiled to WebAssembly (jq-wasm 1.0.1, jq 1.7.1), one call at a time: the module is not
 * reentrant, keeps its input and output in shared buffers, and sets `process.exitCode` to jq's
 * exit status on every call, which is put back afterwards so that a compile error in a workflow
 * cannot become the exit code of the process that checked it.
 */
export function createWasmJqEngine(options: WasmJqEngineOptions = {}): JqEngine {
  const budget = options.heapBudget ?? 8 * 1024 * 1024;
  let current: Promise<JqModule> | undefined;
  let spare: Promise<JqModule> | undefined;
  let spent = 0;
  let tail: Promise<unknown> = Promise.resolve();

  const instantiate = (): Promise<JqModule> => {
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
    let jq: JqModule;
    try {
      jq = await current;
    } catch (error) {
      return { status: 'failed', reason: `jq could not be loaded: ${String(error)}` };
    }
    const saved = process.exitCode;
    try {
      await jq.raw('null', program, ['-n']);
      return { status: 'compiled' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exitStatus = process.exitCode;
      // A WebAssembly RuntimeError is an abort inside jq: that instance is dead.
      const aborted = error instanceof Error && error.name === 'RuntimeError';
      if (aborted || !message.startsWith('jq: ')) {
        return { status: 'failed', reason: message.split('\n')[0] ?? message };
      }
      // Status 0 with output on stderr: warnings only, the program compiled.
      return exitStatus === 0 ? { status: 'compiled' } : { status: 'rejected', stderr: message };
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
