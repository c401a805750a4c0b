import { join } from 'node:path';
import { DefaultRouteGenerator, validateSpecConfig } from '@tsoa/cli';
import type { Config, ExtendedRoutesConfig } from '@tsoa/cli';
// Not exported from the package root: generating in memory (for the drift check) needs them.
import { MetadataGenerator } from '@tsoa/cli/dist/metadataGeneration/metadataGenerator.js';
import { SpecGenerator3 } from '@tsoa/cli/dist/swagger/specGenerator3.js';
import type { Swagger, Tsoa } from '@tsoa/runtime';
import { securityRequirementOf } from '../../../contracts/api/index.js';
import type { ApiConfig, DomainApiConfig } from './apiConfig.js';

/** What tsoa makes of one domain's controllers. */
export interface DomainApi {
  name: string;
  routes: { path: string; text: string };
  /** This domain's operations and schemas, to be merged with the other domains'. */
  spec: Swagger.Spec3;
}

/** Runs tsoa over one domain: its routes from the shared template, its part of the document. */
export async function generateDomainApi(
  domain: DomainApiConfig,
  config: ApiConfig,
  template: string,
): Promise<DomainApi> {
  const metadata = new MetadataGenerator(
    domain.entryFile,
    {},
    undefined,
    domain.controllerPathGlobs,
    undefined,
    undefined,
    config.routes.esm,
  ).Generate();
  refuseUnsupportedFeatures(metadata);

  const routesConfig: ExtendedRoutesConfig = {
    ...config.routes,
    entryFile: domain.entryFile,
    controllerPathGlobs: domain.controllerPathGlobs,
    routesDir: domain.routesDir,
    iocModule: domain.iocModule,
    noImplicitAdditionalProperties: config.noImplicitAdditionalProperties,
  };
  const routes = new DefaultRouteGenerator(metadata, routesConfig).buildContent(template);

  const tsoaConfig: Config = {
    entryFile: domain.entryFile,
    controllerPathGlobs: domain.controllerPathGlobs,
    noImplicitAdditionalProperties: config.noImplicitAdditionalProperties,
    routes: routesConfig,
    spec: {
      ...config.spec,
      ...(domain.spec ? { spec: domain.spec, specMerging: 'recursive' as const } : {}),
    },
  };
  const specConfig = await validateSpecConfig(tsoaConfig);
  return {
    name: domain.name,
    routes: { path: join(domain.routesDir, config.routes.routesFileName), text: routes },
    spec: new SpecGenerator3(metadata, specConfig).GetSpec(),
  };
}

/**
 * Authentication is the gateway's; the template turns each action's one `@Security` into a
 * check (the domain's `authorize`). An action without one, or with several, or naming a
 * permission the matrix does not know, would be open, ambiguous or always closed: generation
 * fails instead. Nothing here takes files, so form data is refused too. A body (or
 * `@Queries()`) named like another parameter would make its fields' problems ambiguous
 * (`validationProblems` tells them apart by name).
 */
function refuseUnsupportedFeatures(metadata: Tsoa.Metadata): void {
  const parameters = metadata.controllers.flatMap((c) => c.methods.flatMap((m) => m.parameters));
  const isObject = (p: Tsoa.Parameter) => p.in === 'body' || p.in === 'queries';
  const objects = new Set(parameters.filter(isObject).map((p) => p.name));
  const clash = parameters.find((p) => !isObject(p) && objects.has(p.name));
  if (clash) {
    throw new Error(
      `'${clash.name}' names both a body (or @Queries()) and a ${clash.in} parameter`,
    );
  }
  for (const controller of metadata.controllers) {
    for (const method of controller.methods) {
      const where = `${controller.name}.${method.name}`;
      try {
        securityRequirementOf(method.security);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
      }
      if (method.parameters.some((p) => p.in === 'formData')) {
        throw new Error(`${where}: form data and file uploads are not supported by the template`);
      }
    }
  }
}
