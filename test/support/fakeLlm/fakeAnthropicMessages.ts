import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../servers/httpServer.js';
import type { RecordedRequest } from '../servers/httpServer.js';
import {
  argumentPieces,
  argumentsText,
  pause,
  startEventStream,
  tokensOf,
  usageOf,
} from './replyScript.js';
import type { FakeReply } from './replyScript.js';

/** Answers one `POST /v1/messages` the way Anthropic's API does, streamed or not. */
export async function answerMessages(
  request: RecordedRequest,
  response: ServerResponse,
  reply: FakeReply,
  signal: AbortSignal,
): Promise<void> {
  const body = request.body as { model: string; stream?: boolean };
  const tokens = tokensOf(reply);
  const calls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `toolu_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    name: call.name,
    pieces: argumentPieces(call),
    input: JSON.parse(argumentsText(call)) as unknown,
  }));
  const stopReason = reply.finishReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn');
  const outputPieces = tokens.length + calls.reduce((n, call) => n + call.pieces.length, 0);
  const usage = usageOf(reply, request.rawBody, outputPieces);
  const message = {
    id: `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    stop_sequence: null,
  };
  const wireUsage = (outputTokens: number) => ({
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  });

  if (!body.stream) {
    if (!(await pause(reply.firstTokenDelayMs, signal))) return;
    sendJson(response, 200, {
      ...message,
      content: [
        ...(tokens.length > 0 ? [{ type: 'text', text: tokens.join(''), citations: null }] : []),
        ...calls.map((call) => ({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: call.input,
        })),
      ],
      stop_reason: stopReason,
      usage: wireUsage(usage.outputTokens),
    });
    return;
  }

  const stream = startEventStream(response, { 'request-id': `req_${randomUUID()}` });
  const send = (data: { type: string } & Record<string, unknown>) => stream.send(data, data.type);
  send({
    type: 'message_start',
    // The real API reports the input tokens here and a token or so of output so far.
    message: { ...message, content: [], stop_reason: null, usage: wireUsage(1) },
  });
  let sent = 0;
  const broken = async (): Promise<boolean> => {
    sent += 1;
    const cut = reply.breakAfterTokens;
    if (cut && sent > cut.tokens) {
      if (cut.how === 'disconnect') stream.disconnect();
      else {
        stream.send(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          'error',
        );
        stream.end();
      }
      return true;
    }
    return !(await pause(sent === 1 ? reply.firstTokenDelayMs : reply.tokenDelayMs, signal));
  };

  let index = 0;
  if (tokens.length > 0) {
    send({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    send({ type: 'ping' });
    for (const text of tokens) {
      if (await broken()) return;
      send({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    }
    send({ type: 'content_block_stop', index });
    index += 1;
  }
  for (const call of calls) {
    send({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
    });
    send({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: '' },
    });
    for (const piece of call.pieces) {
      if (await broken()) return;
      send({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
    send({ type: 'content_block_stop', index });
    index += 1;
  }
  send({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.outputTokens },
  });
  send({ type: 'message_stop' });
  stream.end();
}
