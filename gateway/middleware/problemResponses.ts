import type { Middleware } from 'koa';
import { notFoundProblem, problemFor } from '../problemDetails.js';
import type { ProblemDetails } from '../problemDetails.js';
import type { Logger } from 'pino';

function sendProblem(ctx: Parameters<Middleware>[0], problem: ProblemDetails): void {
  ctx.status = problem.status;
  ctx.type = 'application/problem+json';
  ctx.body = { ...problem, instance: ctx.path };
}

/** Turns every failure, and every unmatched route, into RFC 9457 problem+json. */
export function problemResponses(logger: Logger): Middleware {
  return async function problemResponsesMiddleware(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        sendProblem(ctx, notFoundProblem(ctx.method, ctx.path));
      }
    } catch (error) {
      const problem = problemFor(error);
      if (problem.status >= 500) {
        (ctx.state.log ?? logger).error({ err: error }, 'request failed');
      }
      sendProblem(ctx, problem);
    }
  };
}
