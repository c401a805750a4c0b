import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findIncompatibilities } from '../registry/compatibility.js';

/**
 * The CI guard on event contracts: every `.avsc` must stay BACKWARD_TRANSITIVE-compatible with
 * every version of it ever committed, because replays and new consumers read the whole log.
 * Git history is the record of what was published; the registry enforces the same rule at run
 * time, this catches it before merge.
 */
export interface SchemaHistoryProblem {
  path: string;
  message: string;
}

export function checkSchemaHistory(
  repoRoot: string,
  schemasDir = 'contracts/schemas',
): SchemaHistoryProblem[] {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const problems: SchemaHistoryProblem[] = [];
  const current = new Map<string, string>();
  for (const path of listAvsc(join(repoRoot, schemasDir))) {
    current.set(relative(repoRoot, path), readFileSync(path, 'utf8'));
  }

  // Every path that ever held a schema, so deleted ones are noticed too.
  const everCommitted = new Set(
    git('log', '--all', '--format=', '--name-only', '--', schemasDir)
      .split('\n')
      .filter((line) => line.endsWith('.avsc')),
  );
  for (const path of everCommitted) {
    if (!current.has(path)) {
      problems.push({
        path,
        message: 'was deleted; events already written with it could no longer be read on replay',
      });
    }
  }

  for (const [path, text] of current) {
    let candidate: object;
    try {
      candidate = JSON.parse(text) as object;
    } catch (error) {
      problems.push({ path, message: `is not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const commits = git('log', '--format=%H', '--reverse', '--', path).split('\n').filter(Boolean);
    const versions: string[] = [];
    for (const commit of commits) {
      let committed: string;
      try {
        committed = git('show', `${commit}:${path}`);
      } catch {
        continue; // the commit deleted it
      }
      if (!versions.includes(committed)) versions.push(committed);
    }
    const earlier = versions
      .filter((v) => v !== text)
      .map((v, index) => ({ version: index + 1, schema: JSON.parse(v) as object }));
    for (const found of findIncompatibilities('BACKWARD_TRANSITIVE', candidate, earlier)) {
      problems.push({
        path,
        message: `cannot read data written with committed version ${found.version} of ${earlier.length}: ${found.reason}`,
      });
    }
  }
  return problems;
}

function listAvsc(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listAvsc(path);
    return entry.name.endsWith('.avsc') ? [path] : [];
  });
}
