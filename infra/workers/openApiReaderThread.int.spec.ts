import { afterEach, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { maxDocumentBytes, readConnectorDocument } from '../../domains/agent/index.js';
import { ordersApiYaml } from '../../domains/agent/connectors/connectorFixtures.spec.js';
import { petstoreSwagger } from '../../test/support/servers/petstoreSwagger.js';
import { OpenApiReaderThread } from './openApiReaderThread.js';

/** An API with `count` operations over one shared schema: slow enough to validate to notice. */
function largeApi(count: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/items${i}/{id}`] = {
      get: {
        operationId: `getItem${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'the item',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
          },
        },
      },
    };
  }
  const properties: Record<string, unknown> = {};
  for (let p = 0; p < 20; p++) properties[`field${p}`] = { type: 'string', maxLength: 64 };
  return {
    openapi: '3.0.3',
    info: { title: 'Large API', version: '1.0.0' },
    paths,
    components: { schemas: { Item: { type: 'object', properties } } },
  };
}

const threads: OpenApiReaderThread[] = [];
function readerThread(options?: ConstructorParameters<typeof OpenApiReaderThread>[0]) {
  const thread = new OpenApiReaderThread(options);
  threads.push(thread);
  return thread;
}
afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.close()));
});

async function failure(promise: Promise<unknown>): Promise<AwpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  return error as AwpError;
}

describe('OpenApiReaderThread', () => {
  it('reads a document on its worker to what readConnectorDocument gives in-process', async () => {
    const thread = readerThread();
    const inProcess = await readConnectorDocument(ordersApiYaml, maxDocumentBytes, null);
    expect(await thread.read(ordersApiYaml, maxDocumentBytes, null)).toEqual(inProcess);
  });

  it('refuses an invalid document with the same validation error, violations included', async () => {
    const thread = readerThread();
    const swagger = petstoreSwagger('petstore.example.test');
    const expected = await failure(readConnectorDocument(swagger, maxDocumentBytes, null));
    const error = await failure(thread.read(swagger, maxDocumentBytes, null));
    expect(error.code).toBe('validation');
    expect(error.message).toBe(expected.message);
    expect(error.details.field).toBe('document');
    expect(error.details.violations).toEqual(expected.details.violations);
    const oversized = await failure(thread.read(ordersApiYaml, 100, null));
    expect(oversized.details.violations?.[0]?.code).toBe('document-too-large');
  });

  it('keeps the event loop turning while a large document is validated', async () => {
    const thread = readerThread();
    const document = largeApi(1500);
    let turns = 0;
    let reading = true;
    const turn = () => {
      turns += 1;
      if (reading) setImmediate(turn);
    };
    setImmediate(turn);
    const read = await thread.read(document, maxDocumentBytes, null);
    reading = false;
    expect(read.operations).toHaveLength(1500);
    // The shared schema is resolved into each operation's response.
    expect(JSON.stringify(read.operations[0]?.responses)).toContain('field19');
    // In-process, swagger-parser holds the loop for the whole validation; here it keeps turning.
    expect(turns).toBeGreaterThan(50);
  });

  it('gives up on a read past its timeout, and reads again on a fresh worker', async () => {
    const hasty = readerThread({ timeoutMs: 1 });
    const error = await failure(hasty.read(largeApi(200), maxDocumentBytes, null));
    expect(error.code).toBe('validation');
    expect(error.message).toBe('the document took longer than 0.001 s to read and validate');
  });

  it('starts a new worker after the idle one stopped', async () => {
    const thread = readerThread({ idleMs: 10 });
    expect((await thread.read(ordersApiYaml, maxDocumentBytes, null)).title).toBe('Orders API');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await thread.read(ordersApiYaml, maxDocumentBytes, null)).title).toBe('Orders API');
  });

  it('fails pending and later reads once closed', async () => {
    const thread = readerThread();
    const pending = failure(thread.read(largeApi(500), maxDocumentBytes, null));
    await thread.close();
    expect((await pending).code).toBe('unavailable');
    expect((await failure(thread.read(ordersApiYaml, maxDocumentBytes, null))).code).toBe(
      'unavailable',
    );
  });
});
