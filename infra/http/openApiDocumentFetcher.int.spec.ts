import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { startHttpServer } from '../../test/support/servers/index.js';
import type { StartedHttpServer } from '../../test/support/servers/index.js';
import { createOpenApiDocumentFetcher } from './openApiDocumentFetcher.js';
import type { OpenApiDocumentFetcherOptions } from './openApiDocumentFetcher.js';

const document = 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n';

/** A real HTTP server on 127.0.0.1: what the guard refuses unless an allow-list names it. */
describe('createOpenApiDocumentFetcher', () => {
  let server: StartedHttpServer;
  const fetchers: Array<{ close(): Promise<void> }> = [];
  const signal = () => new AbortController().signal;

  function fetcher(options: OpenApiDocumentFetcherOptions = {}) {
    const created = createOpenApiDocumentFetcher(options);
    fetchers.push(created);
    return created;
  }
  const allowed = (options: OpenApiDocumentFetcherOptions = {}) =>
    fetcher({ allowHosts: [`127.0.0.1:${server.port}`], ...options });

  async function failure(call: Promise<unknown>): Promise<AwpError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AwpError);
    return error as AwpError;
  }

  beforeAll(async () => {
    server = await startHttpServer(async (request, response, aborted) => {
      if (request.path === '/openapi.yaml') {
        response.setHeader('content-type', 'application/yaml');
        response.end(document);
      } else if (request.path === '/big') {
        response.setHeader('content-type', 'application/json');
        response.write(`{"x":"${'a'.repeat(4_000)}`);
        response.end('"}');
      } else if (request.path === '/slow') {
        await new Promise((resolve) => aborted.addEventListener('abort', resolve));
      } else if (request.path === '/moved') {
        response.writeHead(302, { location: `http://127.0.0.1:1/elsewhere` }).end();
      } else if (request.path === '/broken') {
        response.writeHead(503).end('down');
      } else if (request.path === '/latin1') {
        response.end(Buffer.from([0x6f, 0x70, 0xe9, 0xff]));
      } else {
        response.writeHead(404).end('no');
      }
    });
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('fetches a document from a host the allow-list names, with its content type', async () => {
    const fetched = await allowed().fetch(`${server.baseUrl}/openapi.yaml`, signal());
    expect(fetched).toEqual({ body: document, contentType: 'application/yaml' });
    expect(server.requests.at(-1)?.headers.accept).toMatch(/^application\/json/);
  });

  it('refuses loopback by default, before connecting, naming only the origin', async () => {
    const before = server.requests.length;
    const error = await failure(
      fetcher().fetch(`${server.baseUrl}/openapi.yaml?token=t0p`, signal()),
    );
    expect(error.code).toBe('validation');
    expect(error.details.field).toBe('url');
    expect(error.message).toBe(
      `the document URL was refused: outbound call to ${server.baseUrl} refused: 127.0.0.1 is ` +
        'a loopback address; a tenant admin can allow it in the outbound allow-list',
    );
    expect(server.requests.length).toBe(before);
  });

  it('asks the tenant’s allow-list when the caller names the account', async () => {
    const perTenant = fetcher({
      policyFor: (accountId) => ({
        allowHosts: accountId === 'acme' ? [`127.0.0.1:${server.port}`] : [],
      }),
    });
    const url = `${server.baseUrl}/openapi.yaml`;
    expect((await perTenant.fetch(url, signal(), 'acme')).body).toBe(document);
    expect((await failure(perTenant.fetch(url, signal(), 'globex'))).code).toBe('validation');
  });

  it('refuses a redirect to a destination the guard refuses', async () => {
    const error = await failure(allowed().fetch(`${server.baseUrl}/moved`, signal()));
    expect(error.message).toMatch(
      /^the document URL was refused: outbound call to http:\/\/127\.0\.0\.1:1 refused/,
    );
  });

  it('refuses schemes other than http and https', async () => {
    const error = await failure(allowed().fetch('file:///etc/passwd', signal()));
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/only http and https are allowed/);
  });

  it('says what the server answered: a 4xx is the caller’s to fix, a 5xx may pass', async () => {
    const missing = await failure(allowed().fetch(`${server.baseUrl}/nope`, signal()));
    expect(missing).toMatchObject({ code: 'validation' });
    expect(missing.message).toBe(`fetching the document from ${server.baseUrl} answered HTTP 404`);
    const down = await failure(allowed().fetch(`${server.baseUrl}/broken`, signal()));
    expect(down.code).toBe('unavailable');
  });

  it('stops reading past the size limit', async () => {
    const error = await failure(
      allowed({ maxBytes: 1_024 }).fetch(`${server.baseUrl}/big`, signal()),
    );
    expect(error.code).toBe('validation');
    expect(error.message).toBe(`the document at ${server.baseUrl} is larger than 1024 bytes`);
  });

  it('gives up on a server that does not answer in time', async () => {
    const error = await failure(
      allowed({ timeoutMs: 200 }).fetch(`${server.baseUrl}/slow`, signal()),
    );
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(`${server.baseUrl} sent no document within 200 ms`);
  });

  it('refuses a body that is not UTF-8', async () => {
    const error = await failure(allowed().fetch(`${server.baseUrl}/latin1`, signal()));
    expect(error.message).toBe(`the document at ${server.baseUrl} is not UTF-8 text`);
  });
});
