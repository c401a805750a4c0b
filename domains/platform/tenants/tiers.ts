import type { TenantCreatedData, TenantTier } from '../../../contracts/index.js';

/** A tier as stored events (and read-model rows written before a rename) may carry it. */
export type StoredTenantTier = TenantCreatedData['tier'];

/**
 * Retired tier symbols and the tier each now means. The `satisfies` clause stops compiling when
 * the Avro enum gains a symbol that is neither offered (`tenantTiers`) nor listed here.
 */
const retiredTiers: Readonly<Record<string, TenantTier>> = {
  standard: 'pro',
} as const satisfies Record<Exclude<StoredTenantTier, TenantTier>, TenantTier>;

/** The tier a stored value means today: `standard` was renamed `pro`. */
export function currentTier(stored: StoredTenantTier): TenantTier {
  return Object.hasOwn(retiredTiers, stored)
    ? (retiredTiers[stored] as TenantTier)
    : (stored as TenantTier);
}
