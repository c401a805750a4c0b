import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits beside `base` (a caller's `import.meta.url`).
 * Built (dist/), the worker is plain JavaScript beside the caller. From the TypeScript sources
 * (tests, benchmarks, tsx) it is loaded through tsx, a devDependency: a worker thread does not
 * inherit the loader its parent was started with.
 */
export function spawnWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  const built = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(built))) return new Worker(built, options);
  const source = JSON.stringify(new URL(`./${name}.ts`, base).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((tsx) => tsx.tsImport(${source}, ${source}))`, {
    ...options,
    eval: true,
  });
}
