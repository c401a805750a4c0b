import { z } from 'zod';
import { AwpError, parseInput } from '../../../contracts/index.js';
import type { ConversationCaller } from '../conversations.js';
import type { ReplyEvent } from '../replies/replyEvents.js';
import type { ConversationApiDeps } from './requestScope.js';

/** Where the WebSocket is offered; the capture is the conversation's id. */
export const conversationSocketPath = /^\/v1\/conversations\/([^/]+)\/ws$/;

export interface ConversationSocketRequest {
  caller: ConversationCaller;
  conversationId: string;
  /** Sends one event to the client, as a frame mirroring the SSE event. */
  send(event: ReplyEvent): void;
}

/** One client's WebSocket session: frames in, events out through `send`. */
export interface ConversationSocket {
  receive(frame: unknown): Promise<void>;
  close(): void;
}

const clientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('message'), content: z.string() }),
  z.strictObject({
    type: z.literal('resume'),
    lastEventId: z.union([
      z.string().regex(/^[0-9]{1,15}$/, 'must be the id of an event of this stream'),
      z.number().int().nonnegative(),
    ]),
  }),
]);

/**
 * The WebSocket exchange, transport aside (the gateway upgrades, authenticates and frames):
 * `{type: 'message', content}` posts a message and follows its reply, `{type: 'resume',
 * lastEventId}` replays what a client missed and follows on. Events mirror the SSE ones. A new
 * frame stops following the previous reply; closing stops following, never the reply.
 *
 * Opening checks the conversation is the caller's, so another account's is refused (404)
 * before the connection is upgraded.
 */
export async function openConversationSocket(
  deps: ConversationApiDeps,
  request: ConversationSocketRequest,
): Promise<ConversationSocket> {
  const { caller, conversationId, send } = request;
  await deps.conversations.require(caller.accountId, conversationId);
  let following = new AbortController();

  async function follow(after: number, signal: AbortSignal): Promise<void> {
    for await (const event of deps.hub.subscribe(conversationId, after, signal)) send(event);
  }

  return {
    async receive(frame) {
      following.abort();
      following = new AbortController();
      const { signal } = following;
      try {
        const parsed = parseInput(clientFrame, frame, 'frame');
        if (parsed.type === 'message') {
          const started = await deps.replies.post(caller, conversationId, parsed.content);
          await follow(started.firstEventId - 1, signal);
        } else {
          await follow(Number(parsed.lastEventId), signal);
        }
      } catch (error) {
        // Not a reply's failure (those arrive as numbered events): this frame was refused.
        send({ event: 'error', data: asAwpError(error) });
      }
    },
    close() {
      following.abort();
    },
  };
}

function asAwpError(error: unknown): AwpError {
  return error instanceof AwpError
    ? error
    : new AwpError('internal', 'the frame could not be handled', { cause: error });
}
