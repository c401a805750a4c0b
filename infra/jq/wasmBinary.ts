import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of the WebAssembly API used here (the project's TypeScript lib does not type it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  RuntimeError: new () => Error;
}
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** A WebAssembly page: the unit of memory sizes. */
export const pageBytes = 64 * 1024;

export const jqWasmFileName = 'jq-awp.wasm';

/** jq-awp.wasm's path, from the sources or from the build output (dist/ holds no .wasm). */
export function jqWasmPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'build'), join(here, '..', '..', '..', 'infra', 'jq', 'build')];
  const found = candidates.find((dir) => existsSync(join(dir, jqWasmFileName)));
  if (found === undefined) {
    throw new Error(
      `${jqWasmFileName} not found in ${candidates.join(' or ')}: run infra/jq/build/build.sh`,
    );
  }
  return join(found, jqWasmFileName);
}

/** The module and the memory it imports, at least `minimumPages` pages. */
export interface JqWasm {
  module: object;
  minimumPages: number;
}

/** Reads and compiles jq-awp.wasm once; its module is handed to every worker. */
export async function loadJqWasm(path = jqWasmPath()): Promise<JqWasm> {
  const bytes = readFileSync(path);
  return { module: await webAssembly.compile(bytes), minimumPages: importedMemoryPages(bytes) };
}

/**
 * The minimum size (in pages) of the memory a module imports, read from its import section:
 * the host creates that memory, with the maximum it chooses.
 */
export function importedMemoryPages(bytes: Uint8Array): number {
  let at = 8; // magic and version
  const byte = () => {
    if (at >= bytes.length) throw new Error('truncated WebAssembly module');
    return bytes[at++] as number;
  };
  const unsigned = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
      shift += 7;
    }
  };
  const skipLimits = () => {
    const flags = byte();
    unsigned();
    if (flags & 1) unsigned();
  };
  while (at < bytes.length) {
    const id = byte();
    const size = unsigned();
    if (id !== 2) {
      at += size;
      continue;
    }
    const skipName = () => {
      const length = unsigned();
      at += length;
    };
    for (let count = unsigned(); count > 0; count--) {
      skipName(); // module
      skipName(); // field
      const kind = byte();
      if (kind === 0) unsigned();
      else if (kind === 1) {
        byte();
        skipLimits();
      } else if (kind === 2) {
        byte(); // flags
        return unsigned();
      } else if (kind === 3) at += 2;
      else throw new Error(`unknown import kind ${kind}`);
    }
    break;
  }
  throw new Error('the module imports no memory');
}
