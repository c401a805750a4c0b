import type { PlatformEvent, TenantTier } from '../../../contracts/index.js';

/** A tenant (account) as its stream knows it. */
export type Tenant =
  { status: 'absent' } | { status: 'active'; accountId: string; name: string; tier: TenantTier };

export const initialTenant = (): Tenant => ({ status: 'absent' });

export function evolveTenant(state: Tenant, event: PlatformEvent): Tenant {
  switch (event.type) {
    case 'TenantCreated':
      return {
        status: 'active',
        accountId: event.data.accountId,
        name: event.data.accountName,
        tier: event.data.tier,
      };
    default: {
      const unknownEvent: never = event.type;
      return unknownEvent;
    }
  }
}

/** Stream of one tenant: `tenant-<accountId>`. */
export const tenantStreamId = (accountId: string): string => `tenant-${accountId}`;
