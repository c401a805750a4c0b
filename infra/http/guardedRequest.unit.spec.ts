import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { guardedRequest } from './guardedRequest.js';

// A MockAgent stands in for the guarded dispatcher: these are the redirect rules of
// guardedRequest itself; the connect-time guard is shown in guardedRequest.int.spec.ts.
const policy = { allowHosts: [] };
let agent: MockAgent;

function mockAgent(): MockAgent {
  agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

afterEach(async () => {
  await agent.close();
});

async function failure(call: Promise<unknown>): Promise<AwpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwpError);
  return error as AwpError;
}

describe('guardedRequest redirect rules', () => {
  it('refuses a redirect that downgrades https to http', async () => {
    const dispatcher = mockAgent();
    dispatcher
      .get('https://api.customer.test')
      .intercept({ path: '/start' })
      .reply(302, '', { headers: { location: 'http://api.customer.test/next' } });
    const error = await failure(
      guardedRequest('https://api.customer.test/start', {}, { dispatcher, policy }),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      'outbound call to http://api.customer.test refused: a redirect from https://api.customer.test may not downgrade to plain http',
    );
  });

  it('resolves a relative Location against the URL that sent it', async () => {
    const dispatcher = mockAgent();
    const origin = dispatcher.get('https://api.customer.test');
    origin
      .intercept({ path: '/v1/orders/7' })
      .reply(301, '', { headers: { location: '../accounts/7' } });
    origin.intercept({ path: '/v1/accounts/7' }).reply(200, 'account 7');
    const response = await guardedRequest(
      'https://api.customer.test/v1/orders/7',
      {},
      { dispatcher, policy },
    );
    expect(await response.body.text()).toBe('account 7');
    expect(response.url.href).toBe('https://api.customer.test/v1/accounts/7');
  });

  it('reports a Location that is not a URL, without retrying', async () => {
    const dispatcher = mockAgent();
    dispatcher
      .get('https://api.customer.test')
      .intercept({ path: '/start' })
      .reply(302, '', { headers: { location: 'http://[broken' } });
    const error = await failure(
      guardedRequest('https://api.customer.test/start', {}, { dispatcher, policy }),
    );
    expect(error.code).toBe('unavailable');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'outbound call to https://api.customer.test answered 302 with an invalid Location',
    );
  });

  it('drops a caller-set Host header and credentials when the origin changes', async () => {
    const dispatcher = mockAgent();
    dispatcher
      .get('https://api.customer.test')
      .intercept({ path: '/start', method: 'PUT' })
      .reply(307, '', { headers: { location: 'https://cdn.customer.test/blob' } });
    let seen: Record<string, string> = {};
    dispatcher
      .get('https://cdn.customer.test')
      .intercept({ path: '/blob', method: 'PUT' })
      .reply(200, (options) => {
        seen = options.headers as Record<string, string>;
        return 'stored';
      });
    const response = await guardedRequest(
      'https://api.customer.test/start',
      {
        method: 'PUT',
        body: 'payload',
        headers: { Host: 'api.customer.test', Authorization: 'Bearer t', 'X-Trace': '1' },
      },
      { dispatcher, policy },
    );
    expect(await response.body.text()).toBe('stored');
    expect(Object.keys(seen).map((name) => name.toLowerCase())).toEqual(['x-trace']);
  });

  it('pre-checks the first URL too', async () => {
    const error = await failure(
      guardedRequest('http://127.0.0.1/', {}, { dispatcher: mockAgent(), policy }),
    );
    expect(error.message).toContain('127.0.0.1 is a loopback address');
  });
});
