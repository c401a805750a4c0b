import { AwpError, isAwpError } from '../../../contracts/index.js';
import type { ConversationMessage } from '../conversationViews.js';
import type { ConversationCaller, Conversations, RecordedResult } from '../conversations.js';
import type {
  AssistantReplies,
  AssistantReplyRequest,
  FinalReplyChunk,
} from './assistantReplies.js';
import type { ReplyDone, ReplyInfo, UnnumberedReplyEvent } from './replyEvents.js';
import type { ReplyChannels, ReplyWriter } from './replyChannels.js';

export interface ReplyRunnerDeps {
  conversations: Conversations;
  hub: ReplyChannels;
  assistant: AssistantReplies;
  /** Longest a reply may take before it fails. Default 5 minutes. */
  replyTimeoutMs?: number;
  /** Told of replies that failed with something other than an `AwpError` (a bug), for the logs. */
  onUnexpectedFailure?(
    error: unknown,
    context: { accountId: string; conversationId: string },
  ): void;
  /** Told when a reply's events could not reach its followers (the channels failed). */
  onChannelFailure?(error: unknown, context: { accountId: string; conversationId: string }): void;
}

/** A posted message whose reply is being written. */
export interface StartedReply {
  userMessage: ConversationMessage;
  /** The id of the reply's first event (the `message` one). */
  firstEventId: number;
  /** Settles once the reply is recorded or has failed (with the `AwpError` clients see). */
  done: Promise<ReplyDone>;
}

/**
 * Posting a message and answering it: the user message is recorded, then the assistant's reply
 * runs in the background, its tokens published to the hub as they come, and is recorded as an
 * assistant message when it is complete. No client connection owns the reply: a client that
 * goes away stops following it, never the reply itself. Only a timeout or `stop` aborts it.
 */
export class ReplyRunner {
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: ReplyRunnerDeps) {}

  async post(
    caller: ConversationCaller,
    conversationId: string,
    content: string,
  ): Promise<StartedReply> {
    if (this.stopping.signal.aborted) throw stoppedError();
    const { conversations, hub } = this.deps;
    // Checked before the hub is touched, so no one can hold another account's conversation.
    await conversations.require(caller.accountId, conversationId);
    const writer = await hub.begin(conversationId);
    let posted: RecordedResult;
    try {
      posted = await conversations.post(caller, conversationId, content);
    } catch (error) {
      await writer.abandon();
      throw error;
    }
    // The message is recorded: it is answered even when its followers cannot be told (the
    // channels failed), and clients that wait for the whole reply still get it.
    const firstEventId = await writer
      .publish({ event: 'message', data: posted.message })
      .catch((error: unknown) => {
        this.deps.onChannelFailure?.(error, { accountId: caller.accountId, conversationId });
        return 0;
      });
    const done = this.reply(caller, posted, writer);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return { userMessage: posted.message, firstEventId, done };
  }

  /** Aborts the replies being written (each ends with an error event) and waits for them. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running);
  }

  private async reply(
    caller: ConversationCaller,
    posted: RecordedResult,
    writer: ReplyWriter,
  ): Promise<ReplyDone> {
    const { conversationId, agentId } = posted.conversation;
    const timeoutMs = this.deps.replyTimeoutMs ?? 300_000;
    const signal = AbortSignal.any([
      this.stopping.signal,
      AbortSignal.timeout(timeoutMs),
      ...(writer.lost ? [writer.lost] : []),
    ]);
    try {
      const history = await this.deps.conversations.history(caller.accountId, conversationId);
      signal.throwIfAborted();
      const upTo = history.findIndex((m) => m.messageId === posted.message.messageId);
      const final = await this.written(writer, {
        ...caller,
        conversationId,
        userMessageId: posted.message.messageId,
        ...(agentId === null ? {} : { agentId }),
        history: history
          .slice(0, upTo + 1)
          .map(({ messageId, role, content }) => ({ messageId, role, content })),
        signal,
      });
      const repliedBy = final.agentId ?? agentId;
      const assistant = await this.deps.conversations.record(
        { ...caller, causationId: posted.eventId },
        {
          conversationId,
          role: 'assistant',
          content: final.content,
          parentMessageId: posted.message.messageId,
          agentId: repliedBy,
        },
      );
      const done: ReplyDone = { message: assistant.message, reply: infoOf(final, repliedBy) };
      await this.end(writer, { event: 'done', data: done }, caller.accountId, conversationId);
      return done;
    } catch (error) {
      const failure = this.failureOf(error, signal, writer, timeoutMs, caller, conversationId);
      await this.end(writer, { event: 'error', data: failure }, caller.accountId, conversationId);
      throw failure;
    }
  }

  /**
   * Ends the reply for its followers. Failing to tell them (the channels are down) changes
   * nothing about the reply: what was recorded stands, and clients read the conversation.
   */
  private async end(
    writer: ReplyWriter,
    last: UnnumberedReplyEvent,
    accountId: string,
    conversationId: string,
  ): Promise<void> {
    try {
      await writer.finish(last);
    } catch (error) {
      this.deps.onChannelFailure?.(error, { accountId, conversationId });
      await writer.abandon().catch(() => undefined);
    }
  }

  /**
   * Publishes the tokens as they come; resolves to the final chunk. Tokens that cannot be
   * published are skipped rather than failing the reply: the `done` event and the recorded
   * message carry the whole text.
   */
  private async written(
    writer: ReplyWriter,
    request: AssistantReplyRequest,
  ): Promise<FinalReplyChunk> {
    const { accountId, conversationId } = request;
    let failed = false;
    for await (const chunk of this.deps.assistant.reply(request)) {
      if (request.signal.aborted) break;
      if (chunk.type === 'final') return chunk;
      // After one failure the rest of the tokens are skipped: waiting on a channel that is
      // down, token after token, would hold the reply far past its end.
      if (chunk.text === '' || failed) continue;
      await writer.publish({ event: 'token', data: { text: chunk.text } }).catch((error) => {
        this.deps.onChannelFailure?.(error, { accountId, conversationId });
        failed = true;
      });
    }
    request.signal.throwIfAborted();
    throw new AwpError('unavailable', 'the assistant stopped before finishing its reply', {
      retryable: true,
    });
  }

  private failureOf(
    error: unknown,
    signal: AbortSignal,
    writer: ReplyWriter,
    timeoutMs: number,
    { accountId }: ConversationCaller,
    conversationId: string,
  ): AwpError {
    if (this.stopping.signal.aborted) return stoppedError();
    const lost: unknown = writer.lost?.aborted ? writer.lost.reason : undefined;
    if (isAwpError(lost)) return lost;
    if (signal.aborted) {
      return new AwpError(
        'unavailable',
        `the assistant did not finish its reply within ${durationOf(timeoutMs)}`,
        { retryable: true },
      );
    }
    if (isAwpError(error)) return error;
    this.deps.onUnexpectedFailure?.(error, { accountId, conversationId });
    return new AwpError('internal', 'the assistant failed while replying', { cause: error });
  }
}

const durationOf = (ms: number): string =>
  ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;

function stoppedError(): AwpError {
  return new AwpError(
    'unavailable',
    'the platform is stopping: the reply was not finished; post the message again later',
    { retryable: true },
  );
}

function infoOf(final: FinalReplyChunk, agentId: string | null): ReplyInfo {
  return {
    agentId,
    model: final.model ?? null,
    provider: final.provider ?? null,
    inputTokens: final.inputTokens ?? null,
    outputTokens: final.outputTokens ?? null,
    metadata: final.metadata ?? {},
  };
}
