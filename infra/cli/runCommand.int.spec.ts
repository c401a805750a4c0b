import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAwp } from '../../test/support/processes.js';
import { sendJson, startHttpServer, startPosApi } from '../../test/support/servers/index.js';
import type { PosApi, StartedHttpServer } from '../../test/support/servers/index.js';
import { createCli } from './awp.js';

const header = (name: string) => `document:
  dsl: '1.0.0'
  namespace: cli-run
  name: ${name}
  version: '1.0.0'
`;

/** Classifies `.n`: a switch picks one of two `set` tasks. */
const classify = `${header('classify')}do:
  - pick:
      switch:
        - large:
            when: \${ .n > 10 }
            then: large
        - otherwise:
            then: small
  - large:
      set:
        size: large
        n: \${ .n }
      then: end
  - small:
      set:
        size: small
        n: \${ .n }
      then: end
`;

const refuse = `${header('refuse')}do:
  - refuse:
      raise:
        error:
          type: https://example.com/errors/out-of-stock
          status: 409
          title: Out of stock
`;

/** Calls `url` with GET and keeps the response body. */
const callEcho = (url: string) => `${header('call-echo')}do:
  - ask:
      call: http
      with:
        method: get
        endpoint: ${url}/hello
`;

/** `callEcho` with `method` misspelt: the schema refuses the `with` block. */
const misspelt = (url: string) => callEcho(url).replace('method: get', 'methd: get');

/** Lists the POS orders with the bearer token held by the secret `pos`. */
const listOrders = (url: string) => `${header('list-orders')}use:
  secrets: [pos]
do:
  - list:
      call: http
      with:
        method: get
        endpoint:
          uri: ${url}/orders
          authentication:
            bearer:
              use: pos
`;

const classifyOutput = (n: number) => ({ size: n > 10 ? 'large' : 'small', n });

/** Where `needle` first occurs in `text`, as 1-based `line:column`. */
function positionOf(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return `${line + 1}:${(lines[line] ?? '').indexOf(needle) + 1}`;
}

