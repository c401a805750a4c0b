import type { CatalogOperation, OperationParameter } from './catalogOperation.js';
import { boundedCopy } from './boundedCopy.js';
import { sanitizedText, untrustedTextLimits } from './untrustedText.js';

/** One response of an operation, as kept for the catalog and for mock responses. */
export interface StoredResponse {
  /** As the document writes it: `200`, `2XX` or `default`. */
  status: string;
  description?: string;
  mediaType?: string;
  /** Kept for success responses (2xx and `default`) only. */
  schema?: Record<string, unknown>;
  /** The media type's `example` and `examples[*].value`, in document order (at most 3). */
  examples: unknown[];
}

/** An operation as extracted from a document, before it belongs to a connector. */
export type ExtractedOperation = Omit<
  CatalogOperation,
  'connectorId' | 'connectorName' | 'documentUri' | 'credentialSecret' | 'parameters'
> & { parameters: OperationParameter[]; responses: StoredResponse[] };

/** An operation a workflow cannot call, and why; listed in the import report. */
export interface NotCallableOperation {
  method: string;
  path: string;
  summary?: string;
  reason: string;
}

export interface ExtractedCatalog {
  operations: ExtractedOperation[];
  notCallable: NotCallableOperation[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const readMethods = new Set(['get', 'head', 'options', 'trace']);
const parameterPlaces = new Set(['path', 'query', 'header', 'cookie']);
/** What a `call: openapi` task can name: printable, without spaces, of a sane length. */
const callableId = /^[\x21-\x7e]{1,200}$/;
const maxExamples = 3;

type Json = Record<string, unknown>;
const record = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

/**
 * Every operation of a dereferenced OpenAPI 3 document: parameters (the path item's, overridden
 * by the operation's own of the same name and place), request body, responses, the security
 * schemes it requires (its own `security`, else the document's) and its effect by method.
 * `original` is the document as written, for the references the parser left in cycles.
 */
export function extractOperations(
  dereferenced: Json,
  original: Json = dereferenced,
): ExtractedCatalog {
  const operations: ExtractedOperation[] = [];
  const notCallable: NotCallableOperation[] = [];
  for (const [rawPath, pathItemValue] of Object.entries(record(dereferenced.paths))) {
    const pathItem = record(pathItemValue);
    const path = sanitizedText(rawPath, 1_000) ?? '/';
    for (const method of methods) {
      if (!(method in pathItem)) continue;
      const operation = record(pathItem[method]);
      const summary = sanitizedText(
        operation.summary ?? pathItem.summary,
        untrustedTextLimits.summary,
      );
      const id = operation.operationId;
      if (typeof id !== 'string' || !callableId.test(id)) {
        const reason =
          id === undefined
            ? 'no operationId: `call: openapi` names the operation to call by its operationId'
            : 'its operationId has spaces, control characters or over 200 characters';
        notCallable.push({
          method: method.toUpperCase(),
          path,
          ...(summary ? { summary } : {}),
          reason,
        });
        continue;
      }
      const copy = (value: unknown) => boundedCopy(value, original) as Json;
      const body = requestBodyOf(record(operation.requestBody), copy);
      const description = sanitizedText(
        operation.description ?? pathItem.description,
        untrustedTextLimits.description,
      );
      operations.push({
        operationId: id,
        method: method.toUpperCase(),
        path,
        ...(summary ? { summary } : {}),
        ...(description ? { description } : {}),
        parameters: [...parametersOf(pathItem, operation, copy), ...body.parameters],
        requestBodyRequired: body.required,
        ...(body.schema ? { requestBodySchema: body.schema } : {}),
        responses: responsesOf(record(operation.responses), copy),
        effect: readMethods.has(method) ? 'read' : method === 'delete' ? 'delete' : 'write',
        security: securityOf(operation.security ?? dereferenced.security),
      });
    }
  }
  return { operations, notCallable };
}

function parametersOf(pathItem: Json, operation: Json, copy: (value: unknown) => Json) {
  const byKey = new Map<string, OperationParameter>();
  const all = [pathItem.parameters, operation.parameters].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  for (const value of all) {
    const parameter = record(value);
    const name = sanitizedText(parameter.name, 200);
    const place = parameter.in;
    if (!name || typeof place !== 'string' || !parameterPlaces.has(place)) continue;
    const schema = parameter.schema ?? firstMedia(record(parameter.content))?.[1].schema;
    const description = sanitizedText(parameter.description, untrustedTextLimits.description);
    // Operation-level parameters come later and replace the path item's (OpenAPI §4.8.10).
    byKey.set(`${place}\n${name}`, {
      name,
      in: place as OperationParameter['in'],
      required: parameter.required === true || place === 'path',
      ...(description ? { description } : {}),
      ...(schema !== undefined ? { schema: copy(schema) } : {}),
    });
  }
  return [...byKey.values()];
}

/**
 * The request body, also as a `body` parameter: the engine takes an OpenAPI 3 body from
 * `with.parameters.body`, so that is how a workflow passes it.
 */
function requestBodyOf(requestBody: Json, copy: (value: unknown) => Json) {
  if (Object.keys(requestBody).length === 0) return { required: false, parameters: [] };
  const required = requestBody.required === true;
  const media = firstMedia(record(requestBody.content));
  const schema = media?.[1].schema === undefined ? undefined : copy(media[1].schema);
  const description = sanitizedText(requestBody.description, untrustedTextLimits.description);
  const parameter: OperationParameter = {
    name: 'body',
    in: 'body',
    required,
    ...(description ? { description } : {}),
    ...(schema ? { schema } : {}),
  };
  return { required, schema, parameters: [parameter] };
}

function responsesOf(responses: Json, copy: (value: unknown) => Json): StoredResponse[] {
  return Object.entries(responses).map(([status, value]) => {
    const response = record(value);
    const description = sanitizedText(response.description, untrustedTextLimits.summary);
    const media = firstMedia(record(response.content));
    const success = /^2/.test(status) || status === 'default';
    const kept: StoredResponse = {
      status,
      ...(description ? { description } : {}),
      ...(media ? { mediaType: media[0] } : {}),
      examples: [],
    };
    if (!success || !media) return kept;
    const [, content] = media;
    if (content.schema !== undefined) kept.schema = copy(content.schema);
    const examples = [
      ...(content.example !== undefined ? [content.example] : []),
      ...Object.values(record(content.examples))
        .map((example) => record(example).value)
        .filter((example) => example !== undefined),
    ];
    kept.examples = examples.slice(0, maxExamples).map((example) => copy(example));
    return kept;
  });
}

/** JSON first (`application/json`, then any `+json`), else the first media type listed. */
function firstMedia(content: Json): [string, Json] | undefined {
  const types = Object.keys(content);
  const chosen =
    types.find((type) => type.toLowerCase().startsWith('application/json')) ??
    types.find((type) => /\+json\b/i.test(type)) ??
    types[0];
  return chosen === undefined ? undefined : [chosen, record(content[chosen])];
}

/** The scheme names of every alternative requirement; `{}` (anonymous allowed) names none. */
function securityOf(requirements: unknown): string[] {
  if (!Array.isArray(requirements)) return [];
  const names = requirements.flatMap((requirement) => Object.keys(record(requirement)));
  return [...new Set(names)].map((name) => sanitizedText(name, 200) ?? '').filter(Boolean);
}
