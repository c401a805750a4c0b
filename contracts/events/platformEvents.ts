import { domainTopic } from '../topics.js';
import type { AwpPlatform, EventDataByType } from './generated/avroTypes.js';

/** Tenant (account) tiers; each tier has its own quotas and concurrency budget. */
export const tenantTiers = [
  'free',
  'standard',
  'enterprise',
] as const satisfies readonly AwpPlatform.TenantTier[];
export type TenantTier = AwpPlatform.TenantTier;
// The list above must name every symbol of the Avro enum: this line stops compiling otherwise.
const everyTierListed: Exclude<TenantTier, (typeof tenantTiers)[number]> extends never
  ? true
  : never = true;
void everyTierListed;

/** Payload types come from contracts/schemas/platform/*.avsc, so they cannot drift. */
export type TenantCreatedData = EventDataByType['TenantCreated'];
export type QuotaExceededData = EventDataByType['QuotaExceeded'];
export type AuthEventData = EventDataByType['AuthEvent'];
export type SecretChangedData = EventDataByType['SecretChanged'];

export type TenantCreated = { type: 'TenantCreated'; data: TenantCreatedData };

export type PlatformEvent = TenantCreated;

export const platformTopic = domainTopic('platform');
