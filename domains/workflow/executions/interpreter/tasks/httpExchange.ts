import type { HttpCall, HttpResult } from '../executionHost.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';

/** What an HTTP or OpenAPI call sends, before authentication. */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export type CallOutputFormat = 'content' | 'response' | 'raw';

/**
 * Sends a prepared request through the host (SSRF guard, limits, Idempotency-Key) and turns the
 * response into the task output the DSL asks for. Statuses outside 2xx (3xx too unless
 * `redirect`) fault with a communication error carrying the response status.
 */
export async function exchange(
  run: TaskRun,
  request: PreparedRequest,
  output: CallOutputFormat,
  redirect: boolean,
): Promise<TaskResult> {
  const headers = { ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined && request.body !== null) {
    if (typeof request.body === 'string') {
      body = request.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(request.body);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
  }
  const call: HttpCall = {
    method: request.method.toUpperCase(),
    url: request.url,
    headers,
    ...(body === undefined ? {} : { body }),
    followRedirects: redirect,
    idempotencyKey: run.invocation.idempotencyKey,
  };
  const response = await run.interpreter.host.http(call, run.signal);
  const ok = response.status >= 200 && response.status < (redirect ? 400 : 300);
  if (!ok) throw httpFailure(run, call, response);
  switch (output) {
    case 'raw':
      return { output: Buffer.from(response.body).toString('base64') };
    case 'response':
      return {
        output: {
          request: {
            method: call.method.toLowerCase(),
            uri: call.url,
            headers: shownHeaders(call.headers),
          },
          statusCode: response.status,
          headers: response.headers,
          content: decodeContent(response),
        },
      };
    default:
      return { output: decodeContent(response) };
  }
}

/** JSON bodies parsed, text as a string, anything else base64 (as the DSL's HTTP response says). */
export function decodeContent(response: HttpResult): unknown {
  if (response.body.length === 0) return null;
  const type = (response.headers['content-type'] ?? '').toLowerCase();
  const text = () => Buffer.from(response.body).toString('utf8');
  if (/[/+]json\b/.test(type)) {
    try {
      return JSON.parse(text()) as unknown;
    } catch {
      return text();
    }
  }
  if (
    type === '' ||
    type.startsWith('text/') ||
    /[/+]xml\b/.test(type) ||
    type.includes('x-www-form-urlencoded')
  ) {
    return text();
  }
  return Buffer.from(response.body).toString('base64');
}

function httpFailure(run: TaskRun, call: HttpCall, response: HttpResult) {
  const content = decodeContent(response);
  const excerpt = typeof content === 'string' ? content : JSON.stringify(content);
  const shown = excerpt && excerpt.length > 500 ? `${excerpt.slice(0, 500)}…` : excerpt;
  return standardError(
    'communication',
    response.statusText || `HTTP ${response.status}`,
    `${call.method} ${withoutQuery(call.url)} answered ${response.status}${shown ? `: ${shown}` : ''}`,
    { status: response.status, instance: run.position.reference },
  );
}

function withoutQuery(url: string): string {
  const index = url.indexOf('?');
  return index < 0 ? url : url.slice(0, index);
}

/** Request headers as the task output shows them: credentials never appear. */
function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    shown[name] = /^(authorization|cookie|proxy-authorization)$/i.test(name) ? '***' : value;
  }
  return shown;
}
