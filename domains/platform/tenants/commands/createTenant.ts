import { AwpError } from '../../../../contracts/index.js';
import type { TenantCreated, TenantTier } from '../../../../contracts/index.js';
import type { Tenant } from '../tenant.js';

export interface CreateTenant {
  type: 'CreateTenant';
  data: { accountId: string; name: string; tier: TenantTier };
}

export function createTenant(command: CreateTenant, state: Tenant): TenantCreated[] {
  if (state.status !== 'absent') {
    throw new AwpError('conflict', `tenant '${command.data.accountId}' already exists`);
  }
  return [
    {
      type: 'TenantCreated',
      data: {
        accountId: command.data.accountId,
        accountName: command.data.name,
        tier: command.data.tier,
      },
    },
  ];
}
