import { listDependencies, segmentsOf } from '../../../dsl/index.js';
import type { DslProblem, ParsedDocument, WorkflowDefinition } from '../../../dsl/index.js';
import type { CatalogOperation } from '../connectors/catalogOperation.js';

/** What a generated workflow may reach: the tenant's own connectors and secrets, nothing else. */
export interface GroundingContext {
  operations: readonly CatalogOperation[];
  secretNames: readonly string[];
}

/**
 * Holds a generated workflow to the tenant's catalog: every `call: openapi` names a real
 * operation of one of its connectors (by that connector's document) with the operation's
 * required parameters; every `call: http` goes to a server one of its connectors declares;
 * every secret is one the tenant has. A model that invents an operation, a URL or a secret gets
 * a positioned error to repair, like any other validation error.
 */
export function checkGrounding(
  workflow: WorkflowDefinition,
  document: ParsedDocument,
  context: GroundingContext,
): DslProblem[] {
  const problems: DslProblem[] = [];
  const at = (pointer: string, code: string, message: string): void => {
    const { line, column } = document.positionOf(segmentsOf(pointer), 'value');
    problems.push({ severity: 'error', code, message, path: pointer, line, column });
  };
  const dependencies = listDependencies(workflow);

  for (const call of dependencies.openapi) {
    const candidates = context.operations.filter((op) => op.operationId === call.operationId);
    const operation = candidates.find((op) => op.documentUri === call.document);
    for (const pointer of call.usedBy) {
      if (call.dynamic) {
        at(
          pointer,
          'grounding-dynamic-operation',
          'the OpenAPI document and operation must be written literally, not computed',
        );
      } else if (!operation) {
        at(
          `${pointer}/call`,
          'grounding-unknown-operation',
          candidates.length > 0
            ? `operation '${call.operationId}' belongs to connector '${candidates[0]?.connectorName}': use its document endpoint '${candidates[0]?.documentUri}'`
            : `operation '${call.operationId}' is not in the tenant's connector catalog; use one of the catalog's operations or ask the user to import the API`,
        );
      } else {
        const given = parametersOf(document, pointer);
        for (const parameter of operation.parameters) {
          // The body is checked below: `parameters.body`, or the parameters no other place takes.
          if (parameter.in === 'body') continue;
          if (parameter.required && !(parameter.name in given)) {
            at(
              `${pointer}/call`,
              'grounding-missing-parameter',
              `operation '${operation.operationId}' requires parameter '${parameter.name}' (${parameter.in})`,
            );
          }
        }
        if (
          operation.requestBodyRequired &&
          !('body' in given) &&
          Object.keys(given).length === 0
        ) {
          at(
            `${pointer}/call`,
            'grounding-missing-body',
            `operation '${operation.operationId}' requires a request body`,
          );
        }
      }
    }
  }

  const servers = serverOrigins(context.operations);
  for (const call of dependencies.http) {
    if (call.dynamic) continue; // an expression: checked by the outbound policy when it runs
    const origin = originOf(call.uri);
    if (origin && servers.has(origin)) continue;
    for (const pointer of call.usedBy) {
      at(
        `${pointer}/call`,
        'grounding-unknown-endpoint',
        `'${call.uri}' is not a server of any of the tenant's connectors; call a catalog operation instead`,
      );
    }
  }

  const secrets = new Set(context.secretNames);
  for (const secret of dependencies.secrets) {
    if (secrets.has(secret.name)) continue;
    for (const pointer of secret.usedBy) {
      at(
        pointer,
        'grounding-unknown-secret',
        `secret '${secret.name}' does not exist in this tenant; ask the user to create it`,
      );
    }
  }
  return problems;
}

function parametersOf(document: ParsedDocument, taskPointer: string): Record<string, unknown> {
  let node: unknown = document.value;
  for (const segment of segmentsOf(taskPointer)) {
    if (node === null || typeof node !== 'object') return {};
    node = (node as Record<string, unknown>)[segment];
  }
  const task = node as { with?: { parameters?: unknown } } | undefined;
  const parameters = task?.with?.parameters;
  return parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters)
    ? (parameters as Record<string, unknown>)
    : {};
}

/** The origins the tenant's connectors declare (their `servers`), which plain HTTP calls may use. */
function serverOrigins(operations: readonly CatalogOperation[]): Set<string> {
  const origins = new Set<string>();
  for (const operation of operations) {
    for (const server of operation.servers ?? []) {
      const origin = originOf(server);
      if (origin) origins.add(origin);
    }
  }
  return origins;
}

function originOf(uri: string): string | undefined {
  try {
    return new URL(uri.replace(/\{[^}]*\}/g, 'x')).origin;
  } catch {
    return undefined;
  }
}
