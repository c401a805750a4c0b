import type { Context } from 'koa';
import type { Logger } from 'pino';
import { notFoundProblem, problemFor } from '../problemDetails.js';
import type { ProblemDetails } from '../problemDetails.js';

function sendProblem(ctx: Context, problem: ProblemDetails): void {
  ctx.status = problem.status;
  // Unavailable is passing (a busy database, every model provider down): say when to retry.
  if (problem.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', '1');
  ctx.type = 'application/problem+json';
  ctx.body = { ...problem, instance: ctx.path };
}

/** Answers a request that no route took with a 404 problem. */
export function answerUnmatched(ctx: Context): void {
  if (ctx.status === 404 && ctx.body === undefined) {
    sendProblem(ctx, notFoundProblem(ctx.method, ctx.path));
  }
}

/** Turns any thrown error into RFC 9457 problem+json; server faults are logged, never echoed. */
export function answerWithProblem(
  ctx: Context,
  error: unknown,
  logger: Logger,
  correlationId: string,
): void {
  const problem = problemFor(error);
  if (problem.status >= 500) logger.error({ correlationId, err: error }, 'request failed');
  sendProblem(ctx, problem);
}
