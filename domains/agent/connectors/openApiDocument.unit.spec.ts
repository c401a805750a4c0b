import { describe, expect, it } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import { petstoreSwagger } from '../../../test/support/servers/petstoreSwagger.js';
import {
  inventoryApiDocument,
  ordersApiDocument,
  ordersApiYaml,
  referenceLadder,
} from './connectorFixtures.spec.js';
import { readOpenApiDocument } from './openApiDocument.js';

async function refusal(input: Parameters<typeof readOpenApiDocument>[0], maxBytes?: number) {
  const error = await readOpenApiDocument(input, maxBytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  expect((error as AwpError).code).toBe('validation');
  expect((error as AwpError).details.field).toBe('document');
  return error as AwpError;
}

describe('readOpenApiDocument', () => {
  it('reads YAML text, JSON text and a JSON value to the same document and digest', async () => {
    const fromYaml = await readOpenApiDocument(ordersApiYaml);
    const fromJson = await readOpenApiDocument(JSON.stringify(ordersApiDocument(), null, 2));
    const fromValue = await readOpenApiDocument(ordersApiDocument());
    expect(fromYaml.original).toEqual(ordersApiDocument());
    expect(fromJson.sha256).toBe(fromYaml.sha256);
    expect(fromValue.sha256).toBe(fromYaml.sha256);
    expect(fromYaml).toMatchObject({
      openapiVersion: '3.0.3',
      title: 'Orders API',
      apiVersion: '2.1.0',
    });
    expect((await readOpenApiDocument(inventoryApiDocument())).openapiVersion).toBe('3.1.0');
  });

  it('refuses text that does not parse, with the line and column', async () => {
    const error = await refusal(
      'openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n',
    );
    expect(error.message).toMatch(/^the document is neither valid JSON nor YAML: \d+:\d+ /);
    expect(error.details.violations?.[0]).toMatchObject({
      line: expect.any(Number),
      column: expect.any(Number),
    });
    const json = await refusal('{\n  "openapi": "3.0.3",\n  "info": {,\n}');
    expect(json.details.violations?.[0]).toMatchObject({ line: 3 });
  });

  it('refuses a Swagger 2.0 document, saying to convert it', async () => {
    const error = await refusal(petstoreSwagger('petstore.example.test'));
    expect(error.message).toBe(
      'this is a Swagger 2.0 document; connectors take OpenAPI 3.0 or 3.1 only: convert it ' +
        'first (for example with swagger2openapi)',
    );
  });

  it('refuses documents of other versions or none', async () => {
    expect((await refusal({ openapi: '4.0.0', info: {}, paths: {} })).message).toBe(
      'the document says openapi "4.0.0"; connectors take OpenAPI 3.0.x or 3.1.x documents',
    );
    expect((await refusal({ info: {}, paths: {} })).message).toMatch(/has no `openapi` field/);
    expect((await refusal('- just\n- a list\n')).message).toMatch(/must be an OpenAPI object/);
  });

  it('refuses an oversized document before parsing it', async () => {
    const padded = `${ordersApiYaml}\n# ${'x'.repeat(4_096)}\n`;
    const error = await refusal(padded, 4_096);
    expect(error.message).toMatch(
      /^the document is 0\.0 MiB; a connector's OpenAPI document is at most 0\.0 MiB$/,
    );
    const big = await refusal({ ...ordersApiDocument(), 'x-pad': 'x'.repeat(3 * 1024 * 1024) });
    expect(big.message).toBe(
      "the document is 3.0 MiB; a connector's OpenAPI document is at most 2.0 MiB",
    );
  });

  it('reports what swagger-parser finds invalid at its pointer, line and column', async () => {
    const broken = ordersApiYaml.replace(
      "        '204': { description: cancelled }",
      "        '204': { descriptio: cancelled }",
    );
    const error = await refusal(broken);
    const violation = error.details.violations?.[0];
    expect(violation).toMatchObject({
      field: '/paths/~1orders~1{orderId}/delete/responses/204',
      line: 78,
      column: 16,
      code: 'openapi-invalid',
    });
    expect(error.message).toMatch(
      /^the OpenAPI document is invalid: 78:16 \/paths\/~1orders~1\{orderId\}\/delete\/responses\/204 /,
    );
  });

  it('reports a reference to nothing where it is made', async () => {
    const broken = ordersApiYaml.replace(
      "'#/components/schemas/NewOrder'",
      "'#/components/schemas/Nope'",
    );
    const error = await refusal(broken);
    expect(error.message).toMatch(/Missing \$ref pointer "#\/components\/schemas\/Nope"/);
    expect(error.details.violations?.[0]).toMatchObject({
      field: '/paths/~1orders/post/requestBody/content/application~1json/schema',
      line: 39,
    });
  });

  it('refuses an operationId used twice, naming both places', async () => {
    const broken = ordersApiYaml.replace('operationId: getCategory', 'operationId: getOrder');
    const error = await refusal(broken);
    expect(error.message).toMatch(
      /^the OpenAPI document is invalid: \d+:\d+ \/paths\/~1categories~1\{categoryId\}\/get\/operationId operationId 'getOrder' is already used at \/paths\/~1orders~1\{orderId\}\/get\/operationId$/,
    );
  });

  it('never resolves external references: files and URLs stay as written', async () => {
    const document = ordersApiDocument();
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    schemas.Problem = { $ref: '/etc/passwd' };
    schemas.Order = { $ref: 'http://169.254.169.254/latest/meta-data/' };
    const read = await readOpenApiDocument(document);
    const components = read.dereferenced.components as { schemas: Record<string, unknown> };
    expect(components.schemas.Problem).toEqual({ $ref: '/etc/passwd' });
    expect(components.schemas.Order).toEqual({ $ref: 'http://169.254.169.254/latest/meta-data/' });
  });

  it('refuses a reference bomb at once, before the parser expands it', async () => {
    const started = Date.now();
    const error = await refusal(referenceLadder(40));
    expect(error.message).toBe(
      "the document's `$ref`s expand to more than 1000000 values (a reference bomb?)",
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses references nested more than 100 deep', async () => {
    const schemas: Record<string, unknown> = { S0: { type: 'string' } };
    for (let i = 1; i <= 150; i++) schemas[`S${i}`] = { $ref: `#/components/schemas/S${i - 1}` };
    const document: Record<string, unknown> = { ...referenceLadder(1), components: { schemas } };
    const deepest = { $ref: '#/components/schemas/S150' };
    document.paths = {
      '/deep': {
        get: {
          operationId: 'dig',
          responses: {
            '200': { description: 'deep', content: { 'application/json': { schema: deepest } } },
          },
        },
      },
    };
    expect((await refusal(document)).message).toBe('the document nests `$ref`s more than 100 deep');
  });
});
