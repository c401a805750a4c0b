import { describe, it } from 'vitest';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { tenantDecider } from '../decide.js';

const spec = deciderSpec(tenantDecider);
const createdOn = (tier: 'free' | 'standard' | 'pro' | 'enterprise') => ({
  type: 'TenantCreated' as const,
  data: { accountId: 'acc-1', accountName: 'Acme Foods', tier },
});
const toTier = (tier: 'free' | 'pro' | 'enterprise') => ({
  type: 'ChangeTenantTier' as const,
  data: { accountId: 'acc-1', tier },
});

describe('ChangeTenantTier', () => {
  it('moves a tenant to another tier, recording both', () => {
    spec
      .given([createdOn('free')])
      .when(toTier('enterprise'))
      .then([
        {
          type: 'TenantTierChanged',
          data: { accountId: 'acc-1', from: 'free', to: 'enterprise' },
        },
      ]);
  });

  it('follows earlier tier changes', () => {
    spec
      .given([
        createdOn('free'),
        { type: 'TenantTierChanged', data: { accountId: 'acc-1', from: 'free', to: 'pro' } },
      ])
      .when(toTier('free'))
      .then([{ type: 'TenantTierChanged', data: { accountId: 'acc-1', from: 'pro', to: 'free' } }]);
  });

  it('changes nothing when the tenant is already on that tier (PUT may be repeated)', () => {
    spec
      .given([createdOn('pro')])
      .when(toTier('pro'))
      .then([]);
  });

  it('reads a tenant stored on the retired standard tier as pro', () => {
    spec
      .given([createdOn('standard')])
      .when(toTier('pro'))
      .then([]);
    spec
      .given([createdOn('standard')])
      .when(toTier('enterprise'))
      .then([
        {
          type: 'TenantTierChanged',
          data: { accountId: 'acc-1', from: 'pro', to: 'enterprise' },
        },
      ]);
  });

  it('changes the tier of a suspended tenant too', () => {
    spec
      .given([
        createdOn('pro'),
        { type: 'TenantSuspended', data: { accountId: 'acc-1', reason: 'unpaid' } },
      ])
      .when(toTier('free'))
      .then([{ type: 'TenantTierChanged', data: { accountId: 'acc-1', from: 'pro', to: 'free' } }]);
  });

  it('refuses to change the tier of a tenant that does not exist', () => {
    spec.given([]).when(toTier('pro')).thenFails('not_found', "tenant 'acc-1' does not exist");
  });
});
