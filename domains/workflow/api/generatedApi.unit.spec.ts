import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWorkflowApi } from './tooling/generateWorkflowApi.js';

describe('the generated workflow API', () => {
  it('matches what tsoa generates from the controllers now (run `npm run api:generate`)', async () => {
    for (const file of await generateWorkflowApi()) {
      const committed = await readFile(file.path, 'utf8').catch(() => '(missing)');
      expect(committed, `${relative(process.cwd(), file.path)} is stale`).toBe(file.text);
    }
  }, 60_000);
});
