import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import { AwpError } from '../../contracts/index.js';

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/** Whether requests with this method have their body read (the parser's own default list). */
export function readsBody(method: string): boolean {
  return methodsWithBody.has(method);
}

/**
 * `application/json` and every `+json` type, such as the schema registry's
 * `application/vnd.schemaregistry.v1+json`. The parser's own list is fixed and is extended by a
 * lodash merge that overwrites its entries by index, so the check is given as `detectJSON`.
 */
function isJson(ctx: Context): boolean {
  return Boolean(ctx.is('application/json', '+json'));
}

/** YAML documents (a workflow posted as its DSL text) arrive as text for the route to parse. */
const yamlTypes = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const isYaml = (ctx: Context): boolean => Boolean(ctx.is(yamlTypes));

/**
 * JSON bodies (and YAML, as text), within `limitBytes`. A body of another media type is refused
 * with 415 rather than silently ignored, so a client sending form data learns why nothing
 * happened.
 */
export function jsonBody(limitBytes: number): Middleware[] {
  const parse = bodyParser({
    enableTypes: ['json', 'text'],
    detectJSON: isJson,
    extendTypes: { text: yamlTypes },
    jsonLimit: limitBytes,
    textLimit: limitBytes,
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
    if (methodsWithBody.has(ctx.method) && hasBody && !isJson(ctx) && !isYaml(ctx)) {
      ctx.throw(
        415,
        `request body must be application/json (or YAML), got '${ctx.get('content-type')}'`,
      );
    }
    await next();
  };
  return [requireJson, parse as unknown as Middleware];
}
