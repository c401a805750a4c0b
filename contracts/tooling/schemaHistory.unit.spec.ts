import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSchemaHistory } from './schemaHistory.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const v1 = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'awp.test',
  fields: [{ name: 'orderId', type: 'string' }],
};
const withField = (field: object) => ({ ...v1, fields: [...v1.fields, field] });

/** A scratch git repository whose history holds the given versions of one schema. */
function repoWithHistory(...versions: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'awp-schema-history-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe', encoding: 'utf8' });
  git('init', '-q');
  git('config', 'user.email', 'test@awp.local');
  git('config', 'user.name', 'test');
  mkdirSync(join(dir, 'contracts/schemas/test'), { recursive: true });
  const path = join(dir, 'contracts/schemas/test/OrderPlaced.avsc');
  versions.forEach((schema, index) => {
    writeFileSync(path, JSON.stringify(schema, null, 2));
    git('add', '.');
    git('commit', '-q', '-m', `v${index + 1}`);
  });
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function change(dir: string, schema: object): void {
  writeFileSync(join(dir, 'contracts/schemas/test/OrderPlaced.avsc'), JSON.stringify(schema));
}

describe('schema history check (npm run contracts:check)', () => {
  it('passes for this repository: no committed event schema was broken', () => {
    expect(checkSchemaHistory(repoRoot)).toEqual([]);
  });

  it('accepts a new optional field with a default', () => {
    const dir = repoWithHistory(v1);
    change(dir, withField({ name: 'note', type: ['null', 'string'], default: null }));
    expect(checkSchemaHistory(dir)).toEqual([]);
  });

  it('refuses a new required field, naming the file and the version it breaks', () => {
    const dir = repoWithHistory(v1);
    change(dir, withField({ name: 'total', type: 'long' }));
    const problems = checkSchemaHistory(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'contracts/schemas/test/OrderPlaced.avsc' });
    expect(problems[0]!.message).toMatch(/committed version 1/);
  });

  it('checks every committed version, not only the last (BACKWARD_TRANSITIVE)', () => {
    // v2 dropped `note`; v3 brings back a required `note` of another type: fine against v2,
    // but v1 data has a string `note` that v3 cannot read.
    const dir = repoWithHistory(withField({ name: 'note', type: 'string' }), v1);
    change(dir, withField({ name: 'note', type: 'int', default: 0 }));
    const problems = checkSchemaHistory(dir);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/committed version 1 of 2/);
  });

  it('refuses deleting a committed schema', () => {
    const dir = repoWithHistory(v1);
    rmSync(join(dir, 'contracts/schemas/test/OrderPlaced.avsc'));
    expect(checkSchemaHistory(dir)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/deleted/) }),
    ]);
  });

  it('reports a file that is not JSON', () => {
    const dir = repoWithHistory(v1);
    writeFileSync(join(dir, 'contracts/schemas/test/OrderPlaced.avsc'), '{ nope');
    expect(checkSchemaHistory(dir)[0]!.message).toMatch(/not valid JSON/);
  });
});
