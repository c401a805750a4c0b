import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AwpError } from '../../contracts/index.js';

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies only, within `limitBytes`. A body of another media type is refused with 415
 * rather than silently ignored, so a client sending form data learns why nothing happened.
 */
export function jsonBody(limitBytes: number): Middleware[] {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limitBytes,
    jsonStrict: true,
    onError(error) {
      // co-body reports bad JSON as a bare SyntaxError; size limits arrive as HTTP 413 errors.
      if (error instanceof SyntaxError) {
        throw new AwpError('validation', `request body is not valid JSON: ${error.message}`, {
          field: '(root)',
        });
      }
      throw error;
    },
  });
  const requireJson: Middleware = async function requireJsonMiddleware(ctx, next) {
    const hasBody = ctx.request.length > 0 || ctx.get('transfer-encoding') !== '';
    if (methodsWithBody.has(ctx.method) && hasBody && !ctx.is('application/json', '+json')) {
      ctx.throw(415, `request body must be application/json, got '${ctx.get('content-type')}'`);
    }
    await next();
  };
  return [requireJson, parse as unknown as Middleware];
}
