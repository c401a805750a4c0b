import { domainTopic } from '../topics.js';
import type { AwpPlatform, EventDataByType } from './generated/avroTypes.js';

/**
 * The tiers a tenant can be given; each has its own limits and concurrency budget. The Avro enum
 * also holds `standard`, the former name of `pro`: events written with it stay readable (enum
 * symbols are never removed) and readers treat it as `pro`, but no new event carries it.
 */
export const tenantTiers = [
  'free',
  'pro',
  'enterprise',
] as const satisfies readonly AwpPlatform.TenantTier[];
export type TenantTier = (typeof tenantTiers)[number];
/** A tier as stored events carry it: one of `tenantTiers`, or a retired symbol. */
export type StoredTenantTier = AwpPlatform.TenantTier;

/** Payload types come from contracts/schemas/platform/*.avsc, so they cannot drift. */
export type TenantCreatedData = EventDataByType['TenantCreated'];
export type TenantSuspendedData = EventDataByType['TenantSuspended'];
export type TenantReactivatedData = EventDataByType['TenantReactivated'];
export type TenantTierChangedData = EventDataByType['TenantTierChanged'];
export type QuotaExceededData = EventDataByType['QuotaExceeded'];
export type AuthEventData = EventDataByType['AuthEvent'];
export type SecretChangedData = EventDataByType['SecretChanged'];

export type TenantCreated = { type: 'TenantCreated'; data: TenantCreatedData };
export type TenantSuspended = { type: 'TenantSuspended'; data: TenantSuspendedData };
export type TenantReactivated = { type: 'TenantReactivated'; data: TenantReactivatedData };
export type TenantTierChanged = { type: 'TenantTierChanged'; data: TenantTierChangedData };

/** Events of a tenant's stream, `tenant-<accountId>`. */
export type PlatformEvent = TenantCreated | TenantSuspended | TenantReactivated | TenantTierChanged;

export const platformTopic = domainTopic('platform');
