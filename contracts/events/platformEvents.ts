import { domainTopic } from '../topics.js';

/** Tenant (account) tiers; each tier has its own quotas and concurrency budget. */
export const tenantTiers = ['free', 'standard', 'enterprise'] as const;
export type TenantTier = (typeof tenantTiers)[number];

/** Seed: TenantCreated (accountId, accountName, tier). */
export interface TenantCreatedData {
  accountId: string;
  accountName: string;
  tier: TenantTier;
}

export type TenantCreated = { type: 'TenantCreated'; data: TenantCreatedData };

export type PlatformEvent = TenantCreated;

export const platformTopic = domainTopic('platform');
