import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCli } from './awp.js';

const valid = `document:
  dsl: '1.0.0'
  namespace: orders
  name: intake
  version: '1.0.0'
do:
  - checkStock:
      call: http
      with:
        method: get
        endpoint: https://stock.example.com/items
  - reserve:
      set:
        reserved: \${ .available > 0 }
`;

/** `valid` with a typo'd key: the schema refuses it at line 10, column 9. */
const invalid = valid.replace('method: get', 'methd: get');

/** `valid` without its last task: removing a task is breaking. */
const shorter = valid.slice(0, valid.indexOf('  - reserve:'));

/** `valid` with one more task at the end: compatible. */
const longer = `${valid}  - done:
      set:
        ok: true
`;

describe('awp dsl', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  /** Runs `awp dsl …` in this process, capturing what it prints. */
  async function awp(...argv: string[]) {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await createCli().run(['dsl', ...argv]);
      const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
      return { code, stdout: text(out), stderr: text(err) };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'awp-dsl-'));
    await writeFile(file('valid.yaml'), valid);
    await writeFile(file('invalid.yaml'), invalid);
    await writeFile(file('shorter.yaml'), shorter);
    await writeFile(file('longer.yaml'), longer);
    await writeFile(file('garbage.yaml'), Buffer.from([0x64, 0x6f, 0x3a, 0x20, 0xff, 0xfe]));
    await writeFile(file('huge.yaml'), `a: "${'x'.repeat(2 * 1_048_576)}"\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('validate', () => {
    it('exits 0 for valid files', async () => {
      const run = await awp('validate', file('valid.yaml'), file('longer.yaml'));
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expect(run.stderr).toContain('2 valid');
    });

    it('prints file:line:column: severity: message and exits 1 when any file is invalid', async () => {
      const run = await awp('validate', file('valid.yaml'), file('invalid.yaml'));
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(`^${file('invalid.yaml').replace(/[.\\/]/g, '\\$&')}:10:9: error: .*methd`),
      );
      expect(run.stderr).toContain('1 of 2 invalid');
    });

    it('prints the documented JSON shape', async () => {
      const run = await awp(
        'validate',
        '--format',
        'json',
        file('valid.yaml'),
        file('invalid.yaml'),
      );
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
      expect(json).toHaveLength(2);
      expect(json[0]).toEqual({ file: file('valid.yaml'), valid: true, errors: [], warnings: [] });
      expect(json[1]).toMatchObject({ file: file('invalid.yaml'), valid: false, warnings: [] });
      const [error] = json[1]?.errors as Array<Record<string, unknown>>;
      expect(Object.keys(error ?? {}).sort()).toEqual([
        'code',
        'column',
        'line',
        'message',
        'path',
      ]);
      expect(error).toMatchObject({ line: 10, column: 9, path: '/do/0/checkStock/with/methd' });
    });

    it('refuses bytes that are not UTF-8 and files over the size limit, as invalid', async () => {
      const run = await awp(
        'validate',
        '--format',
        'json',
        file('garbage.yaml'),
        file('huge.yaml'),
      );
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout) as Array<{ errors: Array<{ code: string }> }>;
      expect(json.map((r) => r.errors[0]?.code)).toEqual(['input-not-utf8', 'input-too-large']);
    });

    it('exits 2 for a missing file, still validating the others', async () => {
      const run = await awp('validate', file('valid.yaml'), file('missing.yaml'));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${file('missing.yaml')}: cannot read: no such file`);
    });

    it('exits 2 for usage errors', async () => {
      expect((await awp('validate')).code).toBe(2);
      const twice = await awp('validate', '-', '-');
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain("'-' (standard input) can be given only once");
      const badFormat = await awp('validate', '--format', 'xml', file('valid.yaml'));
      expect(badFormat.code).toBe(2);
      expect(badFormat.stderr).toContain('--format must be one of text, json');
    });
  });

  describe('graph, deps, schema', () => {
    it('prints a Mermaid flowchart by default and JSON on request', async () => {
      const mermaid = await awp('graph', file('valid.yaml'));
      expect(mermaid.code).toBe(0);
      expect(mermaid.stdout).toMatch(/^flowchart TD/);
      expect(mermaid.stdout).toMatch(/[^\n]\n$/);
      expect(mermaid.stdout).toContain('checkStock');
      const json = await awp('graph', '--format', 'json', file('valid.yaml'));
      const graph = JSON.parse(json.stdout) as { nodes: Array<{ id: string }> };
      expect(graph.nodes.map((n) => n.id)).toContain('/do/0/checkStock');
    });

    it('lists dependencies as JSON', async () => {
      const run = await awp('deps', file('valid.yaml'));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('https://stock.example.com/items');
    });

    it('refuses an invalid document with its problems and exit 1', async () => {
      const run = await awp('graph', file('invalid.yaml'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(':10:9: error:');
      expect(run.stderr).toContain('is not a valid workflow (1 error)');
    });

    it('prints the editor schema', async () => {
      const run = await awp('schema');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ $schema: expect.stringContaining('2020-12') });
    });
  });

  describe('diff', () => {
    it('exits 0 for a compatible change', async () => {
      const run = await awp('diff', file('valid.yaml'), file('longer.yaml'));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('done');
    });

    it('exits 1 for a breaking change and says why', async () => {
      const run = await awp('diff', file('valid.yaml'), file('shorter.yaml'));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('reserve');
      const json = await awp('diff', '--format', 'json', file('valid.yaml'), file('shorter.yaml'));
      expect(JSON.parse(json.stdout)).toMatchObject({ breaking: true });
    });

    it('exits 65 when a version is invalid, and 2 when one is missing', async () => {
      expect((await awp('diff', file('valid.yaml'), file('invalid.yaml'))).code).toBe(65);
      expect((await awp('diff', file('valid.yaml'), file('missing.yaml'))).code).toBe(2);
    });
  });

  it('refuses an unknown AWP_DSL_ALLOW_RUN kind with exit 2', async () => {
    process.env.AWP_DSL_ALLOW_RUN = 'shell,teleport';
    try {
      const run = await awp('validate', file('valid.yaml'));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("'teleport' is not a run kind");
    } finally {
      delete process.env.AWP_DSL_ALLOW_RUN;
    }
  });

  it('sets the process exit code when run as a program, reading - from stdin', () => {
    const main = join(import.meta.dirname, 'main.ts');
    const awpProcess = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', main, 'dsl', ...args], {
        encoding: 'utf8',
        ...(input !== undefined ? { input } : {}),
      });
    const refused = awpProcess(['validate', file('invalid.yaml')]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(':10:9: error:');
    const piped = awpProcess(['validate', '-'], valid);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toContain('1 valid');
    const pipedInvalid = awpProcess(['validate', '-'], invalid);
    expect(pipedInvalid.stdout).toMatch(/^<stdin>:10:9: error:/);
  }, 30_000);
});
