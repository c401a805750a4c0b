import { AwpError } from '../../../contracts/index.js';
import type { FieldViolation } from '../../../contracts/index.js';
import { pointerOf, segmentsOf } from '../../../dsl/index.js';
import type { SourcePosition } from '../../../dsl/index.js';
import { sanitizedText } from './untrustedText.js';

/** Where a node of the submitted text starts; `undefined` when the document came as JSON. */
export type Locate = (path: readonly (string | number)[]) => SourcePosition | undefined;

/** swagger-parser's schema findings (ajv errors) carry the offending node's pointer. */
interface SchemaFinding {
  instancePath: string;
  message?: string;
  keyword: string;
}

/** Reported at most: a broken document can yield hundreds of findings that say one thing. */
const maxViolations = 20;

/**
 * ajv's findings for a failed `oneOf` name every alternative the node did not match ("must
 * have required property '$ref'"): noise next to the finding that says what is wrong.
 */
const noise = new Set(['oneOf', 'anyOf', 'if', 'not', '$ref']);

/** swagger-parser's failure as the platform's `validation` error, each problem located. */
export function parserFailure(error: unknown, located: Locate): AwpError {
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details) && details.length > 0) {
    return invalidDocument(findingsOf(details as SchemaFinding[]), located);
  }
  // A `$ref` to nothing: the parser says which reference, and where it sits.
  const parentPath = (error as { parentPath?: unknown }).parentPath;
  const message = sanitizedText((error as Error).message, 300) ?? 'the document is invalid';
  const pointer =
    typeof parentPath === 'string' && parentPath.startsWith('#') ? parentPath.slice(1) : '';
  return invalidDocument([{ pointer, message }], located);
}

/**
 * OpenAPI requires each operationId to be unique in its document (§4.8.10), and a workflow's
 * `call: openapi` finds its operation by that id alone: duplicates are refused, each located.
 */
export function duplicateOperationIds(document: Record<string, unknown>, located: Locate): void {
  const seen = new Map<string, string>();
  const problems: Array<{ pointer: string; message: string }> = [];
  for (const [path, item] of Object.entries(asRecord(document.paths))) {
    for (const [method, operation] of Object.entries(asRecord(item))) {
      const id = asRecord(operation).operationId;
      if (typeof id !== 'string') continue;
      const pointer = pointerOf(['paths', path, method, 'operationId']);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, pointer);
      else problems.push({ pointer, message: `operationId '${id}' is already used at ${first}` });
    }
  }
  if (problems.length > 0) throw invalidDocument(problems, located);
}

function findingsOf(
  details: readonly SchemaFinding[],
): Array<{ pointer: string; message: string }> {
  const meaningful = details.filter((finding) => !noise.has(finding.keyword));
  const byPointer = new Map<string, string>();
  for (const finding of meaningful.length > 0 ? meaningful : details) {
    if (byPointer.has(finding.instancePath)) continue;
    byPointer.set(finding.instancePath, finding.message ?? 'is invalid');
  }
  // The deepest node first: it is the most precise statement of what to fix.
  return [...byPointer]
    .sort(([a], [b]) => segmentsOf(b).length - segmentsOf(a).length)
    .map(([pointer, message]) => ({ pointer, message }));
}

function invalidDocument(
  problems: ReadonlyArray<{ pointer: string; message: string }>,
  located: Locate,
): AwpError {
  const violations: FieldViolation[] = problems
    .slice(0, maxViolations)
    .map(({ pointer, message }) => {
      const position = located(segmentsOf(pointer));
      const where = position ? `${position.line}:${position.column} ` : '';
      const at = pointer === '' ? '' : `${pointer} `;
      return {
        field: pointer || '/',
        message: `${where}${at}${message}`,
        ...(position ? { line: position.line, column: position.column } : {}),
        code: 'openapi-invalid',
      };
    });
  const first = violations[0]?.message ?? 'the document is invalid';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new AwpError('validation', `the OpenAPI document is invalid: ${first}${more}`, {
    field: 'document',
    violations,
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
