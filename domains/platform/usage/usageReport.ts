import type { Queryable, TenantTier } from '../../../contracts/index.js';
import { readUsage } from '../queries/usageQueries.js';
import type { TenantStatus } from '../tenants/tenant.js';
import type { TierLimits } from './tierLimits.js';
import type { PlatformTenantDirectory } from './tenantDirectory.js';
import { monthOf } from './usageProjection.js';

/** One metered resource: how much is used and what the tier allows. */
export interface ResourceUsage {
  /** Null where this domain does not meter it (API requests: the gateway's rate limiter). */
  used: number | null;
  limit: number;
}

/** `GET /v1/tenants/{accountId}/usage`. */
export interface UsageReport {
  accountId: string;
  tier: TenantTier;
  status: TenantStatus;
  /** The calendar month (UTC) of the monthly figures, `YYYY-MM`. */
  month: string;
  resources: Record<keyof TierLimits, ResourceUsage>;
}

/**
 * The account's usage against its tier, as the quota gate sees it (the same directory and
 * projection, so the same lag): what a tenant reads to know how close it is to a refusal.
 */
export async function usageReportOf(
  db: Queryable,
  directory: PlatformTenantDirectory,
  accountId: string,
  now: Date,
): Promise<UsageReport> {
  const month = monthOf(now);
  const [standing, usage] = await Promise.all([
    directory.standing(accountId),
    readUsage(db, accountId, month),
  ]);
  const { limits } = standing;
  return {
    accountId,
    tier: standing.tier,
    status: standing.status,
    month,
    resources: {
      workflows: { used: usage.workflows, limit: limits.workflows },
      executionsPerMonth: { used: usage.executionsThisMonth, limit: limits.executionsPerMonth },
      concurrentExecutions: { used: usage.runningExecutions, limit: limits.concurrentExecutions },
      llmTokensPerMonth: { used: usage.llmTokensThisMonth, limit: limits.llmTokensPerMonth },
      apiRequestsPerMinute: { used: null, limit: limits.apiRequestsPerMinute },
    },
  };
}
