import { afterEach, describe, expect, it } from 'vitest';
import { createWasmJqEngine, maxErrorBytes } from './jqEngine.js';

// jq-wasm is computation in this process (WebAssembly), not I/O: these run as unit tests.
const engine = createWasmJqEngine();

describe('createWasmJqEngine', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('compiles a program without evaluating it', async () => {
    expect(await engine.compile('empty as $x | error("evaluated")')).toEqual({
      status: 'compiled',
    });
  });

  it("returns jq's error output for a program that does not compile", async () => {
    const outcome = await engine.compile('empty as $x | .a |');
    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' && outcome.stderr).toContain(
      'jq: error: syntax error, unexpected end of file',
    );
  });

  it('leaves the exit code of the process as it was', async () => {
    process.exitCode = undefined;
    await engine.compile('empty as $x | $undefined');
    expect(process.exitCode).toBeUndefined();
    process.exitCode = 7;
    await engine.compile('empty as $x | 1');
    expect(process.exitCode).toBe(7);
  });

  it('runs concurrent calls one at a time, each with its own result', async () => {
    const programs = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? `empty as $x | .a${i}` : `empty as $x | $nope${i}`,
    );
    const outcomes = await Promise.all(programs.map((p) => engine.compile(p)));
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) expect(outcome).toEqual({ status: 'compiled' });
      else
        expect(outcome.status === 'rejected' && outcome.stderr).toContain(
          `$nope${i} is not defined`,
        );
    });
  });

  it('rejects a line naming 1,000 undefined variables, keeping the first errors', async () => {
    // Issue: jq repeats the line in each error (12 MB of errors here) and jq-wasm 1.0.1 copied
    // its whole stderr buffer per byte: 150 such variables took 20 s.
    const line = Array.from({ length: 1_000 }, (_, i) => `$v${i}`).join(' + ');
    const outcome = await engine.compile(`empty as $x |\n${line}`);
    expect(outcome.status).toBe('rejected');
    const stderr = outcome.status === 'rejected' ? outcome.stderr : '';
    expect(stderr).toMatch(/^jq: error: \$v0 is not defined at <top-level>, line 2:/);
    expect(stderr.length).toBeLessThanOrEqual(maxErrorBytes + 64);
    expect(stderr).toMatch(/\njq: 1000 compile errors$/);
    // The next call starts with an empty capture.
    expect(await engine.compile('empty as $x | 1')).toEqual({ status: 'compiled' });
  });

  it('compiles a large program many times on one instance', async () => {
    // Issue: jq-wasm 1.0.1 leaked about 55 KiB per call and aborted after some hundred calls.
    const program = `empty as $x | ${Array.from({ length: 200 }, (_, i) => `(.a[${i}] | map(ascii_downcase))`).join(', ')}`;
    for (let i = 0; i < 300; i++) {
      expect(await engine.compile(program)).toEqual({ status: 'compiled' });
    }
  }, 60_000);
});
