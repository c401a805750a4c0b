import { readFileSync } from 'node:fs';
import {
  OutboundPolicies,
  WorkflowEngine,
  WorkflowRegistry,
  executionIndexMigrations,
  staticSecretStore,
  workflowReadModelMigrations,
  workflowsProjection,
} from '../../domains/workflow/index.js';
import { createWorkflowApiRouter } from '../../domains/workflow/api/index.js';
import { createOutboundHttp } from '../http/outboundHttp.js';
import { parseOutboundPolicy } from '../http/outboundPolicy.js';
import { createJqExpressionEngine } from '../jq/index.js';
import { packageVersion } from '../cli/packageInfo.js';
import type { DomainDeps, DomainModule } from './domainModule.js';

/**
 * The workflow domain as a process hosts it: definitions and versions, the engine (started
 * once the tables exist, stopped before the connections close), real jq, outbound HTTP through
 * the SSRF guard with the configured allow-list, and the secrets file until the secret store
 * of the platform domain exists.
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
  const outbound = createOutboundHttp({
    // The operator's allow-list applies to every account; each account adds its own.
    policyFor: async (accountId) => ({
      allowHosts: [...config.outboundAllowHosts, ...(await outboundPolicies.allowHosts(accountId))],
    }),
    timeoutMs: config.engine.callTimeoutMs,
    maxResponseBytes: config.engine.maxResponseBytes,
  });
  const secrets = staticSecretStore(config.secretsFile ? readSecretsFile(config.secretsFile) : {});
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
    migrations: [...workflowReadModelMigrations, ...executionIndexMigrations],
    projections: [workflowsProjection],
    routers: [createWorkflowApiRouter({ registry, engine, outboundPolicies })],
    start: () => engine.start(),
    async stop() {
      await engine.stop();
      await outbound.close();
      expressions.close?.();
    },
  };
}

function readSecretsFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`AWP_SECRETS_FILE: cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`AWP_SECRETS_FILE: ${path} must hold a JSON object of name → value`);
  }
  return parsed as Record<string, unknown>;
}
