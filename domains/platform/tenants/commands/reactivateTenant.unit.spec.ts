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
  data: { accountId: 'acc-1', reason: 'abuse report #12' },
};
const reactivated = { type: 'TenantReactivated' as const, data: { accountId: 'acc-1' } };
const reactivate = { type: 'ReactivateTenant' as const, data: { accountId: 'acc-1' } };

describe('ReactivateTenant', () => {
  it('reactivates a suspended tenant', () => {
    spec.given([created, suspended]).when(reactivate).then([reactivated]);
  });

  it('refuses to reactivate a tenant that is not suspended', () => {
    spec.given([created]).when(reactivate).thenFails('conflict', "tenant 'acc-1' is not suspended");
    spec
      .given([created, suspended, reactivated])
      .when(reactivate)
      .thenFails('conflict', "tenant 'acc-1' is not suspended");
  });

  it('refuses to reactivate a tenant that does not exist', () => {
    spec.given([]).when(reactivate).thenFails('not_found', "tenant 'acc-1' does not exist");
  });
});
