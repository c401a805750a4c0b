import { AwpError } from '../../../../contracts/index.js';
import { existing } from '../tenant.js';
import type { Tenant, TenantEventOf } from '../tenant.js';

/** The operator stops a tenant's requests (unpaid bill, abuse) until it is reactivated. */
export interface SuspendTenant {
  type: 'SuspendTenant';
  data: { accountId: string; reason: string };
}

export function suspendTenant(
  command: SuspendTenant,
  state: Tenant,
): TenantEventOf<'TenantSuspended'>[] {
  const { accountId, reason } = command.data;
  if (existing(state, accountId).status === 'suspended') {
    throw new AwpError('conflict', `tenant '${accountId}' is already suspended`);
  }
  return [{ type: 'TenantSuspended', data: { accountId, reason } }];
}
