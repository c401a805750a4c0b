import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { readApiConfig } from './apiConfig.js';
import { generateDomainApi } from './domainApi.js';
import { mergedDocument } from './mergedDocument.js';
import { typedClientSource } from './typedClient.js';

/** The repository root, where `tsoa.json` is; paths in it are relative to here. */
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface GeneratedFile {
  /** Absolute path where the file is committed. */
  path: string;
  text: string;
}

/**
 * Everything generated from the controllers, as `tsoa.json` describes them: each domain's Koa
 * routes, the one OpenAPI document of the whole API, and the typed client's types — formatted by
 * prettier so they pass `prettier --check` as committed. Nothing is written: `npm run
 * api:generate` writes, and a unit test compares against the committed files.
 */
export async function generateApi(root = repositoryRoot): Promise<GeneratedFile[]> {
  const config = await readApiConfig(root);
  const template = await readFile(config.routes.middlewareTemplate, 'utf8');
  const domains = [];
  // One after the other: each builds a TypeScript program, and they would only compete.
  for (const domain of config.domains) {
    domains.push(await generateDomainApi(domain, config, template));
  }
  const document = mergedDocument(domains);
  const specPath = join(
    config.spec.outputDirectory,
    `${config.spec.specFileBaseName ?? 'openapi'}.json`,
  );
  return Promise.all([
    ...domains.map(({ routes }) => formatted(routes.path, routes.text)),
    formatted(specPath, JSON.stringify(document)),
    formatted(config.client.outputFile, await typedClientSource(document)),
  ]);
}

async function formatted(path: string, text: string): Promise<GeneratedFile> {
  const options = (await resolveConfig(path)) ?? {};
  return { path, text: await format(text, { ...options, filepath: path }) };
}

/** `npm run api:generate`: writes the generated files in place. */
async function main(): Promise<void> {
  for (const file of await generateApi()) {
    await writeFile(file.path, file.text);
    console.log(`wrote ${file.path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
