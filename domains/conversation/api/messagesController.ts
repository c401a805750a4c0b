import type { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  Header,
  Path,
  Post,
  Produces,
  Put,
  Query,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { ConversationMessage } from '../conversationViews.js';
import type { ReplyEvent } from '../replies/replyEvents.js';
import type { MessageContent, PostedMessage } from './apiModels.js';
import type { RequestScope } from './requestScope.js';

/** Messages, and the assistant's replies to them as they are written. */
@Route('v1/conversations')
@Tags('Messages')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
@Response<Problem>(404, 'No such conversation')
export class MessagesController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * Posts a message; the conversation's agent answers it. The message is recorded first, and
   * the reply is recorded when it is complete, whether or not the client is still there.
   *
   * With `Accept: text/event-stream` the answer is a stream of Server-Sent Events: `message`
   * (the recorded message), a `token` per piece of the reply, then `done` (the recorded reply)
   * or `error` (a problem+json). Each has an increasing `id`; a client that lost the stream
   * resumes with `GET …/stream` and `Last-Event-ID`. Otherwise the answer waits for the
   * reply and holds both messages. The same exchange is offered as a WebSocket at
   * `/v1/conversations/{conversationId}/ws`.
   * @param accept `text/event-stream` for the events as they come.
   */
  @Post('{conversationId}/messages')
  @Security('bearer', ['conversation:write'])
  @SuccessResponse(201, 'Created: the message and its reply, as recorded')
  @Response<string>(
    200,
    'With `Accept: text/event-stream`: the events of the reply, as it is written',
    undefined,
    'text/event-stream',
  )
  @Response<Problem>(409, 'The conversation has ended, or a reply in it is still being written')
  @Response<Problem>(503, 'The message was recorded, but no assistant could reply to it')
  public async postMessage(
    @Path() conversationId: string,
    @Body() message: MessageContent,
    @Header('accept') accept?: string,
  ): Promise<PostedMessage> {
    const { replies, hub } = this.scope.deps;
    const started = await replies.post(this.scope.caller, conversationId, message.content);
    if (accept?.includes('text/event-stream')) {
      // EventSource-style clients expect 200 for a stream; the body is the stream, not a message.
      this.setStatus(200);
      const after = started.firstEventId - 1;
      const events = this.eventStream((signal) => hub.subscribe(conversationId, after, signal));
      // tsoa documents one body type per action; the stream's is the 200 response above.
      return events as unknown as PostedMessage;
    }
    const done = await started.done;
    return { userMessage: started.userMessage, assistantMessage: done.message, reply: done.reply };
  }

  /**
   * Replaces the text of one of the user's messages. The earlier text stays in the message's
   * `editHistory`; the same text again changes nothing.
   */
  @Put('{conversationId}/messages/{messageId}')
  @Security('bearer', ['conversation:write'])
  @Response<Problem>(409, 'The conversation has ended, or the message is not a user message')
  public async editMessage(
    @Path() conversationId: string,
    @Path() messageId: string,
    @Body() message: MessageContent,
  ): Promise<ConversationMessage> {
    return this.scope.deps.conversations.edit(
      this.scope.caller,
      conversationId,
      messageId,
      message.content,
    );
  }

  /**
   * Follows the reply being written, or resumes one after a lost connection: the events after
   * `Last-Event-ID` (or `lastEventId`), then the live ones until `done` or `error`. Without
   * an id, the latest reply from its start. Finished replies are kept a few minutes; 204 when
   * there is nothing to follow (EventSource then stops reconnecting).
   * @param lastEventIdHeader The `id` of the last event received.
   * @param lastEventId The same, for clients that cannot set headers.
   * @pattern lastEventIdHeader ^[0-9]{1,15}$ must be the id of an event of this stream
   * @pattern lastEventId ^[0-9]{1,15}$ must be the id of an event of this stream
   */
  @Get('{conversationId}/stream')
  @Security('bearer', ['conversation:read'])
  @Produces('text/event-stream')
  @SuccessResponse(200, 'The events, as they come', 'text/event-stream')
  @Response(204, 'Nothing to follow: no reply is being written or kept after that id')
  public async streamReplies(
    @Path() conversationId: string,
    @Header('last-event-id') lastEventIdHeader?: string,
    @Query() lastEventId?: string,
  ): Promise<Readable | undefined> {
    const { conversations, hub } = this.scope.deps;
    await conversations.require(this.scope.caller.accountId, conversationId);
    const resumeAt = lastEventIdHeader ?? lastEventId;
    const after = resumeAt === undefined ? undefined : Number(resumeAt);
    // Decided before the answer starts: a stream's status line cannot say "nothing" later.
    if (!(await hub.followable(conversationId, after))) {
      this.setStatus(204);
      return undefined;
    }
    return this.eventStream((signal) => hub.subscribe(conversationId, after, signal));
  }

  private eventStream(open: (signal: AbortSignal) => AsyncIterable<ReplyEvent>): Readable {
    this.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.setHeader('Cache-Control', 'no-cache');
    // Reverse proxies (nginx) would otherwise hold the events back in their buffers.
    this.setHeader('X-Accel-Buffering', 'no');
    return this.scope.deps.eventStream(open);
  }
}
