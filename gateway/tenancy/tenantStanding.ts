/** Where a tenant stands when a request arrives: what the gateway needs before routing it. */
export interface TenantStanding {
  tier: string;
  status: 'active' | 'suspended';
  /** The tier's budget of API requests per minute (rate limiting). */
  apiRequestsPerMinute: number;
}

/**
 * The gateway's view of tenants, implemented by the platform domain from its read model. An
 * account that is not a registered tenant gets the default tier's standing.
 */
export interface TenantDirectory {
  standing(accountId: string): Promise<TenantStanding>;
}

/** Commands that consume a metered resource of the tenant's tier. */
export type MeteredAction = 'create_workflow' | 'start_execution';

/**
 * Admits or refuses a metered command before it runs: throws `AwpError('quota_exceeded')`
 * naming the limit (and records `QuotaExceeded`) when the tier's budget is spent.
 */
export interface QuotaGate {
  admit(
    accountId: string,
    action: MeteredAction,
    request: { correlationId: string },
  ): Promise<void>;
}
