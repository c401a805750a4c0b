import { EventSourceParserStream } from 'eventsource-parser/stream';
import { AwpError } from '../../contracts/index.js';
import type {
  AssistantReplies,
  AssistantReplyRequest,
  ReplyChunk,
  ReplyHistoryEntry,
} from '../../domains/conversation/index.js';
import { errorFromProblem } from '../../gateway/index.js';
import { forwardedCallError, forwardedHeaders } from './forwardedHeaders.js';

export interface HttpAssistantRepliesOptions {
  /** The agent service's base URL (`AWP_AGENT_URL`), without a trailing slash. */
  baseUrl: string;
  /**
   * The largest request body the agent service accepts: its `AWP_BODY_LIMIT`, which the
   * services of one deployment share. A history that would not fit is sent without its
   * oldest messages.
   */
  maxBodyBytes: number;
}

/**
 * The conversation domain's `AssistantReplies` over the agent service's
 * `POST /v1/agent-replies`, for a process that hosts conversations but not the agent. The turn
 * goes with the poster's own credential, so the agent authorizes and meters it as in one
 * process; its Server-Sent Events come back as the reply's chunks. Aborting the request's
 * signal closes the stream, which stops the reply over there.
 */
export function createHttpAssistantReplies(options: HttpAssistantRepliesOptions): AssistantReplies {
  const url = `${options.baseUrl}/v1/agent-replies`;
  return {
    async *reply(request) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            ...forwardedHeaders(request.credentials, request.correlationId),
            accept: 'text/event-stream',
          },
          body: requestBody(request, options.maxBodyBytes),
          signal: request.signal,
        });
      } catch (error) {
        request.signal.throwIfAborted();
        throw unreachable(options.baseUrl, error);
      }
      if (response.status !== 200 || !response.body) {
        const problem = (await response.json().catch(() => ({}))) as unknown;
        throw forwardedCallError('the agent service refused the reply', response.status, problem);
      }
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream({ onError: 'terminate', maxBufferSize: 1 << 20 }));
      try {
        for await (const message of events) {
          const data = parsed(message.data);
          if (message.event === 'token') {
            yield { type: 'token', text: String((data as { text?: unknown }).text ?? '') };
          } else if (message.event === 'final') {
            yield {
              ...(data as Omit<Extract<ReplyChunk, { type: 'final' }>, 'type'>),
              type: 'final',
            };
            return;
          } else if (message.event === 'error') {
            const status = Number((data as { status?: unknown }).status) || 502;
            // The stream began, so the credential was accepted: the problem is the reply's own.
            throw errorFromProblem('the agent service failed to reply', status, data);
          }
        }
      } catch (error) {
        request.signal.throwIfAborted();
        if (error instanceof AwpError) throw error;
        throw new AwpError(
          'unavailable',
          `the reply stream from the agent service broke: ${messageOf(error)}`,
          { retryable: true, cause: error },
        );
      }
      throw new AwpError(
        'unavailable',
        'the agent service closed the reply stream before the reply was finished',
        { retryable: true },
      );
    },
  };
}

/** Said at start-up by a process that hosts conversations, but no agent to answer them. */
export const missingAgentUrl =
  'this process hosts conversations but not the agent, so messages are recorded but nobody ' +
  "replies to them: set AWP_AGENT_URL to the agent service's base URL";

/** The most messages `POST /v1/agent-replies` takes (its `history`'s `maxItems`). */
const maxHistoryMessages = 10_000;

/**
 * The turn as JSON, within the body limit and the message count the endpoint takes: the
 * newest messages are kept, since the agent fits older ones into a summary anyway. The
 * message being answered always goes.
 */
function requestBody(request: AssistantReplyRequest, maxBodyBytes: number): string {
  const body = (history: readonly ReplyHistoryEntry[]) =>
    JSON.stringify({
      conversationId: request.conversationId,
      userMessageId: request.userMessageId,
      ...(request.agentId === undefined ? {} : { agentId: request.agentId }),
      history,
    });
  let history = request.history.slice(-maxHistoryMessages);
  let text = body(history);
  while (Buffer.byteLength(text) > maxBodyBytes && history.length > 1) {
    // Drops about the share of messages by which the body is too large, at least one.
    const excess = Buffer.byteLength(text) / maxBodyBytes;
    const drop = Math.max(1, Math.floor(history.length * (1 - 1 / excess)));
    history = history.slice(Math.min(drop, history.length - 1));
    text = body(history);
  }
  return text;
}

function parsed(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new AwpError('unavailable', 'the agent service sent an event that is not JSON', {
      retryable: true,
    });
  }
}

function unreachable(baseUrl: string, error: unknown): AwpError {
  return new AwpError(
    'unavailable',
    `the agent service at ${baseUrl} could not be reached: ${messageOf(error)}`,
    { retryable: true, cause: error },
  );
}

/** fetch's own message is a bare "fetch failed"; the socket's reason is in its cause. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
