import { describe, it } from 'vitest';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { tenantDecider } from '../decide.js';

const spec = deciderSpec(tenantDecider);
const created = {
  type: 'TenantCreated' as const,
  data: { accountId: 'acc-1', accountName: 'Acme Foods', tier: 'free' as const },
};
const suspended = {
  type: 'TenantSuspended' as const,
  data: { accountId: 'acc-1', reason: 'invoice 2026-10 unpaid' },
};
const reactivated = { type: 'TenantReactivated' as const, data: { accountId: 'acc-1' } };
const suspend = {
  type: 'SuspendTenant' as const,
  data: { accountId: 'acc-1', reason: 'invoice 2026-10 unpaid' },
};

describe('SuspendTenant', () => {
  it('suspends an active tenant, keeping the reason', () => {
    spec.given([created]).when(suspend).then([suspended]);
  });

  it('suspends a tenant again once it was reactivated', () => {
    spec.given([created, suspended, reactivated]).when(suspend).then([suspended]);
  });

  it('refuses to suspend a tenant that is already suspended', () => {
    spec
      .given([created, suspended])
      .when(suspend)
      .thenFails('conflict', "tenant 'acc-1' is already suspended");
  });

  it('refuses to suspend a tenant that does not exist', () => {
    spec.given([]).when(suspend).thenFails('not_found', "tenant 'acc-1' does not exist");
  });
});
