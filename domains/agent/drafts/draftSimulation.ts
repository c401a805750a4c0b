import { AwpError } from '../../../contracts/index.js';
import { listDependencies, validateWorkflow } from '../../../dsl/index.js';
import type { CatalogOperation, ConnectorCatalog } from '../connectors/catalogOperation.js';
import type { CallerCredentials } from './draftApproval.js';
import type { Draft, DraftRequest, DraftStore } from './draftStore.js';
import type { SimulationTrace } from './simulationTrace.js';

export type { SimulationTrace } from './simulationTrace.js';

/** A response the user supplies for one operation, instead of the one its document suggests. */
export interface SimulationFixture {
  operationId: string;
  status?: number;
  body: unknown;
}

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
  const catalog = await deps.catalog.operations(request.accountId);
  const documents: Record<string, unknown> = {};
  const responses: Array<{ method: string; url: string; status: number; body: unknown }> = [];
  for (const call of listDependencies(report.workflow).openapi) {
    const operation = catalog.find(
      (op) => op.operationId === call.operationId && op.documentUri === call.document,
    );
    if (!operation) continue; // the engine reports the unknown operation in the trace
    documents[operation.documentUri] ??= await deps.catalog.document(
      request.accountId,
      operation.connectorId,
    );
    const fixture = body.fixtures?.find((f) => f.operationId === operation.operationId);
    const mocked = fixture
      ? { status: fixture.status ?? 200, body: fixture.body }
      : ((await deps.catalog.mockResponse(request.accountId, operation.operationId)) ?? {
          status: 200,
          body: {},
        });
    for (const url of urlsOf(operation)) {
      responses.push({ method: operation.method.toUpperCase(), url, ...mocked });
    }
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

function urlsOf(operation: CatalogOperation): string[] {
  return (operation.servers ?? []).map((server) => `${server}${operation.path}`);
}