describe('awp run', () => {
  let dir: string;
  let echo: StartedHttpServer;
  let pos: PosApi;
  const file = (name: string) => join(dir, name);
  const echoHost = () => new URL(echo.baseUrl).host;

  /** Runs `awp run …` in this process, capturing what it prints. */
  async function awp(...argv: string[]) {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await createCli().run(['run', ...argv]);
      const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
      return { code, stdout: text(out), stderr: text(err) };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'awp-run-'));
    echo = await startHttpServer(function greet(request, response) {
      sendJson(response, 200, { greeting: 'hello', path: request.path });
    });
    pos = await startPosApi();
    await writeFile(file('classify.yaml'), classify);
    await writeFile(file('refuse.yaml'), refuse);
    await writeFile(file('call-echo.yaml'), callEcho(echo.baseUrl));
    await writeFile(file('misspelt.yaml'), misspelt(echo.baseUrl));
    await writeFile(file('list-orders.yaml'), listOrders(pos.baseUrl));
    await writeFile(file('input.json'), JSON.stringify({ n: 3 }));
    await writeFile(file('secrets.json'), JSON.stringify({ pos: { token: pos.token } }));
    await writeFile(file('secrets-not-json.json'), 'pos: pos-token\n');
    await writeFile(file('secrets-array.json'), JSON.stringify([{ pos: 'pos-token' }]));
  });
  afterAll(async () => {
    await Promise.all([echo?.close(), pos?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  describe('a workflow that completes', () => {
    it('exits 0 and prints exactly the output as JSON on stdout', async () => {
      const run = await awp(file('classify.yaml'), '--input', '{"n": 42}');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/\n$/);
      expect(JSON.parse(run.stdout)).toEqual(classifyOutput(42));
    });

    it('reads the input from --input-file', async () => {
      const run = await awp(file('classify.yaml'), '--input-file', file('input.json'));
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(classifyOutput(3));
    });
  });

  describe('usage errors exit 2 without running anything', () => {
    it('refuses --input together with --input-file', async () => {
      const run = await awp(
        file('classify.yaml'),
        '--input',
        '{"n": 1}',
        '--input-file',
        file('input.json'),
      );
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toContain('give --input or --input-file, not both');
    });

    it('says that --input is not valid JSON', async () => {
      const run = await awp(file('classify.yaml'), '--input', '{n: 1}');
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^awp: --input is not valid JSON: /);
    });

    it('names a workflow file that does not exist', async () => {
      const run = await awp(file('missing.yaml'));
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toContain(`${file('missing.yaml')}: no such file`);
    });

    it('names an input file that does not exist', async () => {
      const run = await awp(file('classify.yaml'), '--input-file', file('missing.json'));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--input-file ${file('missing.json')}: no such file`);
    });

    it('refuses an --allow-host that is not a host', async () => {
      const run = await awp(file('call-echo.yaml'), '--allow-host', 'not a host!');
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toContain("--allow-host 'not a host!'");
    });

    it('refuses a secrets file that is not JSON, or not a JSON object', async () => {
      const notJson = await awp(
        file('classify.yaml'),
        '--secrets-file',
        file('secrets-not-json.json'),
      );
      expect(notJson).toMatchObject({ code: 2, stdout: '' });
      expect(notJson.stderr).toContain('--secrets-file is not valid JSON');
      const array = await awp(file('classify.yaml'), '--secrets-file', file('secrets-array.json'));
      expect(array).toMatchObject({ code: 2, stdout: '' });
      expect(array.stderr).toContain('must hold a JSON object');
    });
  });

  it('points at the misspelt key with file:line:col: error: and exits 2', async () => {
    const run = await awp(file('misspelt.yaml'), '--allow-host', echoHost());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    const at = positionOf(misspelt(echo.baseUrl), 'methd');
    expect(run.stderr).toMatch(
      new RegExp(`^${escapeRegExp(file('misspelt.yaml'))}:${at}: error: .*methd`, 'm'),
    );
    expect(echo.requests).toEqual([]);
  });

  it('exits 1 and prints the raised error as RFC 9457 JSON on stderr', async () => {
    const run = await awp(file('refuse.yaml'));
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(run.stderr)).toMatchObject({
      type: 'https://example.com/errors/out-of-stock',
      status: 409,
      title: 'Out of stock',
      instance: '/do/0/refuse',
    });
  });

  describe('outbound calls', () => {
    it('refuses a loopback server without --allow-host: exit 1, a 403 problem on stderr', async () => {
      const before = echo.requests.length;
      const run = await awp(file('call-echo.yaml'));
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(JSON.parse(run.stderr)).toMatchObject({ status: 403, instance: '/do/0/ask' });
      expect(echo.requests.length).toBe(before);
    });

    it('calls it when --allow-host names its host and port', async () => {
      const run = await awp(file('call-echo.yaml'), '--allow-host', echoHost());
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ greeting: 'hello', path: '/hello' });
    });

    it('authenticates with a bearer token taken from --secrets-file', async () => {
      const run = await awp(
        file('list-orders.yaml'),
        '--secrets-file',
        file('secrets.json'),
        '--allow-host',
        new URL(pos.baseUrl).host,
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual([]);
      expect(pos.requests.at(-1)?.headers.authorization).toBe('Bearer pos-token');
    });
  });

  describe('as a program', () => {
    /** `awp run …` from source with the workflow piped to stdin, stdout and stderr apart. */
    async function piped(args: string[], stdin: string) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'infra/cli/main.ts', ...args], {
        cwd: join(import.meta.dirname, '../..'),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.end(stdin);
      // 'close', not 'exit': the last output may still be in the pipes when the process exits.
      const [code] = (await once(child, 'close')) as [number | null];
      return { code, stdout, stderr };
    }
    async function program(args: string[]) {
      const run = runAwp(args, {});
      await once(run.child, 'close');
      return { code: await run.exited, output: run.output() };
    }

    // One test, the processes side by side: each starts its own engine, seconds apiece.
    it('exits 0, 1 and 2, reading the workflow from stdin when the file is -', async () => {
      const [completed, faulted, usage] = await Promise.all([
        piped(['run', '-', '--input', '{"n": 11}'], classify),
        program(['run', file('refuse.yaml')]),
        program(['run', file('classify.yaml'), '--input', 'not json']),
      ]);
      expect(completed).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(completed.stdout)).toEqual(classifyOutput(11));
      expect(faulted.code).toBe(1);
      expect(JSON.parse(faulted.output)).toMatchObject({ status: 409, title: 'Out of stock' });
      expect(usage.code).toBe(2);
      expect(usage.output).toContain('--input is not valid JSON');
    }, 180_000);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
