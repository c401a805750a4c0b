import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import swaggerUiDirectory from 'swagger-ui-dist/absolute-path.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { createGateway } from '../app.js';
import type { Authenticator } from '../app.js';
import { createApiDocsRouter } from './apiDocsRoutes.js';
import openapiDocument from './generated/openapi.json' with { type: 'json' };

/** Refuses every credential, as the gateway does a stale or forged one. */
const refusingAuthenticator: Authenticator = {
  async authenticate() {
    throw new AwpError('unauthorized', 'the token has expired');
  },
};

function gatewayWith(authenticator?: Authenticator) {
  return createGateway({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    readiness: [],
    routers: [],
    publicRouters: [createApiDocsRouter()],
    ...(authenticator ? { authenticator } : {}),
    bodyLimitBytes: 1024,
  }).callback();
}

const app = gatewayWith();
const problemType = /application\/problem\+json/;

describe('the API description', () => {
  it('serves the merged OpenAPI document at /openapi.json', async () => {
    const response = await request(app).get('/openapi.json').expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual(openapiDocument);
    expect(response.body).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'AWP API' },
      components: { securitySchemes: { bearer: { scheme: 'bearer' }, operator: {} } },
    });
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/v1/tenants', '/v1/secrets/{name}', '/v1/workflows']),
    );
  });

  it('serves Swagger UI at /docs, pointed at /openapi.json, with nothing from elsewhere', async () => {
    for (const path of ['/docs', '/docs/']) {
      const response = await request(app).get(path).expect(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toContain("url: '/openapi.json'");
      expect(response.text).toContain('<script src="/docs/swagger-ui-bundle.js">');
      expect(response.text).not.toMatch(/https?:\/\//);
    }
  });

  it('answers without credentials, and despite stale ones', async () => {
    const refusing = gatewayWith(refusingAuthenticator);
    for (const path of ['/openapi.json', '/docs', '/docs/swagger-ui.css']) {
      await request(refusing).get(path).set('authorization', 'Bearer stale').expect(200);
    }
    const api = await request(refusing).get('/v1/workflows').set('authorization', 'Bearer stale');
    expect(api.status).toBe(401);
  });

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['favicon-32x32.png', 'image/png'],
    ['favicon-16x16.png', 'image/png'],
  ])('serves /docs/%s from swagger-ui-dist as %s', async (name, type) => {
    const response = await request(app)
      .get(`/docs/${name}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    const file = await readFile(join(swaggerUiDirectory(), name));
    // Buffer#equals: a deep equality over 1.7 MB would take seconds.
    expect((response.body as Buffer).equals(file)).toBe(true);
  });

  it('answers 404 problem for a file it does not serve', async () => {
    for (const name of ['swagger-initializer.js', 'index.html', 'swagger-ui-bundle.js.map']) {
      const response = await request(app).get(`/docs/${name}`).expect(404);
      expect(response.headers['content-type']).toMatch(problemType);
      expect(response.body).toMatchObject({
        status: 404,
        detail: `the API docs have no file '${name}'`,
      });
    }
  });

  describe('paths that try to leave swagger-ui-dist', () => {
    // Sent as they are: an HTTP client library would resolve the dot segments first.
    let baseUrl: { host: string; port: number };
    const server = createServer(app);
    beforeAll(async () => {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      baseUrl = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    function rawGet(path: string): Promise<{ status: number; type: string; text: string }> {
      return new Promise((resolve, reject) => {
        const sent = httpRequest({ ...baseUrl, path, method: 'GET' }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              type: response.headers['content-type'] ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        });
        sent.on('error', reject);
        sent.end();
      });
    }

    it.each([
      '/docs/../package.json',
      '/docs/../../../../etc/passwd',
      '/docs/..%2Fpackage.json',
      '/docs/%2e%2e%2fpackage.json',
      '/docs/..%2F..%2F..%2Fpackage.json',
      '/docs/%2E%2E/%2E%2E/package.json',
      '/docs/..\\package.json',
      '/docs/swagger-ui.css%00.png',
      '/docs/%2Fetc%2Fpasswd',
    ])('answers %s with a 404 problem', async (path) => {
      const response = await rawGet(path);
      expect(response.status).toBe(404);
      expect(response.type).toMatch(problemType);
      expect(response.text).not.toContain('"dependencies"');
      expect(response.text).not.toContain('root:');
    });
  });
});
