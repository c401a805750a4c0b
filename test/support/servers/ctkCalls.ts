/**
 * Just enough of `call: http` / `call: openapi` to replay a CTK workflow's calls against the
 * stand-in and check it answers what each scenario expects — without waiting for the engine.
 * Expressions are limited to what the CTK uses: `${ .name }` and `{name}` from the input.
 */

/** A call found in a workflow document. */
export type CtkCall =
  | { kind: 'http'; method: string; uri: string; basic?: { username: string; password: string } }
  | { kind: 'openapi'; document: string; operationId: string; parameters: Record<string, string> };

export interface CallAnswer {
  status: number;
  contentType: string | null;
  body: unknown;
}

interface SwaggerOperation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
}

/** The http and openapi calls of a parsed workflow document, in document order. */
export function callsOf(node: unknown): CtkCall[] {
  if (Array.isArray(node)) return node.flatMap(callsOf);
  if (typeof node !== 'object' || node === null) return [];
  const task = node as { call?: unknown; with?: Record<string, unknown> };
  if (task.call === 'http' && task.with) return [httpCall(task.with)];
  if (task.call === 'openapi' && task.with) return [openApiCall(task.with)];
  return Object.values(node).flatMap(callsOf);
}

function httpCall(args: Record<string, unknown>): CtkCall {
  const endpoint = args.endpoint as string | { uri: string; authentication?: { basic?: never } };
  const uri = typeof endpoint === 'string' ? endpoint : endpoint.uri;
  const basic = typeof endpoint === 'string' ? undefined : endpoint.authentication?.basic;
  return {
    kind: 'http',
    method: String(args.method).toUpperCase(),
    uri,
    ...(basic ? { basic } : {}),
  };
}

function openApiCall(args: Record<string, unknown>): CtkCall {
  const document = args.document as { endpoint: string | { uri: string } };
  return {
    kind: 'openapi',
    document: typeof document.endpoint === 'string' ? document.endpoint : document.endpoint.uri,
    operationId: String(args.operationId),
    parameters: (args.parameters ?? {}) as Record<string, string>,
  };
}

/** Performs `call` with `input` as the workflow input; a JSON body is parsed. */
export async function fetchCall(
  call: CtkCall,
  input: Record<string, unknown>,
): Promise<CallAnswer> {
  if (call.kind === 'openapi') return fetchOperation(call, input);
  const headers: Record<string, string> = {};
  if (call.basic) {
    const user = `${evaluate(call.basic.username, input)}:${evaluate(call.basic.password, input)}`;
    headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  const uri = call.uri.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(input[name])),
  );
  return answerOf(await fetch(uri, { method: call.method, headers }));
}

/** Resolves the operation as Swagger 2.0 says: scheme + host + basePath + path, then query. */
async function fetchOperation(
  call: Extract<CtkCall, { kind: 'openapi' }>,
  input: Record<string, unknown>,
): Promise<CallAnswer> {
  const doc = (await (await fetch(call.document)).json()) as {
    schemes: string[];
    host: string;
    basePath: string;
    paths: Record<string, Record<string, SwaggerOperation>>;
  };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.operationId !== call.operationId) continue;
      const values = Object.fromEntries(
        Object.entries(call.parameters).map(([name, value]) => [name, evaluate(value, input)]),
      );
      let resolved = path;
      const query = new URLSearchParams();
      for (const parameter of operation.parameters ?? []) {
        const value = values[parameter.name];
        if (value === undefined) continue;
        if (parameter.in === 'path') {
          resolved = resolved.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
        }
        if (parameter.in === 'query') query.append(parameter.name, String(value));
      }
      const search = query.size > 0 ? `?${query}` : '';
      const url = `${doc.schemes[0]}://${doc.host}${doc.basePath}${resolved}${search}`;
      return answerOf(await fetch(url, { method: method.toUpperCase() }));
    }
  }
  throw new Error(`operation '${call.operationId}' is not in ${call.document}`);
}

function evaluate(value: unknown, input: Record<string, unknown>): unknown {
  if (typeof value !== 'string' || !value.startsWith('${')) return value;
  const match = /^\$\{\s*\.(\w+)\s*\}$/.exec(value);
  if (match === null) throw new Error(`expression ${value} is beyond this test replayer`);
  return input[match[1] as string];
}

async function answerOf(response: Response): Promise<CallAnswer> {
  const contentType = response.headers.get('content-type');
  const text = await response.text();
  const body = /json/.test(contentType ?? '') && text !== '' ? (JSON.parse(text) as unknown) : text;
  return { status: response.status, contentType, body };
}
