import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { sendJson, startHttpServer } from './httpServer.js';
import type { RecordedRequest } from './httpServer.js';
import { streamPadding, resetMidResponse } from './misbehaviours.js';

/** A normal answer; `retryAfter` sets the Retry-After header (seconds, or an HTTP date). */
export interface FlakyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  retryAfter?: number | string;
}

/** Never answers: the request stays open until the client gives up or the server closes. */
export interface FlakyHang {
  hang: true;
}

/** Streams a JSON body of about `streamMiB` MiB, chunked unless `contentLength` is true. */
export interface FlakyStream {
  streamMiB: number;
  status?: number;
  contentLength?: boolean;
}

/**
 * Destroys the socket after `resetAfterBytes` bytes of a body whose announced length is larger;
 * 0 destroys it before any response line, the "socket hang up" case.
 */
export interface FlakyReset {
  resetAfterBytes: number;
}

/** Redirects to a path on this server or to an absolute URL (another host or port). */
export interface FlakyRedirect {
  redirect: string;
  status?: 301 | 302 | 303 | 307 | 308;
}

/** One scripted answer; `delayMs` waits before giving it. */
export type FlakyStep = (FlakyReply | FlakyHang | FlakyStream | FlakyReset | FlakyRedirect) & {
  delayMs?: number;
};

export interface ScriptOptions {
  /**
   * 'path' (default): every request to the path moves one sequence on. 'idempotency-key': each
   * distinct Idempotency-Key header value runs the sequence from its start.
   */
  per?: 'path' | 'idempotency-key';
}

/** A request the flaky server received, with where it stood in its script. */
export interface FlakyAttempt extends RecordedRequest {
  /** The path, or the path and Idempotency-Key, whose sequence this request moved on. */
  key: string;
  /** 1 for the first request with this key. */
  attempt: number;
  /** The step answered, undefined when the path has no script (answered 404). */
  step: FlakyStep | undefined;
}

export interface FlakyServer {
  baseUrl: string;
  /** Every request, including unscripted ones. */
  requests: RecordedRequest[];
  /** Requests to scripted paths, oldest first, with timestamps (`receivedAt`) and headers. */
  attempts: FlakyAttempt[];
  /**
   * Scripts the answers for `path` (any method, query ignored), replacing an earlier script.
   * Each request takes the next step; once the sequence is exhausted the last step repeats.
   */
  script(path: string, steps: FlakyStep | FlakyStep[], options?: ScriptOptions): void;
  /** The attempts at `path`, oldest first. */
  attemptsAt(path: string): FlakyAttempt[];
  close(): Promise<void>;
}

interface Script {
  steps: FlakyStep[];
  per: 'path' | 'idempotency-key';
  counts: Map<string, number>;
}

/** Starts a server whose paths misbehave as each test scripts them, for retry and limit tests. */
export async function startFlakyServer(): Promise<FlakyServer> {
  const scripts = new Map<string, Script>();
  const attempts: FlakyAttempt[] = [];

  const server = await startHttpServer(async function answerFromScript(request, response, signal) {
    const script = scripts.get(request.path);
    if (script === undefined) {
      sendJson(response, 404, { error: `no script for ${request.method} ${request.path}` });
      return;
    }
    const idempotencyKey = request.headers['idempotency-key'];
    const key =
      script.per === 'idempotency-key' && typeof idempotencyKey === 'string'
        ? `${request.path} ${idempotencyKey}`
        : request.path;
    const attempt = (script.counts.get(key) ?? 0) + 1;
    script.counts.set(key, attempt);
    const step = script.steps[Math.min(attempt, script.steps.length) - 1] as FlakyStep;
    attempts.push({ ...request, key, attempt, step });
    try {
      if (step.delayMs) await delay(step.delayMs, undefined, { signal });
      await answer(step, response, signal);
    } catch (error) {
      // The client gave up or the server closed while we waited: nobody is left to answer.
      if (!signal.aborted) throw error;
    }
  });

  return {
    baseUrl: server.baseUrl,
    requests: server.requests,
    attempts,
    script(path, steps, options = {}) {
      const list = Array.isArray(steps) ? steps : [steps];
      if (list.length === 0) throw new Error(`script for ${path} needs at least one step`);
      scripts.set(path, { steps: list, per: options.per ?? 'path', counts: new Map() });
    },
    attemptsAt: (path) => attempts.filter((a) => a.path === path),
    close: server.close,
  };
}

async function answer(step: FlakyStep, response: ServerResponse, signal: AbortSignal) {
  if ('hang' in step) return;
  if ('streamMiB' in step) return streamPadding(response, step, signal);
  if ('resetAfterBytes' in step) return resetMidResponse(response, step.resetAfterBytes);
  if ('redirect' in step) {
    response.writeHead(step.status ?? 302, { location: step.redirect, 'content-length': 0 });
    response.end();
    return;
  }
  const headers: Record<string, string> = { ...step.headers };
  if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
  sendJson(response, step.status, step.body, headers);
}
