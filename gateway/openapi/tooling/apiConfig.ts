import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '@tsoa/cli';

/** One domain's part of the API: its controllers, its generated routes and its IoC module. */
export interface DomainApiConfig {
  name: string;
  /** Exports the controllers; tsoa starts its type walk here. */
  entryFile: string;
  controllerPathGlobs: string[];
  /** Where `routes.ts` is generated, beside the domain's controllers. */
  routesDir: string;
  /** Exports `iocContainer` (builds controllers per request) and `authorize` (the template's hook). */
  iocModule: string;
  /** Merged into this domain's operations (what tsoa cannot say, e.g. a YAML request body). */
  spec?: Record<string, unknown>;
}

/**
 * `tsoa.json`: tsoa's own settings, shared by every domain (`spec` describes the one merged
 * document, `routes` how each domain's routes are generated), plus the domains and the client.
 * It is read by `generateApi.ts`, not by the tsoa CLI, which knows one entry file only.
 */
export interface ApiConfig {
  noImplicitAdditionalProperties: NonNullable<Config['noImplicitAdditionalProperties']>;
  spec: Config['spec'];
  routes: {
    middleware: 'koa';
    esm: boolean;
    bodyCoercion: boolean;
    middlewareTemplate: string;
    routesFileName: string;
  };
  client: { outputFile: string };
  domains: DomainApiConfig[];
}

/** Reads `tsoa.json` from `root`, every path in it made absolute (generation runs anywhere). */
export async function readApiConfig(root: string): Promise<ApiConfig> {
  const config = JSON.parse(await readFile(join(root, 'tsoa.json'), 'utf8')) as ApiConfig;
  const at = (path: string) => join(root, path);
  return {
    ...config,
    spec: { ...config.spec, outputDirectory: at(config.spec.outputDirectory) },
    routes: { ...config.routes, middlewareTemplate: at(config.routes.middlewareTemplate) },
    client: { outputFile: at(config.client.outputFile) },
    domains: config.domains.map((domain) => ({
      ...domain,
      entryFile: at(domain.entryFile),
      controllerPathGlobs: domain.controllerPathGlobs.map(at),
      routesDir: at(domain.routesDir),
      iocModule: at(domain.iocModule),
    })),
  };
}
