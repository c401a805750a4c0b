import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApi } from './tooling/generateApi.js';

describe('the generated API', () => {
  it('matches what the controllers generate now: routes, OpenAPI document and typed client (run `npm run api:generate`)', async () => {
    const files = await generateApi();
    expect(files.map((file) => relative(process.cwd(), file.path))).toEqual([
      'domains/platform/api/generated/routes.ts',
      'domains/agent/api/generated/routes.ts',
      'domains/workflow/api/generated/routes.ts',
      'domains/conversation/api/generated/routes.ts',
      'gateway/openapi/generated/openapi.json',
      'clients/typescript/generated/awpApi.ts',
    ]);
    for (const file of files) {
      const committed = await readFile(file.path, 'utf8').catch(() => '(missing)');
      expect(committed, `${relative(process.cwd(), file.path)} is stale`).toBe(file.text);
    }
  }, 120_000);
});
