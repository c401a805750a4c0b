import type { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Post,
  Produces,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import { replyStreamEvents } from '../replies/replyStreamEvents.js';
import type { ReplyRequestBody } from './replyModels.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/agent-replies`: the agent answering one conversation turn, for a conversation service
 * that runs in another process (`AWP_AGENT_URL`). It calls with the poster's own credential,
 * so the turn is authorized, metered and recorded exactly as in one process; and only for a
 * conversation the agent has heard (from its `ConversationStarted`) is the caller's account's.
 */
@Route('v1/agent-replies')
@Tags('Agent replies')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
@Response<Problem>(404, 'No conversation of the caller’s account has this id (waited for 5 s)')
export class RepliesController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * Writes the reply to the last message of `history`, as Server-Sent Events: a `token` per
   * piece of the reply, then `final` (the whole reply, the model and its token counts) or
   * `error` (a problem+json). Nothing is recorded in the conversation: the caller records the
   * reply. Closing the stream stops the reply.
   */
  @Post()
  @Security('bearer', ['conversation:write'])
  @Produces('text/event-stream')
  @SuccessResponse(200, 'The events of the reply, as it is written')
  public async reply(@Body() body: ReplyRequestBody): Promise<string> {
    const { deps, accountId, actor, correlationId } = this.scope;
    const last = body.history.at(-1);
    if (last?.messageId !== body.userMessageId || last.role !== 'user') {
      throw new AwpError(
        'validation',
        'the last message of history must be the user message being answered (userMessageId)',
        { field: 'history' },
      );
    }
    await deps.drafts.awaitOwned(accountId, body.conversationId, deps.conversationWaitMs ?? 5_000);
    this.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.setHeader('Cache-Control', 'no-cache');
    this.setHeader('X-Accel-Buffering', 'no');
    const stream: Readable = deps.eventStream((signal) =>
      replyStreamEvents(
        deps.replies.reply({
          accountId,
          conversationId: body.conversationId,
          userMessageId: body.userMessageId,
          ...(body.agentId === undefined ? {} : { agentId: body.agentId }),
          history: body.history,
          actor,
          correlationId,
          // The caller owns the reply: when it goes away, nobody is left to record it.
          signal,
        }),
        signal,
        (error) =>
          deps.onUnexpectedFailure?.(error, { accountId, conversationId: body.conversationId }),
      ),
    );
    // tsoa documents one body type per action; the stream's is the 200 response above.
    return stream as unknown as string;
  }
}
