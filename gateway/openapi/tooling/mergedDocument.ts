import { isDeepStrictEqual } from 'node:util';
import type { Swagger } from '@tsoa/runtime';
import type { DomainApi } from './domainApi.js';

/**
 * The one OpenAPI document of the whole API, from each domain's part: `info`, servers and
 * security schemes are the shared configuration's (the same in every part); operations and
 * schemas are the union. Two domains may share a schema (`Problem`, from contracts) only when
 * it is the same; the same operation, or the same operationId, twice is an error.
 */
export function mergedDocument(domains: readonly DomainApi[]): Swagger.Spec3 {
  const [first] = domains;
  if (!first) throw new Error('tsoa.json lists no domains');
  const paths: Swagger.Spec3['paths'] = {};
  const schemas: Record<string, Swagger.Schema3> = {};
  const owners = new Map<string, string>();
  for (const { name, spec } of domains) {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item) as [string, Swagger.Operation3][]) {
        claim(owners, `${method.toUpperCase()} ${path}`, name);
        if (operation.operationId) claim(owners, `operationId ${operation.operationId}`, name);
        paths[path] = { ...paths[path], [method]: operation };
      }
    }
    for (const [schemaName, schema] of Object.entries(spec.components.schemas ?? {})) {
      const known = schemas[schemaName];
      if (known && !isDeepStrictEqual(known, schema)) {
        throw new Error(`schema '${schemaName}' differs between domains: rename one`);
      }
      schemas[schemaName] = schema;
    }
  }
  return withProblemMediaType({
    ...first.spec,
    paths,
    components: { ...first.spec.components, schemas: sortedByKey(schemas) },
  });
}

function claim(owners: Map<string, string>, what: string, domain: string): void {
  const owner = owners.get(what);
  if (owner) throw new Error(`${what} is declared by both ${owner} and ${domain}`);
  owners.set(what, domain);
}

/** Schemas in name order, so the document does not change with the order tsoa met them in. */
function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Errors leave through the gateway as `application/problem+json`. tsoa writes `application/json`
 * for every `@Response`, and has no way to say otherwise on a controller-wide one, so every
 * response whose schema is `Problem` gets the right media type here.
 */
function withProblemMediaType(spec: Swagger.Spec3): Swagger.Spec3 {
  for (const operations of Object.values(spec.paths)) {
    for (const operation of Object.values(operations) as Swagger.Operation3[]) {
      for (const response of Object.values(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (json?.schema?.$ref !== '#/components/schemas/Problem') continue;
        response.content = { 'application/problem+json': json };
      }
    }
  }
  return spec;
}
