import { AwpError } from '../../../contracts/index.js';
import { listDependencies, validateWorkflow } from '../../../dsl/index.js';
import type { CatalogOperation, ConnectorCatalog } from '../connectors/catalogOperation.js';
import type { CallerCredentials } from './draftApproval.js';
import type { Draft, DraftRequest, DraftStore } from './draftStore.js';
import type { SimulationTrace } from './simulationTrace.js';

export type { SimulationTrace } from './simulationTrace.js';

/**
 * A response the user supplies instead of the one a document suggests: for a catalog
 * operation (`operationId`), or for any call by method and URL template (`call: http` to an
 * endpoint no connector describes, or to override one). Exactly one of the two keys is given.
 */
export interface SimulationFixture {
  operationId?: string;
  method?: string;
  /** Absolute http(s) URL; `{name}` matches one path segment. */
  url?: string;
  status?: number;
  body: unknown;
}

type CannedResponse = { method: string; url: string; status: number; body: unknown };

/** The workflow domain's dry-run API as the agent uses it, with the caller's credentials. */
export interface WorkflowSimulation {
  simulate(request: {
    document: string;
    input: unknown;
    documents: Record<string, unknown>;
    responses: Array<{ method: string; url: string; status: number; body: unknown }>;
    credentials: CallerCredentials;
    correlationId: string;
  }): Promise<Omit<SimulationTrace, 'simulatedAt'>>;
}

export interface DraftSimulationDeps {
  drafts: DraftStore;
  catalog: ConnectorCatalog & {
    document(accountId: string, connectorId: string): Promise<Record<string, unknown>>;
  };
  simulation: WorkflowSimulation;
  now(): Date;
}

/**
 * Runs a draft on the real engine before approval, against responses derived from its
 * connectors' documents (their examples, else samples of their schemas) or the user's own
 * fixtures. Nothing reaches the tenant's systems. The trace is kept with the draft, so the
 * approval shows what was simulated.
 */
export async function simulateDraft(
  deps: DraftSimulationDeps,
  request: DraftRequest & { credentials: CallerCredentials },
  conversationId: string,
  draftId: string,
  body: { input?: unknown; fixtures?: readonly SimulationFixture[] },
): Promise<Draft> {
  const draft = await deps.drafts.get(request.accountId, conversationId, draftId);
  const report = await validateWorkflow(draft.document);
  if (!report.workflow) {
    throw new AwpError(
      'illegal_state',
      `draft '${draftId}' does not pass DSL validation, so it cannot run; see its problems`,
    );
  }
  const fixtures = body.fixtures ?? [];
  const byUrl = fixtures.map(urlFixture);
  const catalog = await deps.catalog.operations(request.accountId);
  const documents: Record<string, unknown> = {};
  // The simulator answers with the first response that matches: the user's URL fixtures first.
  const responses: CannedResponse[] = byUrl.filter((r): r is CannedResponse => r !== undefined);
  const mockOf = async (operation: CatalogOperation) => {
    const fixture = fixtures.find((f) => f.operationId === operation.operationId);
    if (fixture) return { status: fixture.status ?? 200, body: fixture.body };
    return (
      (await deps.catalog.mockResponse(request.accountId, operation.operationId)) ?? {
        status: 200,
        body: {},
      }
    );
  };
  const dependencies = listDependencies(report.workflow);
  for (const call of dependencies.openapi) {
    const operation = catalog.find(
      (op) => op.operationId === call.operationId && op.documentUri === call.document,
    );
    if (!operation) continue; // the engine reports the unknown operation in the trace
    documents[operation.documentUri] ??= await deps.catalog.document(
      request.accountId,
      operation.connectorId,
    );
    const mocked = await mockOf(operation);
    for (const url of urlsOf(operation)) {
      responses.push({ method: operation.method.toUpperCase(), url, ...mocked });
    }
  }
  // A `call: http` to an endpoint a connector describes is answered from that operation.
  for (const call of dependencies.http) {
    if (call.dynamic || call.method === undefined) continue;
    const method = call.method;
    const operation = catalog.find(
      (op) =>
        op.method.toUpperCase() === method &&
        urlsOf(op).some((template) => sameEndpoint(call.uri, template)),
    );
    if (operation) responses.push({ method, url: call.uri, ...(await mockOf(operation)) });
  }
  const trace = await deps.simulation.simulate({
    document: draft.document,
    input: body.input ?? {},
    documents,
    responses,
    credentials: request.credentials,
    correlationId: request.correlationId,
  });
  return deps.drafts.recordSimulation(request.accountId, draft, {
    ...trace,
    simulatedAt: deps.now().toISOString(),
  });
}

/** A fixture keyed by URL as a canned response, refusing one that names neither key or both. */
function urlFixture(fixture: SimulationFixture, index: number): CannedResponse | undefined {
  const field = `fixtures.${index}`;
  const byOperation = fixture.operationId !== undefined;
  const byUrl = fixture.url !== undefined || fixture.method !== undefined;
  if (byOperation === byUrl) {
    throw new AwpError(
      'validation',
      `fixture ${index} must name either an operationId or a method and url, not ${byOperation ? 'both' : 'neither'}`,
      { field },
    );
  }
  if (byOperation) return undefined;
  if (fixture.method === undefined || fixture.url === undefined) {
    throw new AwpError('validation', `fixture ${index} needs both a method and a url`, { field });
  }
  if (!isHttpUrl(fixture.url)) {
    throw new AwpError('validation', `fixture ${index}'s url must be an absolute http(s) URL`, {
      field: `${field}.url`,
    });
  }
  return {
    method: fixture.method.toUpperCase(),
    url: fixture.url,
    status: fixture.status ?? 200,
    body: fixture.body,
  };
}

function isHttpUrl(template: string): boolean {
  try {
    const url = new URL(template.replace(/\{[^}]*\}/g, 'x'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Whether a workflow's endpoint and an operation's URL template name the same endpoint: equal
 * segment by segment, where a `{parameter}` on either side stands for any one segment. The
 * query and a trailing slash are ignored; scheme and host compare without regard to case.
 */
export function sameEndpoint(endpoint: string, template: string): boolean {
  const parts = (uri: string) => {
    const [base = ''] = uri.split(/[?#]/);
    const [, scheme = '', rest = ''] = /^([a-z][a-z0-9+.-]*:\/\/)?(.*)$/i.exec(base) ?? [];
    const segments = rest.replace(/\/+$/, '').split('/');
    return [scheme.toLowerCase(), (segments[0] ?? '').toLowerCase(), ...segments.slice(1)];
  };
  const a = parts(endpoint);
  const b = parts(template);
  if (a.length !== b.length) return false;
  const variable = (segment: string) => /^\{[^}]+\}$/.test(segment);
  return a.every((segment, i) => {
    const other = b[i] as string;
    return segment === other || (i > 1 && (variable(segment) || variable(other)));
  });
}

function urlsOf(operation: CatalogOperation): string[] {
  return (operation.servers ?? []).map((server) => `${server}${operation.path}`);
}
