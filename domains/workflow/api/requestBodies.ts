import type { Middleware } from 'koa';

/** Media types under which a workflow document may be sent as raw text. */
const yamlTypes = ['application/yaml', 'text/yaml', 'application/x-yaml', '+yaml'];

/**
 * Lets authors send a workflow as the raw file (`curl --data-binary @flow.yaml -H
 * 'content-type: application/yaml'`): the text becomes `{ document }` before tsoa validates the
 * body. It needs the gateway to hand YAML bodies over as text; a body it did not parse is left
 * alone, so validation names the missing `document`.
 */
export const documentFromYamlBody: Middleware = async function documentFromYamlBody(ctx, next) {
  const body: unknown = ctx.request.body;
  if (typeof body === 'string' && ctx.is(yamlTypes)) ctx.request.body = { document: body };
  await next();
};

const binaryModePrefix = 'ce-';

/**
 * CloudEvents' HTTP binary mode: the attributes travel as `ce-*` headers and the body is the
 * event's `data`. Rewritten into structured mode before validation, so one schema checks both
 * and a problem names the attribute (`id`) whichever way it was sent.
 */
export const cloudEventFromBinaryMode: Middleware = async function cloudEventFromBinaryMode(
  ctx,
  next,
) {
  if (ctx.get('ce-specversion') !== '') {
    const event: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (!name.startsWith(binaryModePrefix) || typeof value !== 'string') continue;
      event[name.slice(binaryModePrefix.length)] = percentDecoded(value);
    }
    // The body parser leaves `rawBody` unset when the request had no body: then there is no data.
    const raw = (ctx.request as { rawBody?: string }).rawBody;
    if (raw !== undefined && raw !== '') {
      event.data = ctx.request.body;
      event.datacontenttype = ctx.get('content-type');
    }
    ctx.request.body = event;
  }
  await next();
};

/** The binding percent-encodes header values outside printable ASCII (CloudEvents HTTP 3.1.3.2). */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
