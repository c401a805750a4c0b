import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startHttpServer } from '../support/servers/index.js';
import type { StartedHttpServer } from '../support/servers/index.js';
import { startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';

/**
 * Authentication policies against a real local server that is both an OAuth2 authorization
 * server (client credentials) and the resource it protects.
 */
describe('authentication policies', () => {
  let engine: EngineUnderTest;
  let server: StartedHttpServer;
  let issued = 0;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      if (request.path === '/oauth2/token' && request.method === 'POST') {
        const form = new URLSearchParams(request.rawBody);
        const basic = request.headers.authorization?.toString().replace(/^Basic /, '') ?? '';
        const [basicId, basicSecret] = Buffer.from(basic, 'base64').toString().split(':');
        const id = form.get('client_id') ?? basicId;
        const secret = form.get('client_secret') ?? basicSecret;
        if (
          form.get('grant_type') !== 'client_credentials' ||
          id !== 'awp-client' ||
          secret !== 's3cret-client'
        ) {
          return sendJson(response, 401, { error: 'invalid_client' });
        }
        issued += 1;
        return sendJson(response, 200, {
          access_token: `token-${issued}-${form.get('scope') ?? ''}`,
          token_type: 'Bearer',
          expires_in: 3600,
        });
      }
      if (request.path === '/orders') {
        const auth = request.headers.authorization?.toString() ?? '';
        if (auth === 'Basic ' + Buffer.from('clerk:pa55word').toString('base64'))
          return sendJson(response, 200, { via: 'basic' });
        if (/^Bearer token-\d+-orders:read$/.test(auth))
          return sendJson(response, 200, { via: auth });
        return sendJson(response, 401, { error: 'unauthorized' });
      }
      sendJson(response, 404, {});
    });
    engine = await startEngineUnderTest({
      allowHosts: [new URL(server.baseUrl).host],
      secrets: {
        clerk: { username: 'clerk', password: 'pa55word' },
        client: { id: 'awp-client', secret: 's3cret-client' },
      },
    });
  });
  afterAll(async () => {
    await engine?.stop();
    await server?.close();
  });

  const oauthWorkflow = (name: string, clientAuthentication: string) => `
document: { dsl: '1.0.3', namespace: auth, name: ${name}, version: '1.0.0' }
use:
  secrets: [client]
  authentications:
    orders:
      oauth2:
        authority: ${server.baseUrl}
        grant: client_credentials
        client:
          id: '\${ $secrets.client.id }'
          secret: '\${ $secrets.client.secret }'
          authentication: ${clientAuthentication}
        scopes: [ 'orders:read' ]
do:
  - first:
      call: http
      with: { method: get, endpoint: { uri: ${server.baseUrl}/orders, authentication: { use: orders } } }
  - second:
      call: http
      with: { method: get, endpoint: { uri: ${server.baseUrl}/orders, authentication: { use: orders } } }
      output:
        as: '{ first: $input.via, second: .via, scheme: $authorization.scheme }'
`;

  it('gets an OAuth2 client-credentials token once and uses it for every call of the execution', async () => {
    const before = issued;
    const result = await engine.run(oauthWorkflow('oauth-post', 'client_secret_post'), {});
    expect(result.status, JSON.stringify(result.error)).toBe('completed');
    expect(result.output).toEqual({
      first: `Bearer token-${before + 1}-orders:read`,
      second: `Bearer token-${before + 1}-orders:read`,
      scheme: 'Bearer',
    });
    expect(issued - before).toBe(1);
  });

  it('authenticates the client with HTTP Basic when asked to', async () => {
    const result = await engine.run(oauthWorkflow('oauth-basic', 'client_secret_basic'), {});
    expect(result.status, JSON.stringify(result.error)).toBe('completed');
  });

  it('faults with an authentication error when the token endpoint refuses the client', async () => {
    const text = oauthWorkflow('oauth-refused', 'client_secret_post').replace(
      "secret: '${ $secrets.client.secret }'",
      'secret: wrong',
    );
    const result = await engine.run(text, {});
    expect(result).toMatchObject({
      status: 'faulted',
      error: {
        type: 'https://serverlessworkflow.io/spec/1.0.0/errors/authentication',
        status: 401,
      },
    });
  });

  it('sends basic credentials from a secret and keeps them out of the log', async () => {
    const text = `
document: { dsl: '1.0.3', namespace: auth, name: basic-secret, version: '1.0.0' }
use:
  secrets: [clerk]
do:
  - read:
      call: http
      with:
        method: get
        endpoint: { uri: ${server.baseUrl}/orders, authentication: { basic: { use: clerk } } }
        output: response
`;
    const result = await engine.run(text, {});
    expect(result.status, JSON.stringify(result.error)).toBe('completed');
    expect(result.output).toMatchObject({
      content: { via: 'basic' },
      request: { headers: { authorization: '***' } },
    });
    const log = JSON.stringify(await engine.events(result.executionId));
    expect(log).not.toContain('pa55word');
    expect(log).not.toContain(Buffer.from('clerk:pa55word').toString('base64'));
  });
});
