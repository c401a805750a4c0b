import { problem } from './jsonRoutes.js';
import type { JsonReply, RouteHandler } from './jsonRoutes.js';

interface StoredReply {
  /** The raw body of the first request; a different body under the same key is a client bug. */
  fingerprint: string;
  reply: Promise<JsonReply>;
}

/** Replies already given, by method, path and `Idempotency-Key`; one store per API. */
export type IdempotencyStore = Map<string, StoredReply>;

export function createIdempotencyStore(): IdempotencyStore {
  return new Map();
}

/**
 * Honours `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): the first request with a
 * key runs `handle`; later ones with the same key and body get the same reply, marked with
 * `Idempotent-Replayed: true`, without running `handle` again — so a handler that records its side
 * effect records it once. The same key with another body answers 422, as the draft says.
 * A concurrent duplicate waits for the first reply rather than getting 409: the engine's retry
 * after a client timeout is exactly the case the tests want to see deduplicated.
 * A 5xx reply is not kept, so the client may retry it.
 */
export function idempotent(store: IdempotencyStore, handle: RouteHandler): RouteHandler {
  return async function replayByIdempotencyKey(request) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return handle(request);
    const scope = `${request.method} ${request.path} ${key}`;
    const stored = store.get(scope);
    if (stored !== undefined) {
      if (stored.fingerprint !== request.rawBody) {
        return problem(
          422,
          'Idempotency-Key reused',
          `key '${key}' was first used with a different request body`,
        );
      }
      const reply = await stored.reply;
      return { ...reply, headers: { ...reply.headers, 'idempotent-replayed': 'true' } };
    }
    const reply = Promise.resolve(handle(request));
    store.set(scope, { fingerprint: request.rawBody, reply });
    try {
      const settled = await reply;
      if (settled.status >= 500) store.delete(scope);
      return settled;
    } catch (error) {
      store.delete(scope);
      throw error;
    }
  };
}
