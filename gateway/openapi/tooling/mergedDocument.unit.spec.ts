import type { Swagger } from '@tsoa/runtime';
import { describe, expect, it } from 'vitest';
import type { DomainApi } from './domainApi.js';
import { mergedDocument } from './mergedDocument.js';

const problem = { $ref: '#/components/schemas/Problem' };

function part(
  name: string,
  paths: Swagger.Spec3['paths'],
  schemas: Record<string, Swagger.Schema3>,
): DomainApi {
  return {
    name,
    routes: { path: `${name}/routes.ts`, text: '' },
    spec: {
      openapi: '3.0.0',
      info: { title: 'AWP API', version: '1.0.0' },
      servers: [{ url: '/' }],
      paths,
      components: {
        schemas,
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    } as Swagger.Spec3,
  };
}

const operation = (operationId: string): Swagger.Operation3 => ({
  operationId,
  responses: {
    '200': { description: 'OK' },
    '404': { description: 'Not found', content: { 'application/json': { schema: problem } } },
  },
});

const problemSchema: Swagger.Schema3 = {
  type: 'object',
  properties: { status: { type: 'number' } },
};

describe('mergedDocument', () => {
  it('unites the domains’ operations and schemas under the shared info and security', () => {
    const merged = mergedDocument([
      part('platform', { '/v1/a': { get: operation('GetA') } }, { Problem: problemSchema, A: {} }),
      part(
        'workflow',
        { '/v1/a': { post: operation('PostA') }, '/v1/b': { get: operation('GetB') } },
        { Problem: problemSchema, B: {} },
      ),
    ]);
    expect(merged.info.title).toBe('AWP API');
    expect(Object.keys(merged.components.securitySchemes ?? {})).toEqual(['bearer']);
    expect(Object.keys(merged.paths)).toEqual(['/v1/a', '/v1/b']);
    expect(Object.keys(merged.paths['/v1/a'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(merged.components.schemas ?? {})).toEqual(['A', 'B', 'Problem']);
  });

  it('answers problems as application/problem+json', () => {
    const merged = mergedDocument([part('platform', { '/v1/a': { get: operation('GetA') } }, {})]);
    const responses = (merged.paths['/v1/a']?.get as Swagger.Operation3).responses;
    expect(responses['404']?.content).toEqual({ 'application/problem+json': { schema: problem } });
  });

  it('refuses an operation two domains declare', () => {
    expect(() =>
      mergedDocument([
        part('platform', { '/v1/a': { get: operation('GetA') } }, {}),
        part('workflow', { '/v1/a': { get: operation('ReadA') } }, {}),
      ]),
    ).toThrow('GET /v1/a is declared by both platform and workflow');
  });

  it('refuses an operationId two domains use', () => {
    expect(() =>
      mergedDocument([
        part('platform', { '/v1/a': { get: operation('Get') } }, {}),
        part('workflow', { '/v1/b': { get: operation('Get') } }, {}),
      ]),
    ).toThrow('operationId Get is declared by both platform and workflow');
  });

  it('refuses a schema name two domains define differently', () => {
    expect(() =>
      mergedDocument([
        part('platform', {}, { Problem: problemSchema }),
        part('workflow', {}, { Problem: { type: 'string' } }),
      ]),
    ).toThrow("schema 'Problem' differs between domains: rename one");
  });
});
