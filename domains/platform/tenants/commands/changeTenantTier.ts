import type { TenantTier } from '../../../../contracts/index.js';
import { existing } from '../tenant.js';
import type { Tenant, TenantEventOf } from '../tenant.js';

/** The operator moves a tenant to another tier (a suspended one too: its limits wait for it). */
export interface ChangeTenantTier {
  type: 'ChangeTenantTier';
  data: { accountId: string; tier: TenantTier };
}

/**
 * Asking for the tier the tenant already has changes nothing and is not an error: the HTTP verb
 * is PUT, which a client may repeat (after a timeout, say) and must get the same answer.
 */
export function changeTenantTier(
  command: ChangeTenantTier,
  state: Tenant,
): TenantEventOf<'TenantTierChanged'>[] {
  const { accountId, tier } = command.data;
  const tenant = existing(state, accountId);
  if (tenant.tier === tier) return [];
  return [{ type: 'TenantTierChanged', data: { accountId, from: tenant.tier, to: tier } }];
}
