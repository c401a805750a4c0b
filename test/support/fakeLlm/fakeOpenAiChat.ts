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

interface ChatBody {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

/** Answers one chat completion the way OpenAI's API does, streamed or not. */
export async function answerChat(
  request: RecordedRequest,
  response: ServerResponse,
  reply: FakeReply,
  signal: AbortSignal,
): Promise<void> {
  const body = request.body as ChatBody;
  const tokens = tokensOf(reply);
  const calls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    name: call.name,
    pieces: argumentPieces(call),
    text: argumentsText(call),
  }));
  const finishReason = reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
  const outputPieces = tokens.length + calls.reduce((n, call) => n + call.pieces.length, 0);
  const usage = usageOf(reply, request.rawBody, outputPieces);
  const wireUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
  const head = {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: 'fp_fake',
  };

  if (!body.stream) {
    if (!(await pause(reply.firstTokenDelayMs, signal))) return;
    sendJson(response, 200, {
      ...head,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: tokens.length > 0 || calls.length === 0 ? tokens.join('') : null,
            refusal: null,
            ...(calls.length > 0
              ? {
                  tool_calls: calls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.text },
                  })),
                }
              : {}),
          },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: wireUsage,
    });
    return;
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const stream = startEventStream(response);
  // With include_usage every chunk carries `usage: null` until the last one, as OpenAI does.
  const chunk = (delta: object, finish: string | null = null) =>
    stream.send({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

  if (!(await pause(reply.firstTokenDelayMs, signal))) return;
  chunk({ role: 'assistant', content: '', refusal: null });
  let sent = 0;
  const broken = async (): Promise<boolean> => {
    sent += 1;
    const cut = reply.breakAfterTokens;
    if (cut && sent > cut.tokens) {
      if (cut.how === 'disconnect') stream.disconnect();
      else {
        stream.send({
          error: {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
            param: null,
            code: null,
          },
        });
        stream.end();
      }
      return true;
    }
    return !(await pause(sent === 1 ? 0 : reply.tokenDelayMs, signal));
  };

  for (const token of tokens) {
    if (await broken()) return;
    chunk({ content: token });
  }
  for (const [index, call] of calls.entries()) {
    if (await broken()) return;
    chunk({
      tool_calls: [
        { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
      ],
    });
    for (const piece of call.pieces) {
      if (await broken()) return;
      chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  }
  chunk({}, finishReason);
  if (includeUsage) {
    stream.send({ ...head, object: 'chat.completion.chunk', choices: [], usage: wireUsage });
  }
  stream.send('[DONE]');
  stream.end();
}
