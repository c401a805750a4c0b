import type { CallTask } from '../../../../../dsl/model/workflowModel.js';
import type { TaskResult, TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';
import { authenticate } from './authentication.js';
import { withQuery } from './requestParts.js';
import { exchange } from './httpExchange.js';
import type { CallOutputFormat } from './httpExchange.js';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  parameters: Json[];
  hasRequestBody: boolean;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * `call: openapi`: loads the document (OpenAPI 3.x or Swagger 2.0), finds `operationId`, and
 * builds the request from `parameters`: path, query, header and cookie parameters by name, the
 * body from a Swagger `in: body` parameter or, for OpenAPI 3, `parameters.body` (else the
 * parameters no other location took).
 */
export async function runOpenApiCall(
  run: TaskRun,
  authorize: (descriptor: unknown) => void,
): Promise<TaskResult> {
  const task = run.task as CallTask;
  const at = `${run.position.reference}/with`;
  const settings = task.with ?? {};
  const document = settings.document as { endpoint: string | { uri: string } } | undefined;
  const documentUrl =
    typeof document?.endpoint === 'string' ? document.endpoint : document?.endpoint?.uri;
  if (!documentUrl)
    throw standardError(
      'configuration',
      'Missing OpenAPI document',
      'with.document.endpoint is required',
      { instance: at },
    );
  const spec = (await run.interpreter.host.loadDocument(documentUrl, {}, run.signal)) as Json;
  const operationId = String(settings.operationId);
  const operation = findOperation(spec, operationId);
  if (!operation) {
    throw standardError(
      'configuration',
      'Unknown operation',
      `the OpenAPI document has no operation '${operationId}'`,
      {
        instance: `${at}/operationId`,
      },
    );
  }
  const values = run.interpreter.expressions.evaluateDeep(
    settings.parameters ?? {},
    run.input,
    run.variables(),
    `${at}/parameters`,
  ) as Json;
  const request = buildRequest(spec, documentUrl, operation, values, `${at}/parameters`);
  if (settings.authentication !== undefined) {
    const resolved = await authenticate(run, settings.authentication, `${at}/authentication`);
    request.headers.authorization = `${resolved.scheme} ${resolved.parameter}`;
    authorize(resolved);
  }
  return exchange(
    run,
    request,
    (settings.output as CallOutputFormat | undefined) ?? 'content',
    settings.redirect === true,
  );
}

function findOperation(spec: Json, operationId: string): Operation | undefined {
  for (const [path, item] of Object.entries((spec.paths ?? {}) as Record<string, Json>)) {
    const shared = ((item.parameters ?? []) as Json[]).map((p) => dereference(spec, p));
    for (const method of methods) {
      const operation = item[method] as Json | undefined;
      if (operation?.operationId !== operationId) continue;
      const own = ((operation.parameters ?? []) as Json[]).map((p) => dereference(spec, p));
      const byKey = new Map<string, Json>();
      for (const parameter of [...shared, ...own])
        byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
      return {
        method,
        path,
        parameters: [...byKey.values()],
        hasRequestBody: operation.requestBody !== undefined,
      };
    }
  }
  return undefined;
}

function dereference(spec: Json, value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
  let target: unknown = spec;
  for (const part of ref.slice(2).split('/')) {
    target = (target as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return (target as Json | undefined) ?? value;
}

function baseUrl(spec: Json, documentUrl: string): string {
  const servers = spec.servers as
    Array<{ url: string; variables?: Record<string, { default: string }> }> | undefined;
  if (servers?.[0]) {
    const server = servers[0];
    const url = server.url.replace(
      /\{([^}]+)\}/g,
      (_, name: string) => server.variables?.[name]?.default ?? '',
    );
    return new URL(url, documentUrl).toString().replace(/\/$/, '');
  }
  const from = new URL(documentUrl);
  const scheme = (spec.schemes as string[] | undefined)?.[0] ?? from.protocol.replace(':', '');
  const host = typeof spec.host === 'string' ? spec.host : from.host;
  const basePath = typeof spec.basePath === 'string' ? spec.basePath : '';
  return `${scheme}://${host}${basePath}`.replace(/\/$/, '');
}

function buildRequest(
  spec: Json,
  documentUrl: string,
  operation: Operation,
  values: Json,
  at: string,
) {
  const used = new Set<string>();
  const headers: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  const cookies: string[] = [];
  let body: unknown;
  let path = operation.path;
  for (const parameter of operation.parameters) {
    const name = String(parameter.name);
    const value = values[name];
    if (value === undefined || value === null) {
      if (parameter.required === true) {
        throw standardError(
          'validation',
          'Missing parameter',
          `operation parameter '${name}' (in ${String(parameter.in)}) is required`,
          {
            instance: at,
          },
        );
      }
      continue;
    }
    used.add(name);
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    switch (parameter.in) {
      case 'path':
        path = path.replaceAll(`{${name}}`, encodeURIComponent(text));
        break;
      case 'query':
        query[name] = Array.isArray(value) ? value.join(',') : value;
        break;
      case 'header':
        headers[name] = text;
        break;
      case 'cookie':
        cookies.push(`${name}=${encodeURIComponent(text)}`);
        break;
      case 'body':
        body = value;
        break;
      default:
        break;
    }
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  if (operation.hasRequestBody && body === undefined) {
    if (values.body !== undefined) body = values.body;
    else {
      const rest = Object.fromEntries(Object.entries(values).filter(([name]) => !used.has(name)));
      if (Object.keys(rest).length > 0) body = rest;
    }
  }
  const url = withQuery(`${baseUrl(spec, documentUrl)}${path}`, query);
  return { method: operation.method, url, headers, body };
}
