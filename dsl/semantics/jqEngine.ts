import { loadJq } from 'jq-wasm';
import type { Jq } from 'jq-wasm';

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

/**
 * Most bytes of jq's standard error kept per call. jq repeats the program line in every error, so
 * a line naming 1,000 undefined variables makes 12 MB of errors; the first ones are those a
 * message quotes.
 */
export const maxErrorBytes = 64 * 1024;

/**
 * jq's standard error cut to whole lines within `maxErrorBytes`; jq's closing line
 * (`jq: 300 compile errors`) is kept, so it still says how many errors there were.
 */
function keptErrors(stderr: string): string {
  if (Buffer.byteLength(stderr) <= maxErrorBytes) return stderr;
  const head = Buffer.from(stderr).subarray(0, maxErrorBytes).toString('utf8');
  const lastLine = stderr.slice(stderr.lastIndexOf('\n') + 1);
  const summary = /^jq: \d+ compile errors?$/.test(lastLine) ? lastLine : '';
  return head.slice(0, head.lastIndexOf('\n') + 1) + summary;
}

/**
 * jq 1.8 locates an error as `at <top-level>, line 2, column 6:` where jq 1.7 wrote
 * `at <top-level>, line 2:`. `jqErrorsOf` (jqProgram.ts) reads the 1.7 form, so the column is
 * dropped here until it reads the column too.
 */
const withoutColumns = (stderr: string) =>
  stderr.replace(/^(jq: error.* at <(?:top-level|unknown)>, line \d+), column \d+:$/gm, '$1:');

/** What jq's error output and exit status say about a program that ran to its end. */
function outcomeOf(stderr: string, exitCode: number): JqOutcome {
  if (stderr === '') return { status: 'compiled' };
  if (!stderr.startsWith('jq: ')) return { status: 'failed', reason: stderr.split('\n')[0] ?? '' };
  // Status 0 with output on stderr: warnings only, the program compiled.
  if (exitCode === 0) return { status: 'compiled' };
  return { status: 'rejected', stderr: withoutColumns(keptErrors(stderr)) };
}

/**
 * jq compiled to WebAssembly (jq-wasm 3, jq 1.8.2), run as its command line `jq -n PROGRAM`.
 * jq-wasm sets `process.exitCode` on every call (to 0 when it was unset), so it is put back
 * afterwards: a compile error in a workflow must not become the exit code of the process that
 * checked it. An abort inside jq leaves its instance unusable: the next call loads a new one.
 */
export function createWasmJqEngine(): JqEngine {
  let current: Promise<Jq> | undefined;

  const attempt = async (program: string): Promise<JqOutcome> => {
    let jq: Jq;
    try {
      jq = await (current ??= loadJq());
    } catch (error) {
      current = undefined;
      return { status: 'failed', reason: `jq could not be loaded: ${String(error)}` };
    }
    const saved = process.exitCode;
    try {
      const { stderr, exitCode } = jq.raw('null', program, ['-n']);
      return outcomeOf(stderr, exitCode);
    } catch (error) {
      current = undefined;
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'failed', reason: message.split('\n')[0] ?? message };
    } finally {
      process.exitCode = saved;
    }
  };

  return {
    async compile(program) {
      const first = await attempt(program);
      if (first.status !== 'failed') return first;
      // An aborted instance stays broken: try once more on a fresh one.
      return attempt(program);
    },
  };
}
