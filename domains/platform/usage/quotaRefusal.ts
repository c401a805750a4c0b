import type { TenantTier } from '../../../contracts/index.js';
import type { MeteredUsage } from '../queries/usageQueries.js';
import type { TierLimits } from './tierLimits.js';

/** Commands that consume a metered resource (the gateway's `MeteredAction`). */
export type MeteredAction = 'create_workflow' | 'start_execution' | 'call_llm';

/** Why a metered command is refused: which limit, how far it is used, in which window. */
export interface QuotaRefusal {
  /** The limit's name in `TierLimits`: the error's `field`. */
  limit: 'workflows' | 'executionsPerMonth' | 'concurrentExecutions' | 'llmTokensPerMonth';
  /** `QuotaExceeded.resourceType`. */
  resourceType: 'workflows' | 'executions' | 'concurrent_executions' | 'llm_tokens';
  usage: number;
  max: number;
  /** `QuotaExceeded.window`. */
  window: 'total' | 'month' | 'concurrent';
  message: string;
  /** A running execution ends by itself; a month's or a tier's budget does not come back soon. */
  retryable: boolean;
}

/**
 * Pure: the refusal of `action` for an account with `usage` on `tier`, or null to admit it.
 * A start checks the month's budget before the concurrency one: of the two, the one that a
 * retry cannot fix is the one to report.
 */
export function quotaRefusalOf(
  action: MeteredAction,
  usage: MeteredUsage,
  tier: TenantTier,
  limits: Readonly<TierLimits>,
): QuotaRefusal | null {
  const reached = `limit of the ${tier} tier reached`;
  if (action === 'call_llm') {
    if (usage.llmTokensThisMonth < limits.llmTokensPerMonth) return null;
    return {
      limit: 'llmTokensPerMonth',
      resourceType: 'llm_tokens',
      usage: usage.llmTokensThisMonth,
      max: limits.llmTokensPerMonth,
      window: 'month',
      message: `monthly language-model token ${reached}: ${usage.llmTokensThisMonth}/${limits.llmTokensPerMonth} tokens used in ${usage.month} (UTC); the count starts again next month`,
      retryable: false,
    };
  }
  if (action === 'create_workflow') {
    if (usage.workflows < limits.workflows) return null;
    return {
      limit: 'workflows',
      resourceType: 'workflows',
      usage: usage.workflows,
      max: limits.workflows,
      window: 'total',
      message: `workflow ${reached}: ${usage.workflows}/${limits.workflows} workflows; a higher tier allows more`,
      retryable: false,
    };
  }
  if (usage.executionsThisMonth >= limits.executionsPerMonth) {
    return {
      limit: 'executionsPerMonth',
      resourceType: 'executions',
      usage: usage.executionsThisMonth,
      max: limits.executionsPerMonth,
      window: 'month',
      message: `monthly execution ${reached}: ${usage.executionsThisMonth}/${limits.executionsPerMonth} executions started in ${usage.month} (UTC); the count starts again next month`,
      retryable: false,
    };
  }
  if (usage.runningExecutions >= limits.concurrentExecutions) {
    return {
      limit: 'concurrentExecutions',
      resourceType: 'concurrent_executions',
      usage: usage.runningExecutions,
      max: limits.concurrentExecutions,
      window: 'concurrent',
      message: `concurrent execution ${reached}: ${usage.runningExecutions}/${limits.concurrentExecutions} executions running; retry when one has ended`,
      retryable: true,
    };
  }
  return null;
}
