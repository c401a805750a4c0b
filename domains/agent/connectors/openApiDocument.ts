import { createHash } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { AwpError } from '../../../contracts/index.js';
import type { FieldViolation } from '../../../contracts/index.js';
import { parseWorkflowText } from '../../../dsl/index.js';
import type { ParsedDocument } from '../../../dsl/index.js';
import { referenceExpansion } from './boundedCopy.js';
import { duplicateOperationIds, parserFailure } from './openApiProblems.js';
import type { Locate } from './openApiProblems.js';
import { sanitizedText, untrustedTextLimits } from './untrustedText.js';

/** A tenant's OpenAPI document, read and validated. */
export interface OpenApiDocument {
  /** The document as submitted, as a JSON value, `$ref`s kept. */
  original: Record<string, unknown>;
  /** `original` as JSON text: what is stored, served and digested. */
  json: string;
  /** Hex SHA-256 of `json`. */
  sha256: string;
  /** Dereferenced by swagger-parser; references in cycles stay `$ref`. */
  dereferenced: Record<string, unknown>;
  openapiVersion: string;
  title: string;
  apiVersion: string;
}

/** A connector's document is at most this large (2 MiB), as text or as serialized JSON. */
export const maxDocumentBytes = 2 * 1024 * 1024;
/** Nesting past this is refused before any recursive walker (the parser's, ours) meets it. */
const maxDepth = 256;
/**
 * Values the document may hold once its `$ref`s are expanded: swagger-parser validates the
 * expanded form, about 3.5 s per million values (measured), and a reference bomb would take
 * it years. Refused above this, before the parser sees it.
 */
const maxExpandedNodes = 1_000_000;

const invalid = (message: string, violations: FieldViolation[] = []) =>
  new AwpError('validation', message, { field: 'document', violations });

/**
 * Reads an OpenAPI 3.0 or 3.1 document given as JSON or YAML text, or as a parsed JSON value.
 * Refuses with a `validation` error (field `document`): an oversized document, text that does
 * not parse (with its line and column), Swagger 2.0, other versions, and anything swagger-parser
 * finds invalid (each problem at its JSON pointer, with line and column for text). External
 * `$ref`s are never resolved: a document must not make the platform read files or URLs.
 */
export async function readOpenApiDocument(
  input: string | Record<string, unknown>,
  maxBytes = maxDocumentBytes,
): Promise<OpenApiDocument> {
  const { value, located } =
    typeof input === 'string' ? parseText(input, maxBytes) : checked(input, maxBytes);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('the document must be an OpenAPI object (with `openapi`, `info` and `paths`)');
  }
  const original = value as Record<string, unknown>;
  checkVersion(original);
  refuseReferenceBombs(original);
  let dereferenced: Record<string, unknown>;
  try {
    // validate() dereferences the object it is given: it gets a copy.
    dereferenced = (await SwaggerParser.validate(structuredClone(original) as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    })) as unknown as Record<string, unknown>;
  } catch (error) {
    throw parserFailure(error, located);
  }
  duplicateOperationIds(original, located);
  const json = JSON.stringify(original);
  const info = (original.info ?? {}) as Record<string, unknown>;
  return {
    original,
    json,
    sha256: createHash('sha256').update(json).digest('hex'),
    dereferenced,
    openapiVersion: String(original.openapi),
    title: sanitizedText(info.title, untrustedTextLimits.title) ?? '',
    apiVersion: sanitizedText(info.version, untrustedTextLimits.title) ?? '',
  };
}

function parseText(text: string, maxBytes: number): { value: unknown; located: Locate } {
  refuseOversized(Buffer.byteLength(text, 'utf8'), maxBytes);
  const parsed = parseWorkflowText(text, { maxBytes });
  if (!parsed.ok) {
    const violations = parsed.problems.map((problem) => ({
      field: problem.path || '/',
      message: `${problem.line}:${problem.column} ${readingMessage(problem.code, problem.message)}`,
      line: problem.line,
      column: problem.column,
      code: problem.code,
    }));
    throw invalid(
      `the document is neither valid JSON nor YAML: ${violations[0]?.message}`,
      violations,
    );
  }
  const document: ParsedDocument = parsed.document;
  return { value: document.value, located: (path) => document.positionOf(path) };
}

/** The parser speaks of workflows; here the document is an API description. */
function readingMessage(code: string, message: string): string {
  return code === 'yaml-multiple-documents'
    ? 'the file holds several YAML documents; an OpenAPI document is one'
    : message;
}

function checked(
  value: Record<string, unknown>,
  maxBytes: number,
): { value: unknown; located: Locate } {
  if (depthOf(value) > maxDepth)
    throw invalid(`the document nests more than ${maxDepth} levels deep`);
  refuseOversized(Buffer.byteLength(JSON.stringify(value), 'utf8'), maxBytes);
  return { value, located: () => undefined };
}

function refuseOversized(bytes: number, maxBytes: number): void {
  if (bytes <= maxBytes) return;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  throw invalid(
    `the document is ${mib(bytes)}; a connector's OpenAPI document is at most ${mib(maxBytes)}`,
    [{ field: '/', message: 'too large', code: 'document-too-large' }],
  );
}

function checkVersion(document: Record<string, unknown>): void {
  if (document.swagger !== undefined) {
    throw invalid(
      `this is a Swagger ${String(document.swagger)} document; connectors take OpenAPI 3.0 or ` +
        '3.1 only: convert it first (for example with swagger2openapi)',
      [{ field: '/swagger', message: 'Swagger 2.0 is not supported', code: 'swagger-2' }],
    );
  }
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version)) {
    const found =
      version === undefined
        ? 'has no `openapi` field'
        : `says openapi ${JSON.stringify(version).slice(0, 20)}`;
    throw invalid(`the document ${found}; connectors take OpenAPI 3.0.x or 3.1.x documents`, [
      { field: '/openapi', message: 'must be 3.0.x or 3.1.x', code: 'openapi-version' },
    ]);
  }
}

function refuseReferenceBombs(document: Record<string, unknown>): void {
  const verdict = referenceExpansion(document, maxExpandedNodes);
  if (verdict.ok) return;
  const message =
    verdict.reason === 'too-deep'
      ? 'the document nests `$ref`s more than 100 deep'
      : `the document's \`$ref\`s expand to more than ${maxExpandedNodes} values (a reference bomb?)`;
  throw invalid(message, [{ field: '/', message, code: 'openapi-reference-bomb' }]);
}

/** Nesting depth, walked without recursion (the value may be deeper than the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxDepth) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
