import { describe, expect, it } from 'vitest';
import { sendJson, startHttpServer } from './httpServer.js';

describe('startHttpServer', () => {
  it('listens on 127.0.0.1 at a random port', async () => {
    const server = await startHttpServer((_request, response) =>
      sendJson(response, 204, undefined),
    );
    try {
      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.port).toBeGreaterThan(0);
      expect((await fetch(server.baseUrl)).status).toBe(204);
    } finally {
      await server.close();
    }
  });

  it('records JSON bodies parsed, other bodies as text, and repeated query names as lists', async () => {
    const server = await startHttpServer((_request, response) => sendJson(response, 200, {}));
    try {
      const post = (body: string, type: string) =>
        fetch(`${server.baseUrl}/in?tag=a&tag=b&one=1`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
      await post('{"a":1}', 'application/json');
      await post('{broken', 'application/json');
      await post('plain', 'text/plain');
      expect(server.requests.map((r) => r.body)).toEqual([{ a: 1 }, '{broken', 'plain']);
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: '/in',
        query: { tag: ['a', 'b'], one: '1' },
        rawBody: '{"a":1}',
      });
    } finally {
      await server.close();
    }
  });

  it('answers 500 when the handler throws', async () => {
    const server = await startHttpServer(() => {
      throw new Error('boom');
    });
    try {
      expect((await fetch(server.baseUrl)).status).toBe(500);
    } finally {
      await server.close();
    }
  });

  it('closes with a kept-alive connection and an unanswered request open', async () => {
    const server = await startHttpServer((request, response) => {
      if (request.path === '/answer') sendJson(response, 200, { ok: true });
    });
    await fetch(`${server.baseUrl}/answer`).then((r) => r.json());
    const unanswered = fetch(`${server.baseUrl}/never`).catch((error: unknown) => error);
    await expect.poll(() => server.requests.length).toBe(2);
    await server.close();
    expect(await unanswered).toBeInstanceOf(Error);
  });
});
