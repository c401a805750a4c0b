import {
  OutboundPolicies,
  WorkflowEngine,
  WorkflowRegistry,
  executionIndexMigrations,
  workflowReadModelMigrations,
  workflowsProjection,
} from '../../domains/workflow/index.js';
import { createWorkflowApiRouter } from '../../domains/workflow/api/index.js';
import { SecretVault, secretStoreMigrations } from '../../domains/platform/index.js';
import { createOutboundHttp } from '../http/outboundHttp.js';
import { parseOutboundPolicy } from '../http/outboundPolicy.js';
import { createJqExpressionEngine } from '../jq/index.js';
import { packageVersion } from '../cli/packageInfo.js';
import { withConnectorDocuments } from './connectorDocuments.js';
import { createWorkflowSimulator } from './workflowSimulator.js';
import type { DomainDeps, DomainModule } from './domainModule.js';

/**
 * The workflow domain as a process hosts it: definitions and versions, the engine (started
 * once the tables exist, stopped before the connections close), real jq, outbound HTTP through
 * the SSRF guard with the configured allow-list, and the tenants' secrets. Those are the
 * platform domain's: its vault reads its own table, wired here to the engine's `SecretStore`
 * port, so the workflow domain never touches platform tables or code.
 */
export async function createWorkflowModule(deps: DomainDeps): Promise<DomainModule> {
  const { config } = deps;
  const expressions = await createJqExpressionEngine({
    timeoutMs: config.engine.expressionTimeoutMs,
  });
  const outboundPolicies = new OutboundPolicies({
    eventStore: deps.eventStore,
    validateAllowHosts: (allowHosts) => void parseOutboundPolicy({ allowHosts }),
  });
  const guarded = createOutboundHttp({
    // The operator's allow-list applies to every account; each account adds its own.
    policyFor: async (accountId) => ({
      allowHosts: [...config.outboundAllowHosts, ...(await outboundPolicies.allowHosts(accountId))],
    }),
    timeoutMs: config.engine.callTimeoutMs,
    maxResponseBytes: config.engine.maxResponseBytes,
  });
  const outbound = withConnectorDocuments(guarded, () => deps.connectorDocuments?.());
  const vault = new SecretVault({ ...deps, keys: await deps.secretKeys() });
  const secrets = {
    read: (accountId: string, names: readonly string[]) => vault.resolve(accountId, names),
  };
  const simulator = createWorkflowSimulator({ expressions });
  const registry = new WorkflowRegistry({
    db: deps.db,
    eventStore: deps.eventStore,
    ids: deps.ids,
  });
  const engine = new WorkflowEngine({
    db: deps.db,
    eventStore: deps.eventStore,
    definitions: registry,
    secrets,
    outbound,
    expressions,
    clock: deps.clock,
    ids: deps.ids,
    log: deps.logger,
    runtime: { name: 'AWP', version: packageVersion() },
    limits: {
      maxTaskRuns: config.engine.maxTaskRuns,
      maxForIterations: config.engine.maxForIterations,
      maxForkBranches: config.engine.maxForkBranches,
      maxOutputBytes: config.engine.maxOutputBytes,
      maxSubWorkflowDepth: config.engine.maxSubWorkflowDepth,
    },
    maxConcurrentPerAccount: config.engine.maxConcurrentPerAccount,
    // An embedded database belongs to this process alone: leases left by a crash are void.
    exclusive: config.databaseUrl === undefined,
  });
  return {
    migrations: [
      ...workflowReadModelMigrations,
      ...executionIndexMigrations,
      ...secretStoreMigrations,
    ],
    projections: [workflowsProjection],
    routers: [createWorkflowApiRouter({ registry, engine, outboundPolicies, simulator })],
    start: () => engine.start(),
    async stop() {
      await engine.stop();
      await simulator.close();
      await guarded.close();
      expressions.close?.();
    },
  };
}
