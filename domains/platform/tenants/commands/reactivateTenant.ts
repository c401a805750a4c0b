import { AwpError } from '../../../../contracts/index.js';
import { existing } from '../tenant.js';
import type { Tenant, TenantEventOf } from '../tenant.js';

/** The operator lifts a suspension. */
export interface ReactivateTenant {
  type: 'ReactivateTenant';
  data: { accountId: string };
}

export function reactivateTenant(
  command: ReactivateTenant,
  state: Tenant,
): TenantEventOf<'TenantReactivated'>[] {
  const { accountId } = command.data;
  if (existing(state, accountId).status !== 'suspended') {
    throw new AwpError('conflict', `tenant '${accountId}' is not suspended`);
  }
  return [{ type: 'TenantReactivated', data: { accountId } }];
}
