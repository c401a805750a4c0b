import { AwpError } from '../../../contracts/index.js';
import type { PlatformEvent, TenantTier } from '../../../contracts/index.js';
import { currentTier } from './tiers.js';

/** Whether the gateway lets a tenant's requests through. */
export type TenantStatus = 'active' | 'suspended';

/** A tenant that exists, as its stream knows it. */
export interface ExistingTenant {
  status: TenantStatus;
  accountId: string;
  name: string;
  tier: TenantTier;
  /** Why the operator suspended it; null while active. */
  suspendedReason: string | null;
}

/** A tenant (account) as its stream knows it. */
export type Tenant = { status: 'absent' } | ExistingTenant;

export const initialTenant = (): Tenant => ({ status: 'absent' });

export function evolveTenant(state: Tenant, event: PlatformEvent): Tenant {
  if (event.type === 'TenantCreated') {
    return {
      status: 'active',
      accountId: event.data.accountId,
      name: event.data.accountName,
      tier: currentTier(event.data.tier),
      suspendedReason: null,
    };
  }
  // The decider never emits the other events before TenantCreated.
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'TenantSuspended':
      return { ...state, status: 'suspended', suspendedReason: event.data.reason };
    case 'TenantReactivated':
      return { ...state, status: 'active', suspendedReason: null };
    case 'TenantTierChanged':
      return { ...state, tier: currentTier(event.data.to) };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** One event of a tenant's stream, by type (contracts/index.ts names only TenantCreated). */
export type TenantEventOf<Type extends PlatformEvent['type']> = Extract<
  PlatformEvent,
  { type: Type }
>;

/** Stream of one tenant: `tenant-<accountId>`. */
export const tenantStreamId = (accountId: string): string => `tenant-${accountId}`;

/** Refuses a command addressed to a tenant that does not exist. */
export function existing(state: Tenant, accountId: string): ExistingTenant {
  if (state.status === 'absent') {
    throw new AwpError('not_found', `tenant '${accountId}' does not exist`);
  }
  return state;
}
