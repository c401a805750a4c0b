import type { Clock, Queryable, TenantTier } from '../../../contracts/index.js';
import { findTenant } from '../queries/tenantQueries.js';
import type { TenantStatus } from '../tenants/tenant.js';
import type { TierLimits, TierLimitsByTier } from './tierLimits.js';

/**
 * Where a tenant stands: the gateway's `TenantStanding` (gateway/tenancy/tenantStanding.ts),
 * which this domain implements but may not import, plus every limit of its tier.
 */
export interface TenantStandingWithLimits {
  tier: TenantTier;
  status: TenantStatus;
  apiRequestsPerMinute: number;
  limits: Readonly<TierLimits>;
}

/** Implements the gateway's `TenantDirectory` port (and tells the quota gate the limits). */
export interface PlatformTenantDirectory {
  standing(accountId: string): Promise<TenantStandingWithLimits>;
}

export interface TenantDirectoryOptions {
  db: Queryable;
  limits: TierLimitsByTier;
  clock: Clock;
  /** How long a standing is reused; default 1000 ms, at most 2000. */
  cacheMs?: number;
  /** Accounts kept in the cache; the oldest entry makes room. Default 10,000. */
  maxEntries?: number;
}

/** An account that is not a registered tenant: the embedded profile's named accounts, say. */
const unregistered = { tier: 'free', status: 'active' } as const;

/**
 * The standing of every account, from `platform_tenants` and the tier limits. The gateway asks on
 * every request, so a standing is reused for a short while (one query per account per second,
 * not per request); short, because a suspension must bite quickly: it takes effect within the
 * tenants projection's lag plus this TTL. Concurrent misses for one account share one query.
 */
export function createTenantDirectory(options: TenantDirectoryOptions): PlatformTenantDirectory {
  const { db, limits, clock } = options;
  const cacheMs = Math.min(options.cacheMs ?? 1000, 2000);
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<
    string,
    { expiresAt: number; standing: Promise<TenantStandingWithLimits> }
  >();

  async function load(accountId: string): Promise<TenantStandingWithLimits> {
    const tenant = await findTenant(db, accountId);
    const { tier, status } = tenant ?? unregistered;
    const tierLimits = limits[tier];
    return {
      tier,
      status,
      apiRequestsPerMinute: tierLimits.apiRequestsPerMinute,
      limits: tierLimits,
    };
  }

  return {
    standing(accountId) {
      const now = clock.now().getTime();
      const cached = cache.get(accountId);
      if (cached !== undefined && cached.expiresAt > now) return cached.standing;
      cache.delete(accountId);
      if (cache.size >= maxEntries) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      const standing = load(accountId);
      cache.set(accountId, { expiresAt: now + cacheMs, standing });
      // A failed read is not remembered: the next request asks the database again.
      standing.catch(() => {
        if (cache.get(accountId)?.standing === standing) cache.delete(accountId);
      });
      return standing;
    },
  };
}
