import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readApiConfig } from './apiConfig.js';
import { generateDomainApi } from './domainApi.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('generating a domain’s API', () => {
  it('refuses an action without a security declaration, naming it', async () => {
    const config = await readApiConfig(root);
    const template = await readFile(config.routes.middlewareTemplate, 'utf8');
    const domain = {
      name: 'fixture',
      entryFile: fixture('unsecuredController.ts'),
      controllerPathGlobs: [fixture('unsecuredController.ts')],
      routesDir: fixture('generated'),
      iocModule: fixture('unsecuredController.ts'),
    };
    await expect(generateDomainApi(domain, config, template)).rejects.toThrow(
      /^UnsecuredController\.open: needs exactly one of @Security\('bearer', \[<permission>\]\) or @Security\('operator'\)/,
    );
  }, 60_000);
});
